"""Benchmark: unweighted events per second per core. Target >= 1e4/s.

Run:  .venv/bin/python benchmarks/bench_generate.py
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import json  # noqa: E402
import time  # noqa: E402

from leptoportal import generate as gen  # noqa: E402
from leptoportal.experiments import get_preset  # noqa: E402
from leptoportal.production import Process  # noqa: E402


def main() -> dict:
    out = {}
    for label, proc, cfg in (("e- 100 GeV Pb m=0.2", Process("e-", 100.0, "Pb", 0.2), None),
                             ("mu- 160 GeV Pb m=0.5", Process("mu-", 160.0, "Pb", 0.5), None),
                             ("thick na64e m=0.5", Process("e-", 100.0, "Pb", 0.5),
                              get_preset("na64e-2016-2018"))):
        gen.generate(proc, 1000, seed=1, thick_cfg=cfg)  # warm-up (imports, g* caches)
        t0 = time.perf_counter()
        s = gen.generate(proc, 100_000, seed=2, thick_cfg=cfg)
        dt = time.perf_counter() - t0
        out[label] = {"events": len(s), "seconds": dt, "events_per_s": len(s) / dt,
                      "unweighting_efficiency": s.efficiency}
    return out


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
