"""Benchmark: start-up of the command line, best of 5 wall times of whole processes.

Run:  .venv/bin/python benchmarks/bench_startup.py
Times ``leptoportal --help`` and a one-point ``leptoportal xsec --energy 100 --target Pb
--m-phi 0.2 --json`` from an empty result cache with the automatic backend (the numpy
reference at 0.3%) and with each backend forced (the compiled kernel loads from numba's disk
cache, compiled once per installation); targets: <= 0.3 s and <= 1.0 s on an idle 2-core
machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import report

LEPTOPORTAL = str(Path(sys.executable).with_name("leptoportal"))
XSEC = [LEPTOPORTAL, "xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--json"]


def wall(cmd: list[str], repeats: int = 5) -> float:
    """Best of ``repeats`` wall times (s) of ``cmd``, each with an empty cache directory."""
    best = float("inf")
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as d:
            env = {**os.environ, "LEPTOPORTAL_CACHE": d}
            t0 = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            best = min(best, time.perf_counter() - t0)
    return best


def main() -> dict:
    subprocess.run([*XSEC, "--backend", "numba"], check=True, capture_output=True)  # compile
    return {"help_s": wall([LEPTOPORTAL, "--help"]),
            "version_s": wall([LEPTOPORTAL, "--version"]),
            "xsec_auto_s": wall(XSEC),
            "xsec_numba_s": wall([*XSEC, "--backend", "numba"]),
            "xsec_numpy_s": wall([*XSEC, "--backend", "numpy"]),
            "import_leptoportal_s": wall([sys.executable, "-c", "import leptoportal"]),
            "python_s": wall([sys.executable, "-c", "pass"]),
            "targets": {"help_s": 0.3, "xsec_auto_s": 1.0}}


if __name__ == "__main__":
    report("bench_startup", main())
