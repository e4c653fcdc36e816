"""Benchmark: every bound of `leptoportal.constraints` at 100 masses, cold (first evaluation
in the process: loops, Dalitz plots, NA64 yields from the on-disk cross-section cache) and
warm (the same masses again: the per-point caches of the rates, dipoles and NA64 limits).

The issue's target: 100 masses x every bound in <= 2 s warm on a 2-core machine. The matrices:
the muon-philic mumu-emu (g-2, mu -> e gamma, TWIST, NA64mu) and the paper's e-mu entry with a
phase (EDMs).

Run:  .venv/bin/python benchmarks/bench_constraints.py
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import time  # noqa: E402

from _timing import report  # noqa: E402


def main() -> dict:
    import numpy as np

    from leptoportal.constraints import CONSTRAINTS, constraints_at
    from leptoportal.model import CouplingMatrix, DarkSector, ModelPoint

    masses = np.geomspace(0.002, 3.0, 100)
    matrices = {
        "mumu-emu": CouplingMatrix.model("mumu-emu"),
        "e-mu with a phase": CouplingMatrix.from_mapping({"e-mu": {"cs": 0.5, "cp": "0.5j"}}),
    }
    out: dict = {"bounds registered": len(CONSTRAINTS), "masses": len(masses)}
    for name, matrix in matrices.items():
        points = [ModelPoint(float(m), matrix, 1e-3, DarkSector.default(float(m)),
                             open_lepton_decays=True) for m in masses]
        for label in ("cold", "warm"):
            t0 = time.perf_counter()
            for p in points:
                constraints_at(p)
            out[f"{name}, 100 masses x every bound, {label}: s"] = time.perf_counter() - t0
    return out


if __name__ == "__main__":
    report("bench_constraints", main())
