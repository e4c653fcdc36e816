"""Faults after the up-front checks (robustness, round 3): a cache that cannot be fooled, a
lost Dask scheduler or worker, write failures, SIGTERM and SIGKILL, markup in user strings,
huge integers, scan parameters and the other leftovers. Each case ends in one line (or a
result), never a traceback, and leaves no temporary file behind."""

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _events import alive, ctrl_c_enabled, wait_for
from leptoportal import cache
from leptoportal.production import Process, cached_cross_section

LEPTOPORTAL = [sys.executable, "-m", "leptoportal"]
GENERATE = ["generate", "--energy", "100", "--target", "Pb", "--m-phi", "0.2"]


def _run(args, env=None, timeout=300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*LEPTOPORTAL, *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, **kw)


def _one_error_line(err: str) -> str:
    lines = [ln for ln in err.strip().splitlines() if not ln.startswith("warning:")]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "unexpected" not in lines[0] and "Traceback" not in err, err
    return lines[0]


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.rglob("*") if ".partial" in p.name
                  or ".leptoportal-spool-" in p.name)


# 1-2. the cache ---------------------------------------------------------------------------

PROC = Process("e-", 100.0, "Pb", 0.3)


def _entry(tmp_path, monkeypatch) -> tuple[Path, float]:
    monkeypatch.setenv("LEPTOPORTAL_CACHE", str(tmp_path))
    sigma, _ = cached_cross_section(PROC, "iww")
    (entry,) = list((tmp_path / cache.xsec_store().directory.name).glob("*.json"))
    return entry, sigma


@pytest.mark.parametrize("fault", ["dev-zero", "fifo", "huge", "truncated", "tampered-digit",
                                   "tampered-x1000"])
def test_a_fooled_cache_entry_is_recomputed_with_a_warning(tmp_path, monkeypatch, fault):
    """A symlink to /dev/zero or a FIFO in place of an entry is not opened (no hang, no
    memory blow-up), an oversized or truncated entry is not read, a changed number fails the
    record's digest: each is recomputed, with one warning, and gives the true number."""
    entry, sigma = _entry(tmp_path, monkeypatch)
    text = entry.read_text()
    entry.unlink()
    if fault == "dev-zero":
        entry.symlink_to("/dev/zero")
    elif fault == "fifo":
        os.mkfifo(entry)
    elif fault == "huge":
        entry.write_text(" " * (cache.MAX_RECORD_BYTES + 10) + text)
    elif fault == "truncated":
        entry.write_text(text[: len(text) // 2])
    else:
        record = json.loads(text)
        value = record["sigma_pb"]
        record["sigma_pb"] = value * 1000 if fault == "tampered-x1000" else float(
            repr(value).replace(repr(value)[2], str((int(repr(value)[2]) + 1) % 10), 1))
        entry.write_text(json.dumps(record))
    t0 = time.perf_counter()
    with pytest.warns(UserWarning, match="cache entry .* (not a regular file|larger than|"
                                         "integrity check|not a JSON record)"):
        again, _ = cached_cross_section(PROC, "iww")
    assert again == sigma
    assert time.perf_counter() - t0 < 300  # a guard against a hang on the FIFO, not a timing


def test_a_tampered_entry_does_not_change_a_yield(tmp_path):
    env = {"LEPTOPORTAL_CACHE": str(tmp_path)}
    args = ["yield", "--experiment", "na64mu", "--m-phi", "0.3", "--h", "1e-3", "--precision",
            "0.05", "--json"]
    first = _run(args, env)
    assert first.returncode == 0, first.stderr
    for entry in tmp_path.rglob("*.json"):
        record = json.loads(entry.read_text())
        if "sigma_pb" in record:
            record["sigma_pb"] *= 1000
            entry.write_text(json.dumps(record))
    second = _run(args, env)
    assert second.returncode == 0
    assert json.loads(second.stdout)["n_signal"] == json.loads(first.stdout)["n_signal"]
    assert "integrity check" in second.stderr and "Traceback" not in second.stderr


# 3. Dask ----------------------------------------------------------------------------------

CLUSTER = """
import os, sys, time
from dask.distributed import Client, LocalCluster
if __name__ == "__main__":
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    pids = list(client.run(os.getpid).values())
    print(cluster.scheduler_address, *pids, flush=True)
    time.sleep(600)
"""

SLOW_SCAN = ("kind: relic-target\nalpha_dark: 0.1\nm_phi: ["
             + ", ".join(f"{0.3 + 0.05 * i:.2f}" for i in range(24)) + "]\n")


def _cluster(tmp_path: Path):
    script = tmp_path / "cluster.py"
    script.write_text(CLUSTER)
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    address, *workers = proc.stdout.readline().split()
    return proc, address, [int(w) for w in workers]


def _stop(proc) -> None:
    with pytest.MonkeyPatch.context():
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=30)


def test_losing_the_dask_scheduler_is_one_line_and_a_rerun_resumes(tmp_path):
    pytest.importorskip("distributed")
    (tmp_path / "scan.yaml").write_text(SLOW_SCAN)
    cluster, address, _ = _cluster(tmp_path)
    scan = subprocess.Popen([*LEPTOPORTAL, "scan", str(tmp_path / "scan.yaml"), "--out",
                             str(tmp_path / "out"), "--scheduler", address],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    points = tmp_path / "out" / "points"
    # the scheduler is lost once the scan has kept a point (not after a guessed time)
    wait_for(lambda: not alive(scan) or any(points.glob("*.json")), "the scan's first point")
    _stop(cluster)
    _, err = scan.communicate(timeout=120)
    assert scan.returncode == 2
    line = _one_error_line(err)
    assert "scheduler" in line and "rerun to resume" in line
    kept = len(list((tmp_path / "out" / "points").glob("*.json")))
    assert 0 < kept < 24
    cluster, address, _ = _cluster(tmp_path)
    try:
        done = _run(["scan", str(tmp_path / "scan.yaml"), "--out", str(tmp_path / "out"),
                     "--scheduler", address, "--json"])
    finally:
        _stop(cluster)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["points"] == 24


def test_a_killed_dask_worker_is_replaced_and_the_scan_finishes(tmp_path):
    pytest.importorskip("distributed")
    (tmp_path / "scan.yaml").write_text(SLOW_SCAN)
    cluster, address, workers = _cluster(tmp_path)
    try:
        scan = subprocess.Popen([*LEPTOPORTAL, "scan", str(tmp_path / "scan.yaml"), "--out",
                                 str(tmp_path / "out"), "--scheduler", address, "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        points = tmp_path / "out" / "points"
        wait_for(lambda: not alive(scan) or any(points.glob("*.json")),
                 "the scan's first point")
        os.kill(workers[0], signal.SIGKILL)
        out, err = scan.communicate(timeout=300)
    finally:
        _stop(cluster)
    assert scan.returncode == 0, err
    assert json.loads(out)["points"] == 24 and "Traceback" not in err


def test_worker_warnings_reach_the_user_once_each(tmp_path, run_cli):
    """The same warning from every point of a scan on forked workers is one line."""
    (tmp_path / "s.yaml").write_text("kind: g2\nm_phi: [0.3, 0.4, 0.5, 0.6]\nh: 2.5\n")
    code, out, err = run_cli("scan", str(tmp_path / "s.yaml"), "--out", str(tmp_path / "o"),
                             "--json")
    assert code == 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: coupling"), err


# 4. writes --------------------------------------------------------------------------------


def _limit_file_size(limit: int):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_file_size_limit_ends_generate_in_one_line_without_leftovers(tmp_path):
    done = _run([*GENERATE, "--n", "20000", "--out", str(tmp_path / "ev.lhe")],
                preexec_fn=_limit_file_size(200_000))
    assert done.returncode == 2
    assert "file too large" in _one_error_line(done.stderr)
    assert list(tmp_path.iterdir()) == []  # no partial file, no spool


@pytest.fixture
def full_disk(tmp_path):
    """A 256 kB tmpfs (needs the right to mount; skipped otherwise)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True)


@pytest.mark.parametrize("command", ["generate", "scan", "validate"])
def test_a_full_disk_ends_in_one_line_without_leftovers(full_disk, tmp_path, command):
    if command == "generate":
        args = [*GENERATE, "--n", "20000", "--out", str(full_disk / "ev.lhe")]
    elif command == "scan":
        (tmp_path / "s.yaml").write_text("kind: g2-band\nm_phi: ["
                                         + ", ".join(f"{0.11 + 0.01 * i:.2f}"
                                                     for i in range(300)) + "]\n")
        (full_disk / "fill").write_bytes(b"\0" * 200_000)
        args = ["scan", str(tmp_path / "s.yaml"), "--out", str(full_disk / "s"),
                "--scheduler", "serial"]
    else:
        (full_disk / "fill").write_bytes(b"\0" * 250_000)
        args = ["validate", "--fast", "--out", str(full_disk / "v")]
    done = _run(args)
    assert done.returncode == 2, done.stderr
    assert "no space left on the device" in _one_error_line(done.stderr)
    assert _leftovers(full_disk) == []


def test_long_names_and_unwritable_places_fail_before_the_work(tmp_path, run_cli):
    name = "x" * 251 + ".lhe"  # 255 bytes: the longest name; its temporary must fit too
    code, out, err = run_cli(*GENERATE, "--n", "50", "--out", str(tmp_path / name), "--json")
    assert code == 0, err
    assert (tmp_path / name).is_file() and _leftovers(tmp_path) == []
    settings = json.loads(out)["pythia_settings"]  # its name cut to fit, the file named inside
    assert len(Path(settings).name) == 255 and name in Path(settings).read_text()
    code, _, err = run_cli(*GENERATE, "--n", "50", "--out", str(tmp_path / ("y" * 256 + ".lhe")))
    assert code == 2 and "longer than 255 bytes" in err
    code, _, err = run_cli(*GENERATE, "--n", "50", "--out", "/sys/x.lhe")
    assert code == 2 and "/sys" in _one_error_line(err)
    (tmp_path / "v" / "validation.json").mkdir(parents=True)
    code, _, err = run_cli("validate", "--fast", "--out", str(tmp_path / "v"))
    assert code == 2 and "validation.json" in _one_error_line(err)
    assert not (tmp_path / "v" / "validation.md").exists()  # refused before running


# 5. signals -------------------------------------------------------------------------------


def test_sigterm_during_generate_is_one_line_143_and_leaves_nothing(tmp_path):
    proc = subprocess.Popen([*LEPTOPORTAL, *GENERATE, "--n", "3000000", "--out",
                             str(tmp_path / "ev.lhe")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    wait_for(lambda: not alive(proc) or _spooling(tmp_path), "the events' spool")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert "terminated (SIGTERM)" in _one_error_line(err)
    assert list(tmp_path.iterdir()) == []


def test_after_sigkill_the_next_run_removes_what_the_killed_one_left(tmp_path):
    proc = subprocess.Popen([*LEPTOPORTAL, *GENERATE, "--n", "3000000", "--out",
                             str(tmp_path / "ev.lhe")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_for(lambda: not alive(proc) or _spooling(tmp_path), "the events' spool")
    proc.kill()
    proc.wait(timeout=30)
    assert any(".leptoportal-spool-" in p.name for p in tmp_path.iterdir())
    # a temporary of the output that a killed writer left (its pid is gone)
    (tmp_path / f".ev.lhe.{proc.pid}-0123abcd.partial.lhe").write_text("partial")
    done = _run([*GENERATE, "--n", "100", "--out", str(tmp_path / "ev.lhe")])
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ev.lhe", "ev.pythia8.cmnd"]


def _spooling(directory: Path) -> bool:
    """generate has written a chunk of events into its spool (it is in its main loop)."""
    return any(directory.glob(".leptoportal-spool-*/*/chunk*.npz"))


# 6-8. strings, numbers, options -----------------------------------------------------------


def test_user_strings_are_never_markup(tmp_path, run_cli):
    config = tmp_path / "c.yaml"
    config.write_text("experiment: na64e-upgrade\nname: '[/bold] [red]x[link=http://a]y'\n")
    code, out, err = run_cli("limit", "--config", str(config), "--m-phi", "0.3",
                             "--precision", "0.05")
    assert code == 0, err
    assert "[/bold] [red]x[link=http://a]y" in out and "\x1b]8" not in out


@pytest.mark.parametrize("where", ["config", "couplings", "scan"])
def test_huge_integers_in_yaml_are_one_line(tmp_path, run_cli, where):
    big = "9" * 5000
    path = tmp_path / "f.yaml"
    if where == "config":
        path.write_text(f"experiment: na64e-upgrade\neot: {big}\n")
        args = ["limit", "--config", str(path), "--m-phi", "0.3"]
    elif where == "couplings":
        path.write_text(f"e-mu: {{cs: {big}}}\n")
        args = ["g2", "--m-phi", "0.3", "--h", "1e-3", "--couplings", str(path)]
    else:
        path.write_text(f"kind: g2\nm_phi: 0.3\nh: {big}\n")
        args = ["scan", str(path), "--out", str(tmp_path / "o")]
    code, _, err = run_cli(*args)
    assert code == 2 and "digits" in _one_error_line(err)
    assert len(err) < 600


def test_scan_parameters_are_validated_before_anything_is_created(tmp_path, run_cli):
    for seed, needle in (("-1", "outside the allowed range"), ("1.5", "integer")):
        (tmp_path / "s.yaml").write_text(f"kind: xsec\nenergy: 100\ntarget: Pb\nm_phi: 0.3\n"
                                         f"seed: {seed}\n")
        code, _, err = run_cli("scan", str(tmp_path / "s.yaml"), "--out", str(tmp_path / "o"))
        assert code == 2 and needle in err and not (tmp_path / "o").exists()
    code, _, err = run_cli("reproduce", "--out", str(tmp_path / "r"), "--model", "nope")
    assert code == 2 and not (tmp_path / "r").exists()


def test_no_silent_options_and_read_only_outputs_kept(tmp_path, run_cli):
    code, _, err = run_cli("xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.3",
                           "--out", str(tmp_path / "x.csv"))
    assert code == 2 and "--spectrum" in err
    code, _, err = run_cli("limit", "--experiment", "na64e-upgrade", "--m-phi", "0.3",
                           "--force")
    assert code == 2 and "--pyhf-workspace" in err
    target = tmp_path / "ro.lhe"
    target.write_text("keep me")
    target.chmod(0o444)
    code, _, err = run_cli(*GENERATE, "--n", "50", "--out", str(target))
    assert code == 2 and "read-only" in err and target.read_text() == "keep me"
    code, _, err = run_cli(*GENERATE, "--n", "50", "--out", str(target), "--force", "--json")
    assert code == 0 and target.read_text().startswith("<LesHouchesEvents")


def test_long_inputs_are_cut_in_errors_and_long_lists_refused(run_cli, tmp_path):
    code, _, err = run_cli("limit", "--experiment", "x" * 110_000, "--m-phi", "0.3")
    assert code == 2 and len(err) < 600
    (tmp_path / "c.yaml").write_text('experiment: na64e-upgrade\n"": 1\n')
    code, _, err = run_cli("limit", "--config", str(tmp_path / "c.yaml"), "--m-phi", "0.3")
    assert code == 2 and len(err) < 600 and "''" in err
    masses = ",".join(f"{0.2 + 0.001 * i:.3f}" for i in range(2000))
    code, _, err = run_cli("relic-target", "--m-phi", masses, "--alpha-dark", "0.1")
    assert code == 2 and "at most 500" in err and "leptoportal scan" in err


# robustness, round 4 -------------------------------------------------------------------------

#: (file name, content, command line after the file): the sweep's inputs that once ended in
#: "unexpected ... (a bug)", each now one line naming the value and the allowed range
ROUND4_FILES = [
    ("m.yaml", "experiment: ldmx\ntarget: {mass: {Pb: 1.0e+308, W: 1.0e+308}, density: 1}\n",
     None),
    ("m.yaml", "experiment: ldmx\ntarget: {layers: [[H, 5.0e-324]]}\n", "thickness of H"),
    ("m.yaml", "experiment: ldmx\ntarget: {formula: {Pb: 1.0e+300}, density: 11}\n",
     "atoms of Pb"),
    ("m.yaml", "experiment: ldmx\nbeam: [e-]\n", "config: beam"),
    ("m.yaml", "experiment: ldmx\nbeam: {a: 1}\n", "config: beam"),
    ("m.yaml", "experiment: ldmx\neot: 1e12\neot: 2e12\n", "given twice"),
]


@pytest.mark.parametrize("name,content,needle", ROUND4_FILES)
def test_set_up_files_of_the_sweep(run_cli, tmp_path, name, content, needle):
    (tmp_path / name).write_text(content)
    code, out, err = run_cli("limit", "--config", str(tmp_path / name), "--m-phi", "0.3",
                             "--precision", "0.2", "--json")
    if needle is None:  # weights of any size are relative: a valid material
        assert code == 0, err
        return
    assert code == 2 and needle in _one_error_line(err), err
    assert "--beam" not in err  # a field of the file is not a flag the user gave


@pytest.mark.parametrize("axis", ["{log: [0.2, 1, .inf]}", "{log: [0.2, 1, .nan]}",
                                  "{lin: [0.2, 1, 1.0e+400]}"])
def test_scan_axes_with_non_finite_counts(run_cli, tmp_path, axis):
    (tmp_path / "s.yaml").write_text(f"kind: g2\nh: 1.0e-3\nm_phi: {axis}\n")
    code, _, err = run_cli("scan", str(tmp_path / "s.yaml"), "--out", str(tmp_path / "o"))
    assert code == 2 and "scan axis m_phi" in _one_error_line(err)


@pytest.mark.parametrize("address", ["inproc://x", "ucx://x", "tls://127.0.0.1:1",
                                     "wss://h:1", "tcp://", "tcp://a b:1"])
def test_scheduler_addresses_a_scan_cannot_use(run_cli, tmp_path, address):
    (tmp_path / "s.yaml").write_text("kind: g2\nh: 1.0e-3\nm_phi: [0.3]\n")
    code, _, err = run_cli("scan", str(tmp_path / "s.yaml"), "--out", str(tmp_path / "o"),
                           "--scheduler", address)
    assert code == 2 and "--scheduler" in _one_error_line(err)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("b_err", ["1e-300", "5e-324", "1e-320"])
def test_tiny_background_errors_give_the_exact_background_limit(run_json, b_err):
    args = ["limit", "--experiment", "ldmx", "--m-phi", "0.3", "--precision", "0.2",
            "--n-obs", "3", "--background", "3"]
    exact = run_json(*args)["points"][0]
    assert run_json(*args, "--background-err", b_err)["points"][0] == exact


def test_the_normal_limit_of_the_background_average_is_continuous():
    """Below b_err / b = GAMMA_AS_NORMAL_BELOW the gamma average is its normal limit: the
    limits on both sides of the switch agree to 1e-9, and tend to the exact-background one."""
    from leptoportal import stats

    b = 3.0
    edge = stats.GAMMA_AS_NORMAL_BELOW * b
    below = stats.cls_upper_limit(3, b, 0.9, edge * (1 - 1e-6))
    above = stats.cls_upper_limit(3, b, 0.9, edge * (1 + 1e-6))
    assert below == pytest.approx(above, rel=1e-9)
    assert stats.cls_upper_limit(3, b, 0.9, 1e-12) == pytest.approx(
        stats.cls_upper_limit(3, b), rel=1e-12)


def test_generate_seed_outside_its_range(run_cli, tmp_path):
    code, _, err = run_cli(*GENERATE, "--n", "10", "--out", str(tmp_path / "e.lhe"), "--seed",
                           "-1")
    assert code == 2 and "--seed -1 is outside the allowed range" in _one_error_line(err)


@pytest.mark.parametrize("text", ["1_0", "٣", "０.３", "1_000e-3"])
def test_numbers_are_written_with_plain_digits(run_cli, text):
    code, _, err = run_cli("g2", "--m-phi", "0.3", "--h", text)
    assert code == 2 and "digits 0-9" in _one_error_line(err)


def test_yaml_and_json_are_one_output_each(run_cli):
    code, out, err = run_cli("experiments", "show", "ldmx", "--yaml", "--json")
    assert code == 2 and out == "" and "give one" in _one_error_line(err)


def test_a_couplings_file_is_blamed_for_its_values(run_cli, tmp_path):
    (tmp_path / "c.yaml").write_text("e-mu: {cs: .nan}\n")
    code, _, err = run_cli("g2", "--m-phi", "0.3", "--couplings", str(tmp_path / "c.yaml"))
    line = _one_error_line(err)
    assert code == 2 and "--cs" not in line and "e-mu" in line and "--couplings" in line


def test_a_limit_that_excludes_nothing_says_why(run_cli, tmp_path):
    (tmp_path / "c.yaml").write_text("experiment: ldmx\ntheta_out_max: 1.0e-300\n")
    code, out, err = run_cli("limit", "--config", str(tmp_path / "c.yaml"), "--m-phi", "0.3",
                             "--precision", "0.2", "--json")
    assert code == 0 and json.loads(out)["points"][0]["h_limit"] is None
    assert err.startswith("warning: no coupling gives") and "null" in err


def test_a_non_perturbative_limit_is_flagged():
    import warnings

    from leptoportal.experiments.limits import LimitResult
    from leptoportal.model import CouplingMatrix, ModelPoint
    from leptoportal.tasks import _say_why_the_limit_means_little

    pattern = CouplingMatrix.from_mapping({"e-mu": {"cs": 0.5, "cp": 0.5}})
    point = ModelPoint(0.3, pattern)
    for h, warned in ((8.0, True), (5.23, False)):  # |C| = h / 2 against sqrt(4 pi)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            _say_why_the_limit_means_little(LimitResult(0.3, h, 0.01, 2.3), point)
        assert bool(seen) is warned, h
        if warned:
            assert "sqrt(4 pi)" in str(seen[0].message)


def test_workspaces_of_close_masses_are_two_files_and_read_only_ones_are_kept(run_cli,
                                                                             tmp_path):
    ws = tmp_path / "ws"
    args = ["limit", "--experiment", "ldmx", "--m-phi", "0.3,0.3000001", "--precision", "0.2",
            "--pyhf-workspace", str(ws)]
    assert run_cli(*args)[0] == 0
    assert sorted(p.name for p in ws.iterdir()) == ["m_phi_0p3.json", "m_phi_0p3000001.json"]
    (ws / "m_phi_0p3.json").chmod(0o444)
    code, _, err = run_cli(*args)
    assert code == 2 and "read-only" in _one_error_line(err)
    assert run_cli(*args, "--force")[0] == 0


def _leptoportal_to(stdout, args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*LEPTOPORTAL, *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=300, **kw)


@pytest.mark.parametrize("unbuffered", ["1", ""])
def test_a_file_size_limit_on_stdout_is_an_error_not_a_cut_output(tmp_path, unbuffered):
    with open(tmp_path / "out.json", "w") as out:
        done = _leptoportal_to(out, ["g2-band", "--m-phi", "0.2,0.3,0.4", "--json"],
                               preexec_fn=_limit_file_size(100),
                               env={**os.environ, "PYTHONUNBUFFERED": unbuffered})
    assert done.returncode == 2
    assert "cannot write the output to standard output" in _one_error_line(done.stderr)


def test_a_full_device_on_stdout_and_a_closed_pipe():
    with open("/dev/full", "w") as full:
        done = _leptoportal_to(full, ["g2", "--m-phi", "0.3", "--h", "1e-3", "--json"])
    assert done.returncode == 2 and "No space left" in _one_error_line(done.stderr)
    proc = subprocess.Popen([*LEPTOPORTAL, "experiments"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # the reader went away (like `| head -0`)
    assert proc.wait(timeout=300) == 141 and proc.stderr.read() == ""


def _children(pid: int) -> list[int]:
    import psutil

    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def test_forked_workers_end_with_their_killed_parent(tmp_path):
    """kill -9 of a scan on the forked workers: its workers end by themselves (the parent
    cannot stop them), and a rerun resumes."""
    (tmp_path / "scan.yaml").write_text(SLOW_SCAN)
    scan = subprocess.Popen([*LEPTOPORTAL, "scan", str(tmp_path / "scan.yaml"), "--out",
                             str(tmp_path / "out"), "--scheduler", "local"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    points = tmp_path / "out" / "points"
    wait_for(lambda: not alive(scan) or any(points.glob("*.json")), "the scan's first point")
    workers = _children(scan.pid)
    assert len(workers) == 2
    scan.kill()
    scan.wait(timeout=60)
    import psutil

    wait_for(lambda: not any(psutil.pid_exists(w) and psutil.Process(w).status()
                             != psutil.STATUS_ZOMBIE for w in workers), "the workers to end")


def test_sigterm_and_sigint_during_a_scan_leave_one_line_and_no_temporary(tmp_path):
    """SIGTERM (143) and SIGINT (130) while the forked workers compute: one line, no
    traceback from the pool's threads, no temporary file in the scan or the cache."""
    (tmp_path / "scan.yaml").write_text(SLOW_SCAN)
    cache_dir = tmp_path / "cache"
    for sig, status in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        out = tmp_path / f"out-{sig}"
        scan = subprocess.Popen([*LEPTOPORTAL, "scan", str(tmp_path / "scan.yaml"), "--out",
                                 str(out), "--scheduler", "local"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "LEPTOPORTAL_CACHE": str(cache_dir)},
                                preexec_fn=ctrl_c_enabled)
        wait_for(lambda o=out, s=scan: not alive(s) or any((o / "points").glob("*.json")),
                 "the scan's first point")
        scan.send_signal(sig)
        _, err = scan.communicate(timeout=120)
        assert scan.returncode == status, err
        assert _one_error_line(err).startswith("error: ")
        assert _leftovers(out) == [] and _leftovers(cache_dir) == []
