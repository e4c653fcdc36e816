"""Property-based CLI tests: for any value in any option, a command exits 0 with exactly one
JSON object of finite numbers, or 2 with one ``error:`` line.

The CI profile is derandomised and small (seconds); ``make fuzz`` sets
LEPTOPORTAL_FUZZ_EXAMPLES (>= 5000 examples over all commands) for the long run.
"""

from __future__ import annotations

import atexit
import collections
import json
import math
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("LEPTOPORTAL_FUZZ_EXAMPLES", "0")) or None
PROFILE = settings(max_examples=EXAMPLES or 25, deadline=None, derandomize=EXAMPLES is None,
                   suppress_health_check=list(HealthCheck), database=None)

#: values worth trying in numeric options: edges, non-finite, huge, tiny, garbage
NUMBERS = st.one_of(
    st.sampled_from(["0", "-0", "-1", "1e300", "-1e300", "1e-300", "nan", "inf", "-inf", "",
                     " ", "1e", "0x10", "1,2", "1+2j", "3.0", "0.2", "0.5", "1e-3", "100"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
    st.text(max_size=12),
)
WORDS = st.one_of(st.sampled_from(["chiral", "scalar", "e-", "mu+", "Pb", "PbWO4", "ww", "x",
                                   "emu-chiral", "mumu-scalar", "mumu-emu", "e", "tau",
                                   "fnal2025", ""]),
                  st.text(max_size=10))


def _finite(obj) -> bool:
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, dict):
        return all(_finite(v) for v in obj.values())
    if isinstance(obj, list):
        return all(_finite(v) for v in obj)
    return True


#: outcomes per command, written to $LEPTOPORTAL_FUZZ_REPORT (make fuzz) at exit
OUTCOMES: collections.Counter = collections.Counter()
if os.environ.get("LEPTOPORTAL_FUZZ_REPORT"):
    atexit.register(lambda: Path(os.environ["LEPTOPORTAL_FUZZ_REPORT"]).write_text(
        json.dumps({f"{k[0]} exit {k[1]}": v for k, v in sorted(OUTCOMES.items())}, indent=1)))


def _check(run_cli, args: list[str]) -> None:
    code, out, err = run_cli(*args, "--json")
    label = args[0]
    if len(args) > 1 and args[1] == "--generic":
        label += " --generic"
    elif len(args) > 2 and args[1] in ("--process", "--method", "--experiment"):
        label += f" {args[2]}"
    OUTCOMES[(label, code)] += 1
    assert code in (0, 2), (args, code, err)
    if code == 0:
        lines = [ln for ln in out.splitlines() if ln.strip()]
        assert len(lines) == 1, (args, out)
        obj = json.loads(lines[0], parse_constant=lambda c: float(c))
        assert isinstance(obj, dict) and _finite(obj), (args, lines[0][:200])
        assert all(ln.startswith("warning: ") for ln in err.strip().splitlines()), err
    else:
        assert out == "", (args, out)
        errors = [ln for ln in err.strip().splitlines() if not ln.startswith("warning: ")]
        assert len(errors) == 1 and errors[0].startswith("error: "), (args, err)


def _options(draw, spec: dict[str, st.SearchStrategy]) -> list[str]:
    args: list[str] = []
    for flag, strategy in spec.items():
        if draw(st.booleans()):
            args += [flag, draw(strategy)]
    return args


@PROFILE
@given(st.data())
def test_g2_widths_bands(run_cli, data):
    cmd = data.draw(st.sampled_from(["g2", "widths", "g2-band", "lfv"]))
    spec = {"--m-phi": NUMBERS, "--h": NUMBERS, "--coupling": WORDS, "--cs": NUMBERS,
            "--cp": NUMBERS, "--model": WORDS}
    if cmd == "widths":
        spec.update({"--alpha-dark": NUMBERS, "--g-dark": NUMBERS, "--m-chi": NUMBERS})
    if cmd == "lfv":
        spec.update({"--alpha-dark": NUMBERS})
    if cmd == "g2-band":
        spec.update({"--dataset": WORDS, "--cl": NUMBERS})
    _check(run_cli, [cmd, *_options(data.draw, spec)])


@PROFILE
@given(st.data())
def test_xsec_approximations(run_cli, data):
    spec = {"--energy": NUMBERS, "--target": WORDS, "--m-phi": NUMBERS, "--beam": WORDS,
            "--final-lepton": WORDS, "--h": NUMBERS, "--cs": NUMBERS, "--cp": NUMBERS,
            "--form-factor": WORDS, "--model": WORDS, "--seed": NUMBERS, "--route": WORDS}
    method = data.draw(st.sampled_from(["ww", "iww"]))
    _check(run_cli, ["xsec", "--method", method, *_options(data.draw, spec)])


@PROFILE
@given(st.data())
def test_relic_generic_and_stats_options(run_cli, data):
    if data.draw(st.booleans()):
        spec = {"--mass": NUMBERS, "--sigma-v": NUMBERS, "--dm": WORDS, "--table": WORDS}
        _check(run_cli, ["relic", "--generic", *_options(data.draw, spec)])
    else:  # limits with the statistics options and a cheap, cached experiment point
        spec = {"--n-obs": NUMBERS, "--background": NUMBERS, "--eot": NUMBERS,
                "--efficiency": NUMBERS, "--method": WORDS, "--cl": NUMBERS,
                "--br-invisible": NUMBERS, "--alpha-dark": NUMBERS,
                "--background-err": st.one_of(NUMBERS, TINY)}
        _check(run_cli, ["limit", "--experiment", "ldmx", "--m-phi", "0.3", "--precision",
                         "0.2", *_options(data.draw, spec)])


#: the smallest positive numbers, down to the subnormal 5e-324
TINY = st.floats(min_value=0.0, max_value=1e-290, allow_subnormal=True).map(repr)

#: the slow commands (event generation, scans) run fewer examples in CI
SLOW_PROFILE = settings(max_examples=(EXAMPLES // 10 if EXAMPLES else 6), deadline=None,
                        derandomize=EXAMPLES is None, suppress_health_check=list(HealthCheck),
                        database=None)
SCAN_AXES = st.one_of(NUMBERS, st.lists(NUMBERS.map(str), max_size=3),
                      st.fixed_dictionaries({"log": st.lists(NUMBERS.map(str), max_size=4)}),
                      *(st.fixed_dictionaries({how: st.lists(st.floats(allow_nan=True),
                                                             max_size=4)})
                        for how in ("lin", "log")))


@PROFILE
@given(st.data())
def test_resonant_xsec(run_cli, data):
    spec = {"--beam": WORDS, "--target": WORDS, "--m-phi": NUMBERS, "--h": NUMBERS,
            "--alpha-dark": NUMBERS, "--polarisation": NUMBERS, "--model": WORDS,
            "--cs": NUMBERS, "--cp": NUMBERS, "--energy": NUMBERS}
    _check(run_cli, ["xsec", "--process", "resonant", "--target", "Pb",
                     *_options(data.draw, spec)])


@PROFILE
@given(st.data())
def test_resonant_yield_and_limit(run_cli, data):
    """The resonance-only scan preset (no Monte Carlo) with the resonance options."""
    cmd = data.draw(st.sampled_from(["yield", "limit"]))
    spec = {"--m-phi": NUMBERS, "--beam-energy-spread": NUMBERS, "--polarisation": NUMBERS,
            "--energy-scan": st.one_of(WORDS, st.lists(st.tuples(NUMBERS, NUMBERS),
                                                       max_size=3).map(
                lambda pts: ",".join(f"{a}:{b}" for a, b in pts))),
            "--electron-motion": WORDS, "--alpha-dark": NUMBERS, "--efficiency": NUMBERS}
    if cmd == "yield":
        spec["--h"] = NUMBERS
    _check(run_cli, [cmd, "--experiment", "na64mu-plus-scan", *_options(data.draw, spec)])


@PROFILE
@given(st.data())
def test_etl_xsec_and_spectra(run_cli, tmp_path_factory, data):
    out = tmp_path_factory.mktemp("spec") / "s.csv"
    spec = {"--m-phi": st.sampled_from(["0.2", "0.5", "1e-300", "nan", "5"]), "--seed": NUMBERS,
            "--spectrum": WORDS, "--bins": NUMBERS, "--route": WORDS,
            "--final-lepton": WORDS}
    args = _options(data.draw, spec)
    if "--spectrum" in args:
        args += ["--out", str(out)]
    _check(run_cli, ["xsec", "--energy", "100", "--target", "Pb", "--precision", "0.2",
                     *(["--m-phi", "0.3"] if "--m-phi" not in args else []), *args])


@SLOW_PROFILE
@given(st.data())
def test_generate_options(run_cli, tmp_path_factory, data):
    d = tmp_path_factory.mktemp("gen")
    name = data.draw(st.sampled_from(["ev.lhe", "ev.lhe.gz", "ev.hepmc", "ev.parquet", "ev",
                                      "ev.root", "ev.LHE"]))
    spec = {"--format": WORDS, "--seed": NUMBERS, "--h": NUMBERS, "--decay": WORDS,
            "--beam": WORDS, "--alpha-dark": NUMBERS, "--thick-target": WORDS}
    _check(run_cli, ["generate", "--energy", "100", "--target", "Pb", "--m-phi", "0.3",
                     "--n", data.draw(st.sampled_from(["20", "0", "-5", "1e9", "x"])),
                     "--out", str(d / name), *_options(data.draw, spec)])


@SLOW_PROFILE
@given(st.data())
def test_scan_configurations(run_cli, tmp_path_factory, data):
    """Scan YAML with random axes (g-2 bands only, so that valid scans stay cheap)."""
    import yaml

    d = tmp_path_factory.mktemp("scan")
    cfg = {"kind": data.draw(st.sampled_from(["g2-band", "g2-band", "nope", ""]))}
    for key in data.draw(st.lists(st.sampled_from(["m_phi", "dataset", "cl", "extra"]),
                                  max_size=3, unique=True)):
        cfg[key] = data.draw(SCAN_AXES)
    path = d / "scan.yaml"
    path.write_text(yaml.safe_dump(cfg))
    _check(run_cli, ["scan", str(path), "--out", str(d / "out"), "--scheduler", "serial"])


# faults: a tampered cache and failing writes ----------------------------------------------

MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("digit"), st.integers(0, 10**6), st.integers(0, 9)),
)


@PROFILE
@given(MUTATIONS)
def test_a_tampered_cache_record_is_never_served(tmp_path_factory, mutation):
    """Any change to a stored record (a flipped byte, a cut, a changed digit) gives either
    the original record (a change outside the data, e.g. in the whitespace) or a miss, never
    another number."""
    from leptoportal.cache import PointStore

    store = PointStore(tmp_path_factory.mktemp("store"))
    inputs, values = {"m_phi": 0.3, "method": "etl"}, {"sigma_pb": 123.456789, "err_pb": 0.5}
    store.put(inputs, values)
    path = store.path(inputs)
    raw = bytearray(path.read_bytes())
    kind, where, what = mutation
    i = where % len(raw)
    if kind == "flip":
        raw[i] ^= what
    elif kind == "cut":
        raw = raw[:i]
    else:
        digits = [k for k, b in enumerate(raw) if chr(b).isdigit()]
        raw[digits[where % len(digits)]] = ord(str(what))
    path.write_bytes(bytes(raw))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = store.get(inputs, ("sigma_pb", "err_pb"))
    assert got is None or got == values, (mutation, got)
    OUTCOMES[("cache tampering", "miss" if got is None else "same record")] += 1


WRITE_ERRORS = st.sampled_from(["ENOSPC", "EFBIG", "EACCES", "EPERM", "EROFS", "ENAMETOOLONG",
                                "EISDIR", "EDQUOT"])


@PROFILE
@given(WRITE_ERRORS, st.sampled_from(["open", "write", "replace"]))
def test_a_failing_write_is_one_error_and_leaves_nothing(tmp_path_factory, name, where):
    """An OSError at any step of the atomic writer (creating the temporary, writing it,
    renaming it) is an OutputError naming the file and its cause; no file is left."""
    import errno
    from unittest import mock

    from leptoportal.errors import OutputError
    from leptoportal.outputs import atomic_write_text

    directory = tmp_path_factory.mktemp("out")
    target = directory / "results.csv"
    err = OSError(getattr(errno, name), os.strerror(getattr(errno, name)))
    patch = {"open": "os.open", "write": "os.fsync", "replace": "os.replace"}[where]
    with mock.patch(patch, side_effect=err):
        try:
            atomic_write_text(target, "x" * 1000)
        except OutputError as exc:
            message = str(exc)
        else:
            raise AssertionError("no error")
    assert "results.csv" in message and "cannot be written" in message
    assert "\n" not in message and list(directory.iterdir()) == []
    OUTCOMES[(f"write fault {where}", name)] += 1


# round 4: set-up files, scheduler addresses, standard output, workspace names ---------------

#: values of a set-up's fields: numbers at the float edges, lists and mappings where a word
#: belongs, material specifications with extreme weights and thicknesses
SETUP_VALUES = st.one_of(
    st.sampled_from(["1.0e+308", "5.0e-324", "-1", ".nan", ".inf", "[e-]", "{a: 1}", "e-",
                     "mu+", "Pb", "PbWO4", "[]", "{}", "null", "true", "0"]),
    st.builds(lambda a, b, d: f"{{mass: {{Pb: {a}, W: {b}}}, density: {d}}}",
              st.sampled_from(["1.0e+308", "5.0e-324", "1", "-1", ".nan"]),
              st.sampled_from(["1.0e+308", "1", "0"]), st.sampled_from(["1", "0", "1.0e+308"])),
    st.builds(lambda e, t: f"{{layers: [[{e}, {t}]]}}", st.sampled_from(["H", "Pb", "x"]),
              st.sampled_from(["5.0e-324", "1.0e+308", "0.1", "-0.1", ".inf"])),
    st.builds(lambda n: f"{{formula: {{Pb: {n}, O: 4}}, density: 8}}",
              st.sampled_from(["1.0e+300", "1", "0", "2.5"])),
)
SETUP_KEYS = st.sampled_from(["beam", "target", "eot", "energy", "thickness_x0", "e_out_max",
                              "theta_out_max", "efficiency", "n_obs", "background", "nope"])


@SLOW_PROFILE
@given(st.lists(st.tuples(SETUP_KEYS, SETUP_VALUES), max_size=4))
def test_set_up_files(run_cli, tmp_path_factory, fields):
    """A set-up file starting from a cheap preset, with hostile fields (a key may come
    twice): a limit or one error line."""
    path = tmp_path_factory.mktemp("setup") / "s.yaml"
    path.write_text("experiment: ldmx\n" + "".join(f"{k}: {v}\n" for k, v in fields))
    _check(run_cli, ["limit", "--config", str(path), "--m-phi", "0.3", "--precision", "0.2"])


SCHEDULERS = st.one_of(
    st.builds(lambda p, h: f"{p}://{h}", st.sampled_from(["inproc", "ucx", "tls", "wss",
                                                          "http", "tcp", "ws", ""]),
              st.sampled_from(["", "x", "127.0.0.1:1", "a b:1", "[::1]:1", "h:99999999"])),
    st.text(max_size=20))


@PROFILE
@given(SCHEDULERS)
def test_scheduler_addresses(run_cli, tmp_path_factory, address):
    """Addresses a scan cannot use are refused before anything runs (reachable-looking tcp
    and ws addresses are not drawn: reaching them is a test of its own)."""
    import re

    from leptoportal.scan import SCHEDULER_ADDRESS

    if SCHEDULER_ADDRESS.match(address) or address in ("local", "dask", "serial"):
        return
    d = tmp_path_factory.mktemp("sched")
    (d / "s.yaml").write_text("kind: g2\nh: 1.0e-3\nm_phi: [0.3]\n")
    _check(run_cli, ["scan", str(d / "s.yaml"), "--out", str(d / "o"), "--scheduler",
                     address])
    assert not re.search("unexpected", address) and not (d / "o").exists()


class _FailingStdout:
    """A standard output that takes ``room`` characters, then fails like a full disk, a
    file-size limit or a closed pipe."""

    encoding, errors = "utf-8", "strict"

    def __init__(self, room: int, code: int) -> None:
        self.room, self.code, self.text = room, code, ""

    def write(self, text: str) -> int:
        if len(self.text) + len(text) > self.room:
            raise OSError(self.code, os.strerror(self.code))
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@PROFILE
@given(st.sampled_from([["g2", "--m-phi", "0.3", "--h", "1e-3", "--json"],
                        ["g2-band", "--m-phi", "0.2,0.3", "--json"],
                        ["experiments"], ["version"], ["schema", "g2"]]),
       st.integers(0, 400), st.sampled_from(["ENOSPC", "EFBIG", "EPIPE", "EIO"]))
def test_stdout_faults(args, room, name):
    """Standard output failing after any number of characters: status 2 with one line (141
    and silence for a closed pipe), or the whole output when it fits."""
    import contextlib
    import errno
    import io
    import sys
    from unittest import mock

    from leptoportal.cli import main

    stdout, stderr = _FailingStdout(room, getattr(errno, name)), io.StringIO()
    with mock.patch.object(sys, "stdout", stdout), contextlib.redirect_stderr(stderr), \
            mock.patch("os.dup2"):  # the real standard output stays
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    OUTCOMES[(f"stdout {name}", code)] += 1
    err = stderr.getvalue()
    if code == 0:
        assert stdout.text and "error" not in err
    elif name == "EPIPE":
        assert code == 141 and err == ""
    else:
        assert code == 2 and err.count("\n") == 1, err
        assert err.startswith("error: cannot write the output to standard output")


@SLOW_PROFILE
@given(st.lists(st.sampled_from(["0.3", "0.3000001", "0.30000000000000004", "3e-1", "0.31",
                                 "1", "1.0"]), min_size=2, max_size=4))
def test_workspace_names(run_cli, tmp_path_factory, masses):
    """A workspace per distinct mass: never one file for two masses."""
    ws = tmp_path_factory.mktemp("ws") / "ws"
    code, out, err = run_cli("limit", "--experiment", "ldmx", "--m-phi", ",".join(masses),
                             "--precision", "0.2", "--pyhf-workspace", str(ws), "--json")
    assert code == 0, err
    distinct = {float(m) for m in masses}
    assert len(list(ws.iterdir())) == len(distinct)
    OUTCOMES[("limit --pyhf-workspace", code)] += 1
