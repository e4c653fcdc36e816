"""Benchmark and comparison table: ETL (both routes), WW and IWW for flavour-diagonal
couplings (e -> e at 100 GeV, mu -> mu at 160 GeV on Pb), scalar and pseudoscalar, h = 1.

Run:  .venv/bin/python benchmarks/bench_flavour.py [--quick]
Prints a table and writes benchmarks/results/bench_flavour.json.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import sys  # noqa: E402
import time  # noqa: E402

from _timing import report  # noqa: E402
from leptoportal.model import CouplingMatrix  # noqa: E402
from leptoportal.numerics import Numerics  # noqa: E402
from leptoportal.production import Process, cross_section  # noqa: E402

CASES = [("e-", 100.0, "e", m) for m in (0.005, 0.02, 0.1, 0.5)] + \
        [("mu-", 160.0, "mu", m) for m in (0.05, 0.2, 1.0, 3.0)]


def main(quick: bool = False) -> list[dict]:
    rows = []
    precision = 0.01 if quick else 0.003
    for beam, energy, flavour, m in CASES:
        for kind in ("scalar", "pseudoscalar"):
            entry = {"cs": 1.0} if kind == "scalar" else {"cp": 1.0}
            matrix = CouplingMatrix.from_mapping({f"{flavour}-{flavour}": entry})
            p = Process(beam, energy, "Pb", m, matrix, final_lepton=flavour)
            t0 = time.perf_counter()
            sx = cross_section(p, "etl", Numerics(precision=precision, seed=1))
            t_sx = time.perf_counter() - t0
            t0 = time.perf_counter()
            lab = cross_section(p, "etl", Numerics(precision=precision, seed=2, route="lab"))
            t_lab = time.perf_counter() - t0
            ww, iww = cross_section(p, "ww"), cross_section(p, "iww")
            pull = (sx.sigma_pb - lab.sigma_pb) / (sx.sigma_err_pb**2 + lab.sigma_err_pb**2) ** .5
            rows.append({"beam": beam, "energy": energy, "channel": f"{flavour}->{flavour}",
                         "coupling": kind, "m_phi": m, "etl_pb": sx.sigma_pb,
                         "etl_rel_err": sx.rel_err, "lab_pb": lab.sigma_pb,
                         "lab_rel_err": lab.rel_err, "pull": pull,
                         "ww_over_etl": ww.sigma_pb / sx.sigma_pb,
                         "iww_over_etl": iww.sigma_pb / sx.sigma_pb, "t_sx_s": t_sx,
                         "t_lab_s": t_lab})
    return rows


if __name__ == "__main__":
    rows = main("--quick" in sys.argv)
    print("| channel | coupling | m_phi | ETL (sx) [pb] | ETL (lab) [pb] | pull | WW/ETL | "
          "IWW/ETL | t_sx | t_lab |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['channel']} {r['energy']:g} GeV | {r['coupling']} | {r['m_phi']:g} | "
              f"{r['etl_pb']:.4e} +- {100 * r['etl_rel_err']:.2f}% | "
              f"{r['lab_pb']:.4e} +- {100 * r['lab_rel_err']:.2f}% | {r['pull']:+.2f} | "
              f"{r['ww_over_etl']:.3f} | {r['iww_over_etl']:.3f} | {r['t_sx_s']:.2f} s | "
              f"{r['t_lab_s']:.2f} s |")
    report("bench_flavour", rows)
