"""Scans: resume after SIGKILL with nothing lost, LocalCluster == serial, config errors, and
scan rows identical to the commands' output."""

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

from leptoportal import scan


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


def test_forked_workers_match_serial(tmp_path):
    """The default scheduler (processes forked from this one) gives the serial rows, in task
    order, and a pool given by the caller is used as it is."""
    tasks = scan.tasks_from_config({"kind": "g2-band", "m_phi": [0.3, 0.5, 0.7, 0.9]})
    serial = scan.run_scan(tasks, tmp_path / "serial", "serial")
    assert scan.default_scheduler() == scan.LOCAL
    assert scan.run_scan(tasks, tmp_path / "local", None) == serial
    with scan.local_pool(1) as pool:
        assert scan.run_scan(tasks, tmp_path / "pool", "serial", executor=pool) == serial


def test_scan_config_errors(tmp_path, run_cli):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: nope\nm_phi: 0.3\n")
    code, out, err = run_cli("scan", str(bad))
    assert code == 2 and "kind = 'nope'" in err
    code, out, err = run_cli("scan", str(tmp_path / "missing.yaml"))
    assert code == 2 and "does not exist" in err


def test_scan_rows_equal_the_limit_command(tmp_path, run_json):
    masses = [0.25, 0.6]
    cli = run_json("limit", "--experiment", "na64e-upgrade", "--m-phi", "0.25,0.6",
                   "--sensitivity", "--precision", "0.03", "--alpha-dark", "0.1")
    rows = scan.run_scan(scan.tasks_from_config(
        {"kind": "limit", "experiment": "na64e-upgrade", "m_phi": masses, "sensitivity": True,
         "precision": 0.03, "alpha_dark": 0.1}), tmp_path / "s", "serial")
    keys = ("m_phi", "h_limit", "h_limit_err", "n_up", "experiment")
    assert [{k: r[k] for k in keys} for r in rows] == cli["points"]
    assert all(0 < r["h_limit_err"] < 0.05 * r["h_limit"] for r in rows)


def test_untrusted_scan_points_are_recomputed(tmp_path, monkeypatch):
    from leptoportal import cache

    tasks = scan.tasks_from_config({"kind": "g2-band", "m_phi": [0.3, 0.5, 0.7]})
    first = scan.run_scan(tasks, tmp_path, "serial")
    files = sorted((tmp_path / "points").glob("*.json"))
    files[0].write_text(files[0].read_text()[:20])  # truncated by a crash of another tool
    files[1].write_text("{}")
    assert len(scan.pending(tasks, tmp_path)) == 2
    assert scan.run_scan(tasks, tmp_path, "serial") == first
    monkeypatch.setattr(cache, "CACHE_SCHEMA", cache.CACHE_SCHEMA + 1)
    assert len(scan.pending(tasks, tmp_path)) == 3  # other physics: nothing is reused


@pytest.mark.parametrize("scheduler,needle", [("foo", "is not 'local'"), ("", "is not 'local'"),
                                              ("tcp://127.0.0.1:1", "cannot be reached")])
def test_bad_schedulers_fail_in_one_line(run_cli, tmp_path, monkeypatch, scheduler, needle):
    monkeypatch.setattr(scan, "CONNECT_TIMEOUT_S", 1)  # nothing listens: no need to wait 10 s
    cfg = tmp_path / "s.yaml"
    cfg.write_text("kind: g2-band\nm_phi: [0.3]\n")
    code, out, err = run_cli("scan", str(cfg), "--out", str(tmp_path / "o"), "--scheduler",
                             scheduler)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


def test_cache_entries_from_two_processes_are_identical_and_valid(tmp_path):
    """Two processes computing the same points into one cache leave valid, equal entries."""
    code = ("from leptoportal.production import Process, cached_cross_section\n"
            "for m in (0.2, 0.3, 0.4, 0.5, 0.6):\n"
            "    cached_cross_section(Process('e-', 100.0, 'Pb', m), 'iww')\n")
    env = {**os.environ, "LEPTOPORTAL_CACHE": str(tmp_path)}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env) for _ in range(2)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) == 5 and not list(tmp_path.rglob("*.tmp"))
    for f in files:
        rec = json.loads(f.read_text())
        assert rec["sigma_pb"] > 0 and rec["_schema"]


def test_dask_local_cluster_in_a_new_nested_directory(tmp_path):
    """The Dask LocalCluster (scratch space in the output) works when the output directory
    does not exist yet, as in reproduce (<out>/scan)."""
    # a point that takes longer than the 2 s polling interval of the worker watchdog
    tasks = scan.tasks_from_config({"kind": "xsec", "energy": 100.0, "target": "Pb",
                                    "m_phi": [0.3, 0.5, 0.8], "precision": 4e-4})
    (tmp_path / "run").mkdir()
    rows = scan.run_scan(tasks, tmp_path / "run" / "scan", "dask", n_workers=1)
    assert len(rows) == 3
    # the cluster's scratch space (lock files, spills) is gone with it
    assert sorted(p.name for p in (tmp_path / "run" / "scan").iterdir()) == ["points"]
