"""Timing helper shared by the benchmark scripts (run as ``python benchmarks/<script>.py``,
which puts this folder on the import path)."""

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
