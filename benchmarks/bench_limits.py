"""Benchmark: 50-point mass scan of the NA64 2016-2018 limit, empty and warm cache.

Run:  .venv/bin/python benchmarks/bench_limits.py [--points N]
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from _timing import report  # noqa: E402


def main(n_points: int = 50) -> dict:
    with tempfile.TemporaryDirectory() as d:
        os.environ["LEPTOPORTAL_CACHE"] = d
        from leptoportal import tasks

        masses = np.geomspace(0.11, 3.0, n_points)
        requests = [tasks.build("limit", {"experiment": "na64e-2016-2018", "m_phi": float(m)})
                    for m in masses]
        t0 = time.perf_counter()
        cold = [tasks.limit(r) for r in requests]
        t_cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        warm = [tasks.limit(r) for r in requests]
        t_warm = time.perf_counter() - t0
        assert [p.h_limit for p in cold] == [p.h_limit for p in warm]
    return {"points": n_points, "cold_cache_s": t_cold, "warm_cache_s": t_warm,
            "cold_per_point_s": t_cold / n_points,
            "h_limit_at": {f"{p.m_phi:.3g}": p.h_limit for p in cold[:: n_points // 5]}}


if __name__ == "__main__":
    n = int(sys.argv[sys.argv.index("--points") + 1]) if "--points" in sys.argv else 50
    report("bench_limits", main(n))
