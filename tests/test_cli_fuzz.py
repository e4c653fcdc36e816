"""Property-based CLI tests: for any value in any option, a command exits 0 with exactly one
JSON object of finite numbers, or 2 with one ``error:`` line.

The CI profile is derandomised and small (seconds); ``make fuzz`` sets
LEPTOPORTAL_FUZZ_EXAMPLES (>= 5000 examples over all commands) for the long run.
"""

from __future__ import annotations

import json
import math
import os

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
                                   "emu-chiral", "mumu-scalar", "e", "tau", "fnal2025", ""]),
                  st.text(max_size=10))


def _finite(obj) -> bool:
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, dict):
        return all(_finite(v) for v in obj.values())
    if isinstance(obj, list):
        return all(_finite(v) for v in obj)
    return True


def _check(run_cli, args: list[str]) -> None:
    code, out, err = run_cli(*args, "--json")
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
    cmd = data.draw(st.sampled_from(["g2", "widths", "g2-band"]))
    spec = {"--m-phi": NUMBERS, "--h": NUMBERS, "--coupling": WORDS, "--cs": NUMBERS,
            "--cp": NUMBERS, "--model": WORDS}
    if cmd == "widths":
        spec.update({"--alpha-dark": NUMBERS, "--g-dark": NUMBERS, "--m-chi": NUMBERS})
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
                "--br-invisible": NUMBERS, "--alpha-dark": NUMBERS}
        _check(run_cli, ["limit", "--experiment", "ldmx", "--m-phi", "0.3", "--precision",
                         "0.2", *_options(data.draw, spec)])
