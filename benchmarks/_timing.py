"""Timing and reporting helpers shared by the benchmark scripts (run as
``python benchmarks/<script>.py``, which puts this folder on the import path); results go to
benchmarks/results/ (not committed)."""

from __future__ import annotations

import time


def best_of(fn, n: int = 5) -> float:
    """Smallest wall time (s) of ``n`` calls of ``fn``."""
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def report(name: str, data) -> None:
    """Print ``data`` as JSON and write it to benchmarks/results/<name>.json, with the machine
    (processor, cores, Python) that produced it."""
    import json
    import os
    import platform
    from pathlib import Path

    record = {"machine": {"processor": platform.processor() or platform.machine(),
                          "cores": os.cpu_count(), "python": platform.python_version()},
              "results": data}
    text = json.dumps(record, indent=1, default=float)
    print(text)
    out = Path(__file__).parent / "results" / f"{name}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n")
