"""Benchmark: wall time of `leptoportal reproduce` (default and --fast) on 2 cores, from an
empty cache, process start-up included. Targets: default <= 30 s, --fast <= 15 s. The default
run forks two workers from the loaded process (scan points and figure data beside each
other); ``default_serial_s`` is the default run in-process, for the workers' gain.

Run:  .venv/bin/python benchmarks/bench_reproduce.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import report


def run(args: list[str]) -> float:
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "LEPTOPORTAL_CACHE": str(Path(d) / "cache")}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "leptoportal", "reproduce", "--out",
                        str(Path(d) / "out"), "--json", *args], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0


if __name__ == "__main__":
    out = {"cores": os.cpu_count(), "fast_s": run(["--fast"]), "default_s": run([]),
           "default_serial_s": run(["--scheduler", "serial"])}
    report("bench_reproduce", out)
