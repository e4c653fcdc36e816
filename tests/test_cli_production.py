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
        (["--energy", "100", "--target", "Xx", "--m-phi", "0.2"], "--target 'Xx'"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.05"], "--m-phi 0.05"),
        (["--energy", "-5", "--target", "Pb", "--m-phi", "0.2"], "--energy -5"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--beam", "tau-"], "beam"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--method", "exact"],
         "--method 'exact'"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--precision", "0"],
         "--precision 0"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--spectrum", "x"], "--out"),
        (["--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--spectrum", "y",
          "--out", "/tmp/y.csv"], "--spectrum 'y'"),
    ],
)
def test_xsec_bad_input(run_cli, args, needle):
    code, out, err = run_cli("xsec", *args)
    assert code == 2, err
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_xsec_flavour_done_when(run_json):
    """Diagonal channels with --final-lepton and --cs/--cp reach <= 0.3% by default."""
    e = run_json("xsec", "--beam", "e-", "--final-lepton", "e", "--energy", "100", "--target",
                 "Pb", "--m-phi", "0.02", "--cs", "1", "--cp", "0", "--method", "etl")
    mu = run_json("xsec", "--beam", "mu-", "--final-lepton", "mu", "--energy", "160",
                  "--target", "Pb", "--m-phi", "0.02", "--cs", "1", "--cp", "0", "--method",
                  "etl")
    for out, lepton in ((e, "e-"), (mu, "mu-")):
        assert out["sigma_err_pb"] <= 0.003 * out["sigma_pb"]
        assert out["beam"] == lepton and out["final_lepton"] == lepton
        assert out["scalar"] == "phi (real)" and out["c_s"] == [1.0, 0.0]
    plus = run_json("xsec", "--beam", "e+", "--energy", "100", "--target", "Pb", "--m-phi",
                    "0.3", "--method", "ww")
    minus = run_json("xsec", "--beam", "e-", "--energy", "100", "--target", "Pb", "--m-phi",
                     "0.3", "--method", "ww")
    assert plus["sigma_pb"] == pytest.approx(minus["sigma_pb"], rel=1e-12)
    assert (plus["final_lepton"], plus["scalar"]) == ("mu+", "phi")
    assert (minus["final_lepton"], minus["scalar"]) == ("mu-", "phibar")


def test_coupling_matrix_options(run_json, tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("mu-mu: {cs: 1.0}\n")
    a = run_json("xsec", "--beam", "mu-", "--final-lepton", "mu", "--energy", "160",
                 "--target", "Pb", "--m-phi", "0.5", "--method", "ww", "--couplings", str(f),
                 "--h", "1e-3")
    b = run_json("xsec", "--beam", "mu-", "--final-lepton", "mu", "--energy", "160",
                 "--target", "Pb", "--m-phi", "0.5", "--method", "ww", "--model",
                 "mumu-scalar", "--h", "1e-3")
    assert a["sigma_pb"] == b["sigma_pb"]
    g = run_json("g2", "--m-phi", "0.5", "--h", "1e-3", "--model", "mumu-scalar")
    assert g["delta_a_mu"] > 0 and g["delta_a_e"] == 0.0 and "mu-mu" in g["couplings"]
    band = run_json("g2-band", "--m-phi", "0.5", "--model", "mumu-scalar")
    assert band["coupling"] == "mumu-scalar" and band["points"][0]["h_central"] > 0


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--final-lepton", "nu"], "--final-lepton 'nu'"),
        (["--model", "tautau"], "--model 'tautau'"),
        (["--beam", "pi+"], "--beam 'pi+'"),
        (["--model", "mumu-scalar", "--cs", "1"], "cannot be combined"),
        (["--cs", ""], "--cs ''"),
    ],
)
def test_xsec_flavour_bad_input(run_cli, args, needle):
    code, out, err = run_cli("xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.3",
                             "--method", "ww", *args)
    assert code == 2 and out == "" and needle in err and len(err.strip().splitlines()) == 1
