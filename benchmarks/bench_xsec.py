"""Benchmark: cross-section timings on one core.

Run:  .venv/bin/python benchmarks/bench_xsec.py [--quick]
Prints a table of the compiled (numba) and numpy backends of ETL, per point and per precision,
for both beams and a diagonal channel, and of the integrand alone (map + |M|^2 per point),
then a JSON summary: time per ETL point at 0.5% and 0.2%, a 10 (E0) x 30 (m_phi) grid of
cached points with each method (cold and warm cache), and
the ETL / WW / IWW comparison at E0 = 100 GeV on Pb. ``--backends`` prints the table only.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from _timing import best_of, report  # noqa: E402
from leptoportal.numerics import Numerics  # noqa: E402
from leptoportal.production import (  # noqa: E402
    Process,
    cached_cross_section,
    sigma_etl,
    sigma_iww,
    sigma_ww,
)
from leptoportal.production.etl import mapped_weights, point_weights  # noqa: E402
from leptoportal.production.phasespace import map_sx  # noqa: E402


def time_point(fn, repeats=3):
    best, res = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = fn()
        best = min(best, time.perf_counter() - t0)
    return best, res


def backends_table(repeats: int = 5) -> list[dict]:
    """Best-of-``repeats`` time of one ETL point with each backend (compiled once before)."""
    from leptoportal.model import CouplingMatrix

    cases = [("e- 100 GeV Pb m=0.2", Process("e-", 100.0, "Pb", 0.2)),
             ("mu- 160 GeV Pb m=0.5", Process("mu-", 160.0, "Pb", 0.5)),
             ("e- -> e- 100 GeV Pb m=0.02 (ee)",
              Process("e-", 100.0, "Pb", 0.02, CouplingMatrix.model("ee-scalar", 1.0),
                      final_lepton="e"))]
    sigma_etl(cases[0][1], Numerics(precision=0.05))  # compile (cached on disk afterwards)
    rows = []
    for label, proc in cases:
        for prec in (0.005, 0.002, 0.0005):
            row = {"case": label, "precision": prec}
            for backend in ("numba", "numpy"):
                t, r = time_point(lambda p=proc, pr=prec, b=backend: sigma_etl(
                    p, Numerics(precision=pr, seed=1, backend=b)), repeats)
                row[f"{backend}_s"] = t
                row[f"{backend}_n_eval"] = r.details["n_eval"]
                row[f"{backend}_sigma_pb"] = r.sigma_pb
            row["speedup"] = row["numpy_s"] / row["numba_s"]
            rows.append(row)
    print(f"{'case':34s} {'prec':>7s} {'numba [s]':>10s} {'numpy [s]':>10s} {'ratio':>6s} "
          f"{'evals':>8s} {'us/eval numba':>14s}")
    for r in rows:
        print(f"{r['case']:34s} {r['precision']:7.4f} {r['numba_s']:10.3f} {r['numpy_s']:10.3f} "
              f"{r['speedup']:6.2f} {r['numba_n_eval']:8d} "
              f"{1e6 * r['numba_s'] / r['numba_n_eval']:14.2f}")
    # the integrand alone (map + |M|^2 + form factor) on a vegas-sized batch: the ETL ratio
    # above also holds vegas's own ~0.09 us per evaluation, the same for both backends
    print(f"\n{'integrand per point (6000 points)':34s} {'numba [us]':>10s} {'numpy [us]':>10s} "
          f"{'ratio':>6s}")
    y = np.random.default_rng(1).random((6000, 4))
    for label, proc in cases:
        fast = best_of(lambda p=proc: mapped_weights(p, y), 20) / len(y) * 1e6
        ref = best_of(lambda p=proc: point_weights(p, map_sx(p, y, backend="numpy"), "numpy"),
                      20) / len(y) * 1e6
        rows.append({"case": label, "integrand_numba_us": fast, "integrand_numpy_us": ref,
                     "integrand_speedup": ref / fast})
        print(f"{label:34s} {fast:10.3f} {ref:10.3f} {ref / fast:6.2f}")
    return rows


def main(quick: bool = False) -> dict:
    out = {"per_point": {}, "comparison_100GeV_Pb": [], "table_10x30_s": {}}
    proc = Process("e-", 100.0, "Pb", 0.2)
    for prec in (0.005, 0.002):
        t, r = time_point(lambda p=prec: sigma_etl(proc, Numerics(precision=p, seed=1)))
        out["per_point"][f"etl_{prec}"] = {"time_s": t, "rel_err": r.rel_err}
    for name, fn in (("ww", sigma_ww), ("iww", sigma_iww)):
        t, r = time_point(lambda f=fn: f(proc))
        out["per_point"][name] = {"time_s": t, "rel_err": r.rel_err}
    for m in (0.11, 0.2, 0.5, 1.0, 2.0):
        p = Process("e-", 100.0, "Pb", m)
        te, e = time_point(lambda p=p: sigma_etl(p, Numerics(precision=0.005)), 1)
        tw, w = time_point(lambda p=p: sigma_ww(p), 1)
        ti, i = time_point(lambda p=p: sigma_iww(p), 1)
        out["comparison_100GeV_Pb"].append({
            "m_phi": m, "etl_pb": e.sigma_pb, "etl_err_pb": e.sigma_err_pb, "etl_s": te,
            "ww_pb": w.sigma_pb, "ww_err_pb": w.sigma_err_pb, "ww_s": tw,
            "iww_pb": i.sigma_pb, "iww_err_pb": i.sigma_err_pb, "iww_s": ti,
            "ww_over_etl": w.sigma_pb / e.sigma_pb, "iww_over_etl": i.sigma_pb / e.sigma_pb,
        })
    energies = np.geomspace(10.0, 160.0, 4 if quick else 10)
    masses = np.geomspace(0.11, 2.0, 6 if quick else 30)
    with tempfile.TemporaryDirectory() as d:
        os.environ["LEPTOPORTAL_CACHE"] = d
        for method in ("etl", "ww", "iww"):
            for label in (method, method + "_cached"):
                t0 = time.perf_counter()
                for e in energies:
                    for m in masses:
                        cached_cross_section(Process("e-", float(e), "Pb", float(m)), method,
                                             numerics=Numerics(precision=0.005))
                out["table_10x30_s"][label] = time.perf_counter() - t0
    out["grid"] = {"energies": len(energies), "masses": len(masses)}
    return out


if __name__ == "__main__":
    table = backends_table()
    if "--backends" not in sys.argv:
        report("bench_xsec", {"backends": table, **main("--quick" in sys.argv)})
    else:
        report("bench_xsec_backends", table)
