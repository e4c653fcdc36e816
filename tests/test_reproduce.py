"""reproduce --fast end to end: every file, tables that parse back and agree with the API."""

import csv
import json
import re

import pytest
import yaml

from leptoportal import g2


@pytest.fixture(scope="module")
def fast_run(tmp_path_factory):
    """reproduce --fast with a *relative* output directory, as the README gives it (the
    HEPData archive, images attached, once failed on exactly that)."""
    from leptoportal.reproduce import reproduce

    here = tmp_path_factory.mktemp("repro")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(here)
        summary = reproduce("results", fast=True, scheduler="serial")
    out = here / "results"
    assert summary["out"] == str(out)
    return out, summary


def test_reproduce_fast_writes_every_file(fast_run):
    out, summary = fast_run
    for stem in ("fig1_mphi_h_plane", "fig2_xsec_100GeV", "fig3_spectra", "fig4_relic",
                 "fig5_resonant_reach", "fig6_shower_positrons"):
        png = out / "figures" / f"{stem}.png"
        assert png.stat().st_size > 20_000
        assert (out / "figures" / f"{stem}.pdf").stat().st_size > 5_000
        from PIL import Image

        with Image.open(png) as im:
            assert im.size[0] > 600 and im.size[1] > 400
    for name in ("report.md", "report.html", "summary.json"):
        assert (out / name).stat().st_size > 1000
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 6
    md = (out / "report.md").read_text()
    assert "PRL 123 (2019) 121801" in md and "Assumptions" in md
    assert set(summary["excluded"]) == {"central", "whole_2sigma", "part_2sigma"}
    # summary.json is what `reproduce --json` prints, valid under its documented schema
    import jsonschema

    from leptoportal.cli.schemas import command_schema

    assert json.loads((out / "summary.json").read_text()) == summary
    jsonschema.validate(summary, command_schema("reproduce"))


def test_tables_parse_back_and_agree_with_api(fast_run):
    out, _ = fast_run
    csvs = sorted((out / "tables").glob("*.csv"))
    assert len(csvs) >= 15
    # the HEPData submission: one YAML per table, valid for hepdata-validator
    from hepdata_validator.data_file_validator import DataFileValidator
    from hepdata_validator.submission_file_validator import SubmissionFileValidator

    assert (out / "submission.tar.gz").stat().st_size > 1000  # the archive to upload
    sub = out / "hepdata" / "submission.yaml"
    assert SubmissionFileValidator().validate(file_path=str(sub))
    docs = list(yaml.safe_load_all(sub.read_text()))
    files = [d["data_file"] for d in docs if "data_file" in d]
    assert len(files) == len(csvs)
    for f in files:
        assert DataFileValidator().validate(file_path=str(out / "hepdata" / f)), f
    fig2 = yaml.safe_load((out / "hepdata" / "fig2_xsec_100gev_pb.yaml").read_text())
    etl = next(v for v in fig2["dependent_variables"]
               if v["header"]["name"] == r"$\sigma$ (exact tree level)")
    assert all(v["errors"][0]["label"] == "Monte Carlo" for v in etl["values"])
    assert etl["header"]["units"] == "pb"
    spec = next(f for f in files if f.startswith("fig3_x_"))
    x = yaml.safe_load((out / "hepdata" / spec).read_text())["independent_variables"][0]
    assert {"low", "high"} <= set(x["values"][0])
    for path in csvs:
        rows = [r for r in csv.reader(ln for ln in path.read_text().splitlines()
                                      if not ln.startswith("#"))]
        assert len(rows) > 1
    rows = list(csv.reader(ln for ln in (out / "tables" / "fig1_g2_band_fnal2021.csv")
                           .read_text().splitlines() if not ln.startswith("#")))
    m, hc = float(rows[5][0]), float(rows[5][1])
    assert hc == pytest.approx(g2.coupling_band(m).h_central, rel=1e-7)
    lim = list(csv.reader(ln for ln in (out / "tables" / "fig1_limit_na64e-2016-2018.csv")
                          .read_text().splitlines() if not ln.startswith("#")))
    from leptoportal import tasks

    assert lim[0] == ["m_phi", "h_limit", "h_limit_err"]  # the JSON keys of `limit`
    m0, h0, e0 = (float(v) for v in lim[1])
    direct = tasks.limit(tasks.build("limit", {"m_phi": m0, "experiment": "na64e-2016-2018",
                                               "precision": 0.03, "alpha_dark": 0.1}))
    assert h0 == pytest.approx(direct.h_limit, rel=1e-7)
    assert e0 == pytest.approx(direct.h_limit_err, rel=1e-7) and 0 < e0 < 0.05 * h0


def test_hepdata_submission_is_ready_to_hand_on(fast_run):
    """Every table has a real location, keywords, LaTeX names, the figure's image and
    thumbnail; the g-2 band is a central value with asymmetric 1 and 2 sigma uncertainties;
    the submission links the paper (arXiv record) and carries the run's report."""
    out, _ = fast_run
    hep = out / "hepdata"
    docs = list(yaml.safe_load_all((hep / "submission.yaml").read_text()))
    head, tables = docs[0], docs[1:]
    assert {"id": "2202.04410", "type": "arXiv"} in head["record_ids"]
    resources = {r["location"]: r["description"] for r in head["additional_resources"]}
    assert resources["https://arxiv.org/abs/2202.04410"].startswith("The paper")
    assert "report.md" in resources and (hep / "report.md").is_file()
    import tarfile

    with tarfile.open(out / "submission.tar.gz") as tar:
        names = set(tar.getnames())
    for t in tables:
        assert "Example location" not in t["location"] and "Figure " in t["location"]
        keywords = {k["name"]: k["values"] for k in t["keywords"]}
        assert keywords.get("observables") and keywords.get("phrases"), t["name"]
        images = [r["location"] for r in t["additional_resources"]]
        assert len(images) == 2 and all((hep / i).is_file() and i in names for i in images)
        data = yaml.safe_load((hep / t["data_file"]).read_text())
        for v in data["independent_variables"] + data["dependent_variables"]:
            words = re.sub(r"\$[^$]*\$", "", v["header"]["name"])  # text outside the maths
            assert "_" not in words, v["header"]["name"]  # no code names (h_limit)
    limit = next(t for t in tables if t["name"] == "fig1_limit_na64e-2016-2018")
    assert {"name": "reactions", "values": ["E- PB --> MU- PB PHIBAR"]} in limit["keywords"]
    band = yaml.safe_load((hep / "fig1_g2_band_fnal2021.yaml").read_text())
    (central,) = band["dependent_variables"]  # the band edges are its uncertainties
    rows = list(csv.reader(ln for ln in (out / "tables" / "fig1_g2_band_fnal2021.csv")
                           .read_text().splitlines() if not ln.startswith("#")))
    first = dict(zip(rows[0], map(float, rows[1]), strict=True))
    value = central["values"][0]
    assert value["value"] == pytest.approx(first["h_central"], rel=1e-7)
    one, two = value["errors"]
    assert one["asymerror"]["minus"] == pytest.approx(first["h_1sigma_lo"] - first["h_central"],
                                                      rel=1e-6)
    assert two["asymerror"]["plus"] == pytest.approx(first["h_2sigma_hi"] - first["h_central"],
                                                     rel=1e-6)


def test_annihilation_reach_table_agrees_with_the_limit_command(fast_run):
    out, summary = fast_run
    from leptoportal import tasks

    rows = [r for r in csv.reader(ln for ln in (out / "tables" / "fig5_reach_na64mu-plus.csv")
                                  .read_text().splitlines() if not ln.startswith("#"))]
    assert rows[0] == ["m_phi", "h_limit", "n_resonant", "n_conversion"]
    m, h = float(rows[1][0]), float(rows[1][1])
    direct = tasks.limit(tasks.build("limit", {"m_phi": m, "experiment": "na64mu-plus",
                                               "sensitivity": True, "precision": 0.03,
                                               "alpha_dark": 0.1}))
    assert h == pytest.approx(direct.h_limit, rel=1e-7)
    best_m, best_h = summary["annihilation_reach"]["na64mu-plus"]
    assert 0.40 < best_m < 0.43 and best_h < 3e-5


def test_reproduce_muon_philic_plane(tmp_path):
    from leptoportal.reproduce import reproduce

    summary = reproduce(tmp_path, fast=True, scheduler="serial", model="mumu-emu")
    assert summary["model"] == "mumu-emu"
    assert (tmp_path / "figures" / "fig1_mphi_h_plane.png").stat().st_size > 20_000
    names = {p.stem for p in (tmp_path / "tables").glob("*.csv")}
    assert {"fig1_g2_band_fnal2021", "fig1_limit_na64mu-2022-mumu", "fig1_limit_m3-phase1",
            "fig1_limit_m3-phase2", "fig1_thermal_target", "fig1_clfv_limit"} <= names
    md = (tmp_path / "report.md").read_text()
    assert "mumu-emu" in md and "PRL 132 (2024) 211803" in md
    # the NA64mu 2022 exclusion reaches the muon g-2 band of the muon-philic scalar
    assert summary["excluded"]["part_2sigma"]
    # the e-mu entry (1e-5 of g_mu): MEG II reaches the band too, as a region of the plane
    assert summary["clfv_excluded"]["channels"] == ["mu -> e gamma"]
    assert summary["clfv_excluded"]["part_2sigma"]
    assert "mu -> e gamma (90% CL) excludes" in md
    rows = [ln.split(",") for ln in (tmp_path / "tables" / "fig1_clfv_limit.csv").read_text()
            .splitlines() if not ln.startswith("#")]
    from leptoportal.lfv import lfv
    from leptoportal.model import CouplingMatrix, DarkSector

    m, h = float(rows[1][0]), float(rows[1][1])
    direct = lfv(m, CouplingMatrix.model("mumu-emu"), 1.0, DarkSector.default(m))
    assert h == pytest.approx(direct.h_limit, rel=1e-7)  # the CSV's 8 digits
    # every bound in one plane (figure 7): TWIST's mu -> e phi sets the combination below
    # 80 MeV, the muon g-2 above; the combined table's rows are the constraints command's
    assert (tmp_path / "figures" / "fig7_constraints_plane.png").stat().st_size > 20_000
    assert {"fig7_bound_mu_e_phi", "fig7_bound_g_2_mu_fnal2025", "fig7_bound_mu_e_gamma",
            "fig7_combined"} <= names
    set_by = summary["combined_bound_set_by"]
    assert set_by["mu -> e phi"][0][0] == 0.002 and set_by["mu -> e phi"][-1][1] < 0.08
    assert "g-2 mu (fnal2025)" in set_by
    from leptoportal.constraints import constraints_at
    from leptoportal.model import ModelPoint

    combined = [ln.split(",") for ln in (tmp_path / "tables" / "fig7_combined.csv")
                .read_text().splitlines() if not ln.startswith("#")][1:]
    for m_s, h_s in combined[::4]:
        m = float(m_s)
        if m > 0.1:  # the NA64 limits are the scan's there (the same function)
            continue
        direct = constraints_at(ModelPoint(m, CouplingMatrix.model("mumu-emu"), 1.0,
                                           DarkSector.default(m), open_lepton_decays=True))
        assert float(h_s) == pytest.approx(direct.h_limit, rel=1e-7)


def test_summary_in_sentences():
    from leptoportal.reproduce.report import summary_sentences

    summary = {"excluded": {"central": [], "whole_2sigma": [],
                            "part_2sigma": [[0.23150735588896407, 0.840386041228116]]},
               "relic": {"m_phi": 0.3, "h_relic": 5.1234e-4},
               "annihilation_reach": {"na64mu-plus": [0.416154, 1.726e-5]},
               "timings_s": {"total": 32.2}}
    lines = summary_sentences(summary)
    assert lines[0] == ("na64e-2016-2018 (90% CL) excludes part of the g-2 2 sigma band for "
                        "m_phi in 0.232-0.84 GeV; the central muon g-2 coupling and the whole "
                        "g-2 2 sigma band nowhere.")
    assert "h = 0.00051" in lines[1] and "h = 1.7e-05 at m_phi = 0.416 GeV" in lines[2]
    assert lines[-1] == "Run time 32 s."
    assert not any("[" in line or "0.2315073" in line for line in lines)


def test_refinement_adds_nodes_where_curves_bend_or_end():
    from leptoportal.reproduce.compute import refinement_tasks

    base = {"kind": "limit", "experiment": "x", "precision": 0.01}
    masses = [0.1, 0.2, 0.4, 0.8, 1.6]
    hs = [1e-3, 2e-3, 4e-3, 4e-1, None]   # straight, then a bend at 0.4, then no limit
    tasks = [{**base, "m_phi": m} for m in masses]
    rows = [{**t, "h_limit": h if h is not None else float("inf")} for t, h in zip(
        tasks, hs, strict=True)]
    new = sorted(t["m_phi"] for t in refinement_tasks(tasks, rows))
    assert new == pytest.approx([(0.2 * 0.4) ** 0.5, (0.4 * 0.8) ** 0.5, (0.8 * 1.6) ** 0.5])
    assert all(t["precision"] == 0.01 and t["experiment"] == "x"
               for t in refinement_tasks(tasks, rows))
    assert refinement_tasks(tasks[:3], rows[:3]) == []   # a straight line is left alone
