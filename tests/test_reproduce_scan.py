"""reproduce --fast end to end; scan resume after a kill; LocalCluster == serial."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from leptoportal import g2, scan


@pytest.fixture(scope="module")
def fast_run(tmp_path_factory):
    from leptoportal.reproduce import reproduce

    out = tmp_path_factory.mktemp("repro")
    summary = reproduce(out, fast=True, scheduler="serial")
    return out, summary


def test_reproduce_fast_writes_every_file(fast_run):
    out, summary = fast_run
    for stem in ("fig1_mphi_h_plane", "fig2_xsec_100GeV", "fig3_spectra", "fig4_relic"):
        png = out / "figures" / f"{stem}.png"
        assert png.stat().st_size > 20_000
        assert (out / "figures" / f"{stem}.pdf").stat().st_size > 5_000
        from PIL import Image

        with Image.open(png) as im:
            assert im.size[0] > 600 and im.size[1] > 400
    for name in ("report.md", "report.html", "summary.json"):
        assert (out / name).stat().st_size > 1000
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 4
    md = (out / "report.md").read_text()
    assert "PRL 123 (2019) 121801" in md and "Assumptions" in md
    assert set(summary["excluded"]) == {"central", "whole_2sigma", "part_2sigma"}


def test_tables_parse_back_and_agree_with_api(fast_run):
    out, _ = fast_run
    csvs = sorted((out / "tables").glob("*.csv"))
    assert len(csvs) >= 15
    for path in csvs:
        doc = yaml.safe_load(path.with_suffix(".yaml").read_text())
        assert doc["independent_variables"][0]["header"]["units"] is not None
        rows = [r for r in csv.reader(ln for ln in path.read_text().splitlines()
                                      if not ln.startswith("#"))]
        assert len(rows[1:]) == len(doc["independent_variables"][0]["values"])
    rows = list(csv.reader(ln for ln in (out / "tables" / "fig1_g2_band_fnal2021.csv")
                           .read_text().splitlines() if not ln.startswith("#")))
    m, hc = float(rows[5][0]), float(rows[5][1])
    assert hc == pytest.approx(g2.coupling_band(m)["h_central"], rel=1e-7)
    lim = list(csv.reader(ln for ln in (out / "tables" / "fig1_limit_na64e-2016-2018.csv")
                          .read_text().splitlines() if not ln.startswith("#")))
    from leptoportal import experiments as ex

    m0, h0 = float(lim[1][0]), float(lim[1][1])
    direct = ex.limit_scan(ex.get_preset("na64e-2016-2018"), [m0], precision=0.03,
                           dark_alpha=0.1)[0]["h_limit"]
    assert h0 == pytest.approx(direct, rel=1e-7)


def _write_cfg(path: Path, n: int) -> Path:
    cfg = {"kind": "relic-target", "m_phi": {"log": [0.2, 2.0, n]}, "alpha_dark": 0.1}
    path.write_text(yaml.safe_dump(cfg))
    return path


def test_scan_interrupted_resumes_with_exactly_all_points(tmp_path):
    cfg = _write_cfg(tmp_path / "scan.yaml", 14)
    out = tmp_path / "out"
    env = {**os.environ, "LEPTOPORTAL_CACHE": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "leptoportal", "scan", str(cfg), "--out", str(out),
           "--scheduler", "serial", "--json"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    points = out / "points"
    deadline = time.time() + 120
    while time.time() < deadline:
        if points.exists() and len(list(points.glob("*.json"))) >= 3:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    first = {p.name: p.read_text() for p in points.glob("*.json")}
    assert 3 <= len(first) < 14, "the scan should have been interrupted part-way"
    assert not list(points.glob("*.tmp"))
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    final = {p.name: p.read_text() for p in points.glob("*.json")}
    assert len(final) == 14
    for name, text in first.items():  # finished points were not recomputed
        assert final[name] == text
    rows = list(csv.DictReader((out / "results.csv").open()))
    assert len(rows) == 14 and len({r["m_phi"] for r in rows}) == 14
    assert json.loads(done.stdout)["points"] == 14


def test_local_cluster_matches_serial(tmp_path):
    tasks = scan.tasks_from_config({"kind": "relic", "m_phi": [0.3, 0.6, 1.2, 2.0],
                                    "h": 1e-3, "alpha_dark": 0.1})
    serial = scan.run_scan(tasks, tmp_path / "serial", "serial")
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        dist = scan.run_scan(tasks, tmp_path / "dask", cluster.scheduler_address)
    assert [r["omega_h2"] for r in serial] == [r["omega_h2"] for r in dist]
    assert len(dist) == 4


def test_scan_config_errors(tmp_path, run_cli):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: nope\nm_phi: 0.3\n")
    code, out, err = run_cli("scan", str(bad))
    assert code == 2 and "kind = 'nope'" in err
    code, out, err = run_cli("scan", str(tmp_path / "missing.yaml"))
    assert code == 2 and "does not exist" in err
