"""CLI: leptoportal xsec (total, spectrum CSV, bad input)."""

import csv

import pytest


def test_xsec_etl_json(run_json):
    out = run_json("xsec", "--beam", "e-", "--energy", "100", "--target", "Pb", "--m-phi",
                   "0.2", "--method", "etl")
    assert out["sigma_err_pb"] <= 0.005 * out["sigma_pb"]
    assert out["method"] == "etl" and out["target"] == "Pb" and out["m_phi"] == 0.2
    # same seed, same number
    again = run_json("xsec", "--beam", "e-", "--energy", "100", "--target", "Pb", "--m-phi",
                     "0.2", "--method", "etl")
    assert again["sigma_pb"] == out["sigma_pb"]


def test_xsec_ww_h_scaling_and_ff_systematic(run_json):
    a = run_json("xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.5", "--method",
                 "ww", "--ff-systematic")
    b = run_json("xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.5", "--method",
                 "ww", "--h", "0.01")
    assert b["sigma_pb"] == pytest.approx(1e-4 * a["sigma_pb"], rel=1e-12)
    assert set(a["form_factor_variants_pb"]) == {"elastic", "elastic+inelastic", "helm"}
    assert a["form_factor_syst_pb"] > 0


def test_xsec_spectrum_csv(run_json, tmp_path):
    out_file = tmp_path / "x.csv"
    out = run_json("xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.5",
                   "--spectrum", "x", "--bins", "12", "--out", str(out_file))
    rows = [r for r in csv.reader(ln for ln in out_file.read_text().splitlines()
                                  if not ln.startswith("#"))]
    assert rows[0] == ["lo", "hi", "center", "dsigma_pb", "dsigma_err_pb"]
    body = [[float(x) for x in r] for r in rows[1:]]
    assert len(body) == 12
    integral = sum((r[1] - r[0]) * r[3] for r in body)
    assert integral == pytest.approx(out["sigma_pb"], rel=1e-6)


def test_xsec_double_differential_csv(run_json, tmp_path):
    out_file = tmp_path / "xc.csv"
    out = run_json("xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.5",
                   "--spectrum", "x:cos_theta", "--bins", "8", "--out", str(out_file))
    rows = [r for r in csv.reader(ln for ln in out_file.read_text().splitlines()
                                  if not ln.startswith("#"))][1:]
    assert len(rows) == 64
    total = sum((float(r[1]) - float(r[0])) * (float(r[3]) - float(r[2])) * float(r[4])
                for r in rows)
    assert total == pytest.approx(out["sigma_pb"], rel=1e-6)


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--energy", "0.3", "--target", "Pb", "--m-phi", "0.2"], "below the threshold"),
        (["--energy", "100", "--target", "Xx", "--m-phi", "0.2"], "target = 'Xx'"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.05"], "m_phi = 0.05"),
        (["--energy", "-5", "--target", "Pb", "--m-phi", "0.2"], "energy = -5"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--beam", "tau-"], "beam"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--method", "exact"],
         "method = 'exact'"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--precision", "0"],
         "precision = 0"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--spectrum", "x"], "--out"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--spectrum", "y",
          "--out", "/tmp/y.csv"], "observable = 'y'"),
    ],
)
def test_xsec_bad_input(run_cli, args, needle):
    code, out, err = run_cli("xsec", *args)
    assert code == 2, err
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err
