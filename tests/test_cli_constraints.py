"""The ``constraints`` command: every bound per mass, its JSON schema, the table for people in
80 columns, and one-line errors."""

from __future__ import annotations

import pytest

from leptoportal.constraints import CONSTRAINTS


def test_every_registered_bound_is_listed_per_mass_with_its_source(run_json):
    out = run_json("constraints", "--m-phi", "0.05,0.5", "--model", "mumu-emu", "--h", "1e-3")
    assert [p["m_phi"] for p in out["points"]] == [0.05, 0.5]
    assert out["h"] == 1e-3 and out["alpha_dark"] == 0.1
    for point in out["points"]:
        assert [b["name"] for b in point["bounds"]] == list(CONSTRAINTS)
        assert all(b["source"] and b["experiment"] for b in point["bounds"])
        assert all(b["reason"] for b in point["bounds"] if b["status"] != "bound")
    low, high = ({b["name"]: b for b in p["bounds"]} for p in out["points"])
    assert low["mu -> e phi"]["status"] == "bound"
    assert high["mu -> e phi"]["status"] == "not applicable"
    assert out["points"][0]["h_limit_constraint"] == "mu -> e phi"


def test_the_table_for_people_fits_80_columns(run_cli, run_json):
    """Printed to a file (80 columns) no cell is cut: every bound's ratio and h_limit of the
    JSON appears to 3-4 digits, the no-diagram bounds are one line, the combination is said
    in words."""
    args = ("constraints", "--m-phi", "0.5", "--cs", "0.5", "--cp", "0.5j", "--h", "1e-7")
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert "\u2026" not in out and max(len(line) for line in out.splitlines()) <= 80
    point = run_json(*args)["points"][0]
    for b in point["bounds"]:
        if b["status"] == "bound":
            assert f"{b['ratio']:.3g}" in out, b["name"]
            if b["h_limit"] is not None:
                assert f"{b['h_limit']:.4g}" in out, b["name"]
    words = " ".join(out.split())
    assert f"h_limit = {point['h_limit']:.6g} (set by d_e)" in words
    assert words.count("no diagram (exactly 0):") == 1


@pytest.mark.parametrize("args,needle", [
    (["--m-phi", "0.0005"], "--m-phi 0.0005"),
    (["--m-phi", "0.5", "--model", "mumu-emu", "--h", "10"], "perturbative"),
    (["--m-phi", "0.5", "--alpha-dark", "-1"], "--alpha-dark"),
])
def test_bad_input_one_line_exit_2(run_cli, args, needle):
    code, out, err = run_cli("constraints", *args)
    assert code == 2, err
    assert out == "" and len(err.strip().splitlines()) == 1
    assert needle in err and "Traceback" not in err
