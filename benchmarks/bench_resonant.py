"""Benchmark: the resonance mu+ e- -> phibar, one thick-target yield and one limit.

Times the yield per muon (electrons at rest / moving with their subshells) and the limit at
one mass for the 160 GeV preset (resonance + conversion, empty cache) and the 42-energy scan.

Run:  .venv/bin/python benchmarks/bench_resonant.py
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import tempfile  # noqa: E402
import time  # noqa: E402

from _timing import best_of, report  # noqa: E402


def main() -> dict:
    with tempfile.TemporaryDirectory() as d:
        os.environ["LEPTOPORTAL_CACHE"] = d
        from leptoportal.experiments import get_preset, limit_point
        from leptoportal.experiments.resonant import resonant_yield
        from leptoportal.model import Couplings, DarkSector, ModelPoint
        from leptoportal.production.resonance import Resonance

        def point(m):
            return ModelPoint(m, Couplings.chiral(1.0), 1.0, DarkSector.default(m))

        res = Resonance("mu+", 0.4175, Couplings.chiral(1e-4), DarkSector.default(0.4175))
        out = {}
        for motion in ("rest", "shells"):
            out[f"yield_{motion}_s"] = best_of(
                lambda m=motion: resonant_yield(res, "Pb", 160.0, 40.0, 0.03, "invisible", m))
        t0 = time.perf_counter()
        pt = limit_point(get_preset("na64mu-plus"), point(0.4175), 2.3026)
        out["limit_na64mu_plus_cold_s"] = time.perf_counter() - t0
        out["limit_na64mu_plus_warm_s"] = best_of(
            lambda: limit_point(get_preset("na64mu-plus"), point(0.4175), 2.3026), 3)
        out["limit_scan_preset_s"] = best_of(
            lambda: limit_point(get_preset("na64mu-plus-scan"), point(0.3), 2.3026), 3)
        out["h_limit_0.4175"] = pt.h_limit
    return out


if __name__ == "__main__":
    report("bench_resonant", main())
