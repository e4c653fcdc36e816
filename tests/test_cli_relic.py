"""CLI: relic, relic-target (including the issue's done-when command) and bad input."""

import pytest


def test_relic_target_alpha_dark(run_json):
    out = run_json("relic-target", "--m-phi", "0.3,0.5,1.0", "--alpha-dark", "0.1")
    assert [p["m_phi"] for p in out["points"]] == [0.3, 0.5, 1.0]
    for p in out["points"]:
        assert p["omega_h2"] == pytest.approx(0.120, rel=0.01)
        assert 0 < p["h_relic"] < 1


def test_relic_target_on_g2_band(run_json):
    out = run_json("relic-target", "--m-phi", "0.5", "--h-on-g2-band", "fnal2021")
    p = out["points"][0]
    assert p["omega_h2"] == pytest.approx(0.120, rel=0.01) and p["alpha_dark_relic"] > 0


def test_relic_point_and_generic(run_json):
    out = run_json("relic", "--m-phi", "0.3", "--h", "1e-3", "--alpha-dark", "0.1")
    assert {"omega_h2", "x_f", "sigma_v_xf_cm3_s"} <= set(out)
    gen = run_json("relic", "--generic", "--mass", "100", "--sigma-v", "2e-26", "--dm",
                   "majorana")
    assert 0.09 < gen["omega_h2"] < 0.15
    pw = run_json("relic", "--generic", "--mass", "100", "--sigma-v", "2e-26", "--p-wave",
                  "--dm", "majorana")
    assert pw["omega_h2"] > gen["omega_h2"]


@pytest.mark.parametrize(
    "args,needle",
    [
        (["relic", "--m-phi", "0.3", "--h", "1e-3", "--alpha-dark", "0.1", "--g-dark", "1"],
         "--g-dark, --alpha-dark"),
        (["relic", "--m-phi", "0.3", "--h", "1e-3", "--alpha-dark", "-0.1"], "--alpha-dark"),
        (["relic", "--generic", "--mass", "100"], "--sigma-v"),
        (["relic", "--generic", "--mass", "100", "--sigma-v", "1e-26", "--dm", "wimp"], "dm"),
        (["relic", "--m-phi", "0.3", "--h", "1e-3", "--alpha-dark", "0.1", "--table", "x"],
         "--table 'x'"),
        (["relic-target", "--m-phi", "0.3"], "exactly one"),
        (["relic-target", "--m-phi", "0.3", "--h-on-g2-band", "bnl"], "dataset"),
    ],
)
def test_relic_bad_input(run_cli, args, needle):
    code, out, err = run_cli(*args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err
