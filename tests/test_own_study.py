"""Your own study: set-ups of your own (YAML, flags), the presets' coupling models, compound
targets for xsec and generate, inputs that the set-up makes meaningless, and the worked
examples of the docs page (run here as they are on the page)."""

import json
import math

import mkdocs_hooks
import pytest

from leptoportal import stats
from leptoportal.constants import N_A
from leptoportal.experiments import get_preset, preset_names
from leptoportal.production import get_target

EXAMPLES = dict(mkdocs_hooks.examples())


def _rows(name: str) -> list[dict]:
    return mkdocs_hooks.run_example(EXAMPLES[name])


def test_the_docs_page_has_the_four_examples():
    assert set(EXAMPLES) == {"own-ldmx-4gev.yaml", "own-m3.yaml", "own-na64e.yaml",
                             "own-m3-eot-scan.yaml"}


@pytest.mark.parametrize("name", ["own-ldmx-4gev.yaml", "own-m3.yaml"])
def test_examples_of_own_setups_give_limits(name):
    rows = _rows(name)
    h = [r["h_limit"] for r in rows]
    assert all(math.isfinite(x) and x > 0 for x in h) and h == sorted(h)
    assert all(r["n_up"] == pytest.approx(math.log(10)) for r in rows)


def test_example_of_own_statistics_and_efficiency_table(run_json):
    rows = {r["m_phi"]: r for r in _rows("own-na64e.yaml")}
    n_up = stats.cls_upper_limit(1, 0.5)
    assert rows[0.5]["n_up"] == pytest.approx(n_up, rel=1e-12)
    # at 0.5 GeV the table gives 0.5, the preset's efficiency: the same limit as the preset
    # with the same statistics; at 0.2 GeV 0.4231 (linear), so h^2 scales as 0.5 / 0.4231
    same = run_json("limit", "--experiment", "na64e-2016-2022", "--m-phi", "0.2,0.5",
                    "--n-obs", "1", "--background", "0.5", "--precision", "0.03")["points"]
    assert rows[0.5]["h_limit"] == pytest.approx(same[1]["h_limit"], rel=1e-9)
    eff = 0.40 + (0.2 - 0.11) / (0.5 - 0.11) * 0.10
    assert rows[0.2]["h_limit"] == pytest.approx(same[0]["h_limit"] * math.sqrt(0.5 / eff),
                                                 rel=1e-4)


def test_example_scan_over_the_exposure():
    h = {float(r["eot"]): float(r["h_limit"]) for r in _rows("own-m3-eot-scan.yaml")}
    assert h[1e10] / h[1e12] == pytest.approx(10.0, rel=0.01)  # h ~ EOT^(-1/2), Br_inv ~ 1


def test_thin_target_yield_by_hand(run_json, tmp_path):
    """N = N_beam x n_atoms L x sigma x efficiency x Br_inv with sigma from the package's own
    xsec (same precision and seed) and Br_inv from its widths."""
    f = tmp_path / "mine.yaml"
    f.write_text("name: thin-w\nbeam: e-\nenergy: 8.0\ntarget: W\nthickness_x0: 0.1\n"
                 "eot: 1.0e+14\nefficiency: 0.5\n")
    y = run_json("yield", "--config", str(f), "--m-phi", "0.3", "--h", "1e-3")
    assert y["experiment"] == "thin-w"
    xs = run_json("xsec", "--energy", "8", "--target", "W", "--m-phi", "0.3", "--h", "1e-3",
                  "--precision", "0.01")
    br = run_json("widths", "--m-phi", "0.3", "--h", "1e-3", "--alpha-dark", "0.1")
    w = get_target("W")
    atoms_per_cm2 = N_A * 0.1 * w.X0_g_cm2 / w.A  # n_atoms x L
    by_hand = 1e14 * atoms_per_cm2 * xs["sigma_cm2"] * 0.5 * br["br_invisible"]
    err = math.hypot(y["n_signal_err"], by_hand * xs["sigma_err_pb"] / xs["sigma_pb"])
    assert abs(y["n_signal"] - by_hand) <= err
    assert y["n_signal"] == pytest.approx(by_hand, rel=1e-9)  # same seed: the same points


#: a mass inside each preset's kinematic range
MASSES = {"na64e-2016-2022-ee": 0.05, "na64mu-plus": 0.4175, "na64mu-plus-scan": 0.4175}


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_gives_a_signal_with_no_model_flag(run_json, name):
    y = run_json("yield", "--experiment", name, "--m-phi", str(MASSES.get(name, 0.3)),
                 "--h", "1e-4", "--precision", "0.05")
    assert y["n_signal"] > 0 and get_preset(name).model is not None


def test_diagonal_models_choose_their_channel(run_json, run_cli, tmp_path):
    y = run_json("yield", "--experiment", "na64e-2016-2022-ee", "--m-phi", "0.02", "--h",
                 "1e-4", "--precision", "0.05")
    assert y["n_signal"] > 0
    xs = run_json("xsec", "--beam", "e-", "--model", "ee-scalar", "--m-phi", "0.02",
                  "--energy", "100", "--target", "Pb", "--precision", "0.05")
    assert xs["final_lepton"] == "e-" and xs["sigma_pb"] > 0
    ev = run_json("generate", "--beam", "e-", "--model", "ee-scalar", "--m-phi", "0.02",
                  "--energy", "100", "--target", "Pb", "--n", "100", "--out",
                  str(tmp_path / "ee.lhe"))
    assert ev["n_events"] == 100 and ev["sigma_pb"] > 0
    code, _, err = run_cli("yield", "--experiment", "na64e-2016-2022-ee", "--m-phi", "0.2",
                           "--h", "1e-4", "--model", "emu-chiral")
    assert code == 2 and "emu-chiral" in err and "ee-scalar" in err
    code, _, err = run_cli("xsec", "--beam", "e-", "--model", "mumu-scalar", "--m-phi", "0.2",
                           "--energy", "100", "--target", "Pb")
    assert code == 2 and "mu-mu" in err and "e beam" in err
    code, _, err = run_cli("xsec", "--beam", "e-", "--model", "ee-scalar", "--final-lepton",
                           "mu", "--m-phi", "0.2", "--energy", "100", "--target", "Pb")
    assert code == 2 and "no e-mu entry" in err


def test_xsec_of_a_compound_is_the_atom_average_of_its_elements(run_json):
    args = ["--energy", "100", "--m-phi", "0.2", "--precision", "0.01"]
    mix = run_json("xsec", "--target", "PbWO4", *args)
    parts = {t: run_json("xsec", "--target", t, *args)["sigma_pb"] for t in ("Pb", "W", "O")}
    expected = (parts["Pb"] + parts["W"] + 4 * parts["O"]) / 6
    assert mix["sigma_pb"] == pytest.approx(expected, rel=1e-9)
    assert [c["element"] for c in mix["components"]] == ["Pb", "W", "O"]
    assert mix["target"] == "PbWO4"


def test_generate_on_a_compound_mixes_its_elements(run_json, tmp_path):
    import pylhe

    out = tmp_path / "pbwo4.lhe"
    ev = run_json("generate", "--energy", "100", "--target", "PbWO4", "--m-phi", "0.2",
                  "--n", "3000", "--out", str(out))
    shares = {e["element"]: e for e in ev["elements"]}
    rate = {k: v["atom_fraction"] * v["sigma_pb"] for k, v in shares.items()}
    codes = [next(int(p.id) for p in e.particles if p.id > 1e9)
             for e in pylhe.LHEFile.fromfile(str(out)).events]
    for name, code in (("Pb", 1000822080), ("W", 1000741840), ("O", 1000080160)):
        p = rate[name] / sum(rate.values())
        n = codes.count(code)
        assert n == shares[name]["events"]
        assert abs(n - 3000 * p) < 5 * math.sqrt(3000 * p * (1 - p)) + 1
    # written in random order, not element by element
    assert len({codes[i] for i in range(0, 300)}) >= 2


@pytest.mark.parametrize("yaml_text,args,needle", [
    ("experiment: my-m3\nbeam: mu-\n", [], "'name' names your own set-up"),
    ("experiment: ldmx\neott: null\n", [], "did you mean 'eot'"),
    ("kind: limit\nm_phi: 0.3\n", [], "unknown field(s) 'kind', 'm_phi'"),
    ("experiment: ldmx\neot: true\n", [], "boolean"),
    (None, ["--experiment", "ldmx", "--e-conv-min", "10"], "applies to thick electron targets"),
    (None, ["--experiment", "na64e-2016-2018", "--e-conv-min", "120"], "not below the beam"),
    (None, ["--experiment", "na64e-2016-2018", "--energy-scan", "100:1e9"], "resonant channel"),
    ("name: my-m3\nbeam: mu-\n", [], "missing: energy, target, thickness_x0"),
])
def test_inputs_that_mean_nothing_are_refused(run_cli, tmp_path, yaml_text, args, needle):
    if yaml_text is not None:
        f = tmp_path / "c.yaml"
        f.write_text(yaml_text)
        args = [*args, "--config", str(f)]
    code, out, err = run_cli("limit", "--m-phi", "0.3", *args)
    assert code == 2 and out == "" and needle in err and len(err.strip().splitlines()) == 1


def test_booleans_in_couplings_are_refused(run_cli, tmp_path):
    f = tmp_path / "m.yaml"
    f.write_text("e-mu: {cs: true}\n")
    code, _, err = run_cli("g2", "--m-phi", "0.3", "--h", "1", "--couplings", str(f))
    assert code == 2 and "boolean" in err


def test_generate_follows_a_thin_set_up_and_its_cuts(run_json, tmp_path):
    """generate --config of one's own thin muon set-up: the events take its beam, energy
    and target (no --energy needed), every event passes its cut on the outgoing lepton,
    and the cross-section is that of the selected events: the ETL integral with the same
    cut (an independent route), within the errors."""
    import math

    import pyarrow.parquet as pq

    from leptoportal.numerics import Numerics
    from leptoportal.production import Process, get_target
    from leptoportal.production.xsec import cached_cross_section

    mine = tmp_path / "mine.yaml"
    mine.write_text("name: my-m3\nbeam: mu-\nenergy: 15.0\ntarget: W\nthickness_x0: 10\n"
                    "mode: thin\neot: 1.0e+12\ne_out_max: 8.0\nmodel: mumu-scalar\n")
    out = tmp_path / "events.parquet"
    res = run_json("generate", "--config", str(mine), "--m-phi", "0.3", "--n", "4000",
                   "--out", str(out), "--decay", "none")
    assert res["beam"] == "mu-" and res["energy"] == 15.0 and res["target"] == "W"
    assert res["cuts"] == {"e_out": [None, 8.0]}
    lepton_e = pq.read_table(out).column("lepton_E").to_numpy()
    assert len(lepton_e) == 4000 and lepton_e.max() <= 8.0
    from leptoportal.model import CouplingMatrix

    proc = Process("mu-", 15.0, get_target("W"), 0.3,
                   CouplingMatrix.model("mumu-scalar", 1e-3), final_lepton="mu")
    sigma, err = cached_cross_section(proc, "etl", {"e_out": [None, 8.0]},
                                      Numerics(precision=0.01, cache=False))
    assert res["sigma_pb"] == pytest.approx(sigma, abs=4 * math.hypot(err,
                                                                      res["sigma_err_pb"]))


def test_a_preset_as_a_template_of_your_own(run_cli, run_json, tmp_path):
    code, out, _ = run_cli("experiments", "show", "ldmx", "--yaml")
    assert code == 0 and "eot: 2.0e+14" in out
    f = tmp_path / "mine.yaml"
    f.write_text(out.replace("name: ldmx", "name: my-ldmx"))
    mine = run_json("limit", "--config", str(f), "--m-phi", "0.3", "--precision", "0.05")
    ref = run_json("limit", "--experiment", "ldmx", "--m-phi", "0.3", "--precision", "0.05")
    assert mine["experiment"] == "my-ldmx"
    assert mine["points"][0]["h_limit"] == ref["points"][0]["h_limit"]
    code, out, _ = run_cli("experiments", "schema")
    fields = json.loads(out)["properties"]
    assert fields["energy"]["unit"] == "GeV" and fields["eot"]["exclusiveMinimum"] == 0
    assert "e_conv_min" in mkdocs_hooks.fields_markdown()


@pytest.mark.parametrize("name", ["own-ldmx-4gev.yaml", "own-m3.yaml", "own-na64e.yaml"])
def test_generate_takes_every_set_up_of_the_own_study_page(run_json, tmp_path, name):
    """The set-ups the own-study page writes (leptoportal examples) go to generate as they
    are: their beam, energy and target, their cuts, a thick electron target's track
    length."""
    from leptoportal.examples import write_examples
    from leptoportal.experiments import read_config_file, resolve_config

    write_examples(tmp_path / "ex", False)
    path = tmp_path / "ex" / name
    cfg = resolve_config(None, read_config_file(path))
    res = run_json("generate", "--config", str(path), "--m-phi", "0.3", "--n", "100",
                   "--out", str(tmp_path / "e.parquet"), "--decay", "none")
    assert (res["beam"], res["energy"]) == (cfg.beam, cfg.energy)
    assert res["cuts"] == {k: list(v) for k, v in cfg.cuts().items()}
    thick = cfg.mode == "thick" and not cfg.muon_beam
    assert (res["thick_target"] is not None) == thick
