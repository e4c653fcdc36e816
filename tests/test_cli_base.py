"""CLI: g2, g2-band, widths, including bad input (one line, exit code 2)."""

import subprocess
import sys

import pytest

from leptoportal import Couplings, g2


def test_g2_json(run_json):
    out = run_json("g2", "--m-phi", "0.5", "--h", "1e-2")
    assert out["delta_a_mu"] == pytest.approx(g2.delta_a_mu(0.5, Couplings.chiral(1e-2)))
    assert "delta_a_e" in out


def test_g2_explicit_couplings(run_json):
    out = run_json("g2", "--m-phi", "0.5", "--cs", "1e-2", "--cp", "0")
    assert out["delta_a_mu"] == pytest.approx(g2.delta_a_mu(0.5, Couplings(1e-2, 0)))


def test_g2_band_json(run_json):
    out = run_json("g2-band", "--m-phi", "0.2,1.0")
    assert [p["m_phi"] for p in out["points"]] == [0.2, 1.0]
    for p in out["points"]:
        lo, hi = p["h_1sigma_lo"], p["h_1sigma_hi"]
        assert lo < p["h_central"] < hi
        assert p["h_2sigma_lo"] < lo and p["h_2sigma_hi"] > hi
    out = run_json("g2-band", "--m-phi", "0.2", "--dataset", "fnal2025")
    assert "h_upper" in out["points"][0] and out["points"][0]["cl"] == 0.9


def test_widths_json(run_json):
    out = run_json("widths", "--m-phi", "0.3", "--h", "1e-3", "--g-dark", "0.1")
    for key in ("gamma_mu_e", "gamma_dark", "gamma_total", "br_invisible", "ctau_m"):
        assert key in out
    assert 0.99 < out["br_invisible"] <= 1


@pytest.mark.parametrize(
    "args,needle",
    [
        (["g2", "--m-phi", "0.1", "--h", "1"], "--m-phi 0.1"),
        (["g2", "--m-phi", "abc", "--h", "1"], "--m-phi"),
        (["g2", "--m-phi", "0.3", "--h", "nan"], "--h nan"),
        (["g2", "--m-phi", "0.3"], "h is required"),
        (["g2-band", "--m-phi", "0.2,x"], "'x'"),
        (["g2-band", "--m-phi", "0.2", "--dataset", "bnl"], "--dataset 'bnl'"),
        (["g2", "--m-phi", "0.3", "--h", "1", "--coupling", "vector"], "--coupling 'vector'"),
        (["widths", "--m-phi", "0.3", "--h", "1", "--m-chi", "-0.1"], "--m-chi"),
        (["widths", "--m-phi", "0.3", "--h", "1", "--g-dark", "-1"], "--g-dark -1"),
    ],
)
def test_bad_input_one_line_exit_2(run_cli, args, needle):
    code, out, err = run_cli(*args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert needle in err
    assert "Traceback" not in err


def test_console_script_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "leptoportal.cli", "g2", "--m-phi", "0.05", "--h", "1"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --m-phi 0.05")
