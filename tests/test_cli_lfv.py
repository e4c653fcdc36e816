"""Command ``lfv``: every branching ratio with its limit for a coupling matrix, exactly zero
where no diagram exists, the same numbers as the library, one-line errors."""

import pytest

from leptoportal.lfv import experimental_limits, lfv
from leptoportal.model import CouplingMatrix, DarkSector


def _write(tmp_path, text: str) -> str:
    path = tmp_path / "couplings.yaml"
    path.write_text(text)
    return str(path)


def test_every_branching_ratio_with_its_limit_for_e_mu_and_mu_mu(run_json, tmp_path):
    f = _write(tmp_path, "e-mu: {cs: 1e-6, cp: 1e-6}\nmu-mu: {cs: 1e-4}\n")
    out = run_json("lfv", "--m-phi", "0.2,0.5,1", "--couplings", f)
    assert [p["m_phi"] for p in out["points"]] == [0.2, 0.5, 1.0]
    limits = experimental_limits()
    matrix = CouplingMatrix.from_mapping({"e-mu": {"cs": 1e-6, "cp": 1e-6},
                                          "mu-mu": {"cs": 1e-4}})
    for point in out["points"]:
        rows = {r["channel"]: r for r in point["channels"]}
        applies = {c: lim for c, lim in limits.items()
                   if lim.m_phi_max is None or lim.m_phi_max >= point["m_phi"]}
        assert set(applies) <= set(rows)
        for name, lim in applies.items():
            assert rows[name]["br_limit"] == lim.br_limit
        meg = rows["mu -> e gamma"]
        assert meg["process"] == "one loop" and meg["br"] > 0 and meg["br_err"] < 1e-6 * meg["br"]
        assert meg["ratio"] == pytest.approx(meg["br"] / 1.5e-13)
        assert point["h_limit_channel"] == "mu -> e gamma"
        direct = lfv(point["m_phi"], matrix, 1.0, DarkSector.default(point["m_phi"]))
        assert point["h_limit"] == pytest.approx(direct.h_limit, rel=1e-12)


def test_the_limit_on_h_does_not_depend_on_h(run_json):
    at = [run_json("lfv", "--m-phi", "0.5", "--model", "mumu-emu", "--h", h)["points"][0]
          for h in ("0", "1e-3")]
    assert at[0]["h_limit"] == pytest.approx(at[1]["h_limit"], rel=1e-12)
    assert at[0]["channels"][0]["br"] == 0.0 and "max_ratio" not in at[0]


def test_a_matrix_of_zeros_is_exactly_zero(run_json):
    out = run_json("lfv", "--m-phi", "0.5", "--cs", "0", "--cp", "0")
    assert all(r["br"] == 0.0 for r in out["points"][0]["channels"])


def test_e_mu_entry_alone_is_exactly_zero(run_json, tmp_path):
    f = _write(tmp_path, "e-mu: {cs: 0.5, cp: 0.5}\n")
    out = run_json("lfv", "--m-phi", "0.2,0.5,1", "--couplings", f, "--h", "1e-3")
    for point in out["points"]:
        assert all(r["br"] == 0.0 and r["process"] == "no diagram"
                   for r in point["channels"])
        assert "h_limit" not in point


def test_named_matrix_model_and_a_table_for_people(run_cli):
    code, out, err = run_cli("lfv", "--m-phi", "0.5", "--model", "mumu-emu", "--h", "1e-3")
    assert code == 0, err
    assert "mu -> e" in out and "h_limit" in out


@pytest.mark.parametrize("args,needle", [
    (["--m-phi", "0.05", "--model", "mumu-emu"], "--m-phi 0.05"),
    (["--m-phi", "0.5", "--model", "mumu-emu", "--h", "10"], "perturbative"),
    (["--m-phi", "0.5", "--model", "tau-philic"], "--model 'tau-philic'"),
    (["--m-phi", "0.5", "--model", "mumu-emu", "--alpha-dark", "-1"], "--alpha-dark"),
])
def test_bad_input_one_line_exit_2(run_cli, args, needle):
    code, out, err = run_cli("lfv", *args)
    assert code == 2, err
    assert out == "" and len(err.strip().splitlines()) == 1
    assert needle in err and "Traceback" not in err


def test_the_table_for_people_shows_every_rate_in_full_in_80_columns(run_cli, run_json,
                                                                      tmp_path):
    """Printed to a file (rich's 80 columns) the lfv table cuts no number: every non-zero
    BR of the JSON appears in full (6 digits), no line is wider than 80 characters, the
    channels without a diagram are one line, and h_limit and the largest ratio are said in
    words."""
    matrix = tmp_path / "m.yaml"
    matrix.write_text("e-mu: {cs: 1}\nmu-mu: {cs: 1}\ntau-tau: {cp: 1}\ne-tau: {cs: 0.5}\n")
    args = ("lfv", "--m-phi", "0.5", "--couplings", str(matrix), "--h", "1e-4")
    code, out, _ = run_cli(*args)
    assert code == 0
    assert "\u2026" not in out and max(len(line) for line in out.splitlines()) <= 80
    point = run_json(*args)["points"][0]
    shown = [c for c in point["channels"] if c["br"]]
    assert len(shown) >= 4
    for c in shown:
        assert f"{c['br']:.6g}" in out, c["channel"]
    words = " ".join(out.split())  # the lines for people wrap at 80 columns
    assert "no diagram (BR exactly 0): mu -> e e e" in words
    assert f"h_limit = {point['h_limit']:.6g}, the largest h every limit allows" in words
    assert words.count("no diagram") == 1
