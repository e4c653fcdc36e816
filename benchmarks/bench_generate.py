"""Benchmark: unweighted events per second per core, and the peak memory of a streamed file.

Run:  .venv/bin/python benchmarks/bench_generate.py [--stream N]
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import time  # noqa: E402

from _timing import report  # noqa: E402
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
        # a thick target adapts one vegas map per energy node (~0.35 s): it is amortised
        # over larger samples
        for n in (100_000, 1_000_000) if cfg is not None else (100_000,):
            t0 = time.perf_counter()
            s = gen.generate(proc, n, seed=2, thick_cfg=cfg)
            dt = time.perf_counter() - t0
            out[f"{label} ({n:.0e} events)"] = {
                "events": len(s), "seconds": dt, "events_per_s": len(s) / dt,
                "unweighting_efficiency": s.efficiency}
    return out


def streamed(n: int) -> dict:
    """Peak RSS of writing n events to Parquet and to LHE in a fresh process each."""
    import subprocess
    import sys
    import tempfile

    code = ("import resource,sys,time;from leptoportal import generate as g;"
            "from leptoportal.production import Process;p=Process('e-',100.0,'Pb',0.2);"
            "t=time.perf_counter()\n"
            "with g.generated_events(p,int(sys.argv[1]),seed=3,workdir=sys.argv[3]) as s:"
            " g.write_stream(s,p,sys.argv[2])\n"
            "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = {}
    with tempfile.TemporaryDirectory(dir=".") as d:
        for name in ("ev.parquet", "ev.lhe"):
            r = subprocess.run([sys.executable, "-c", code, str(n), f"{d}/{name}", d],
                               capture_output=True, text=True, check=True)
            dt, rss_kb = r.stdout.split()
            out[name] = {"events": n, "seconds": float(dt), "peak_rss_mb": int(rss_kb) / 1024}
    return out


if __name__ == "__main__":
    import sys

    if "--stream" in sys.argv:
        report("bench_generate_stream",
               streamed(int(float(sys.argv[sys.argv.index("--stream") + 1]))))
    else:
        report("bench_generate", main())
