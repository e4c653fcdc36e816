"""leptoportal validate: every cross-check passes and the report is written."""

import json

from leptoportal import validate


def test_validate_fast_passes_and_writes_the_report(run_cli, tmp_path):
    code, out, err = run_cli("validate", "--fast", "--out", str(tmp_path / "v"), "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert obj == json.loads((tmp_path / "v" / "validation.json").read_text())
    assert obj["total"] == len(validate.CHECKS) >= 15 and obj["passed"] == obj["total"]
    names = {c["name"] for c in obj["checks"]}
    assert {"dmg4_kfactor_electron", "dmg4_kfactor_muon", "gauge_invariance",
            "feldman_cousins_table", "resonance_narrow_width"} <= names
    for c in obj["checks"]:
        assert c["deviation"] <= c["tolerance"] and c["description"]
    md = (tmp_path / "v" / "validation.md").read_text()
    assert f"{obj['total']} of {obj['total']} checks passed" in md
    assert json.loads((tmp_path / "v" / "validation.json").read_text())["passed"] == obj["passed"]
    assert (tmp_path / "v" / "validation.html").read_text().startswith("<!doctype html>")


def test_a_failing_check_gives_status_1(run_cli, tmp_path, monkeypatch):
    failing = validate.Check("always_fails", "a check that fails", 1.0, 0.0, 1.0, 0.1, False)
    monkeypatch.setattr(validate, "CHECKS", (lambda fast: failing,))
    code, out, err = run_cli("validate", "--fast", "--out", str(tmp_path / "v"))
    assert code == 1 and "FAIL always_fails" in out and "0 of 1 checks passed" in out
