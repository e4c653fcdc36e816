"""Benchmark: time per Omega h^2 and per relic-target point. Target <= 50 ms/point.

Run:  .venv/bin/python benchmarks/bench_relic.py
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import time  # noqa: E402

from _timing import best_of, report  # noqa: E402
from leptoportal import DarkSector, Portal, relic  # noqa: E402


def main() -> dict:
    out = {}
    portal, dark = Portal.from_kind(0.3, 1e-3), DarkSector.benchmark(0.3, alpha_dark=0.1)
    relic.omega_h2(portal, dark)  # warm caches (g* tables)
    out["omega_h2_benchmark_s"] = best_of(lambda: relic.omega_h2(portal, dark))
    gen = relic.generic_model(100.0, 2e-26, "majorana")
    out["omega_h2_generic_s"] = best_of(lambda: relic.solve_boltzmann(gen))
    out["omega_h2_radau_s"] = best_of(lambda: relic.omega_h2(portal, dark, method="radau"), 2)
    t0 = time.perf_counter()
    masses = (0.3, 0.5, 1.0)
    for m in masses:
        relic.h_for_relic(m, 0.1)
    out["relic_target_point_s"] = (time.perf_counter() - t0) / len(masses)
    return out


if __name__ == "__main__":
    report("bench_relic", main())
