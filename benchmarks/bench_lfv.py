"""Benchmark: one ``lfv`` point (every charged-LFV channel of a coupling matrix) warm.

Times leptoportal.lfv.lfv() for the matrix of the issue's example (e-mu and mu-mu entries:
one loop), for the named mumu-emu model, and for a matrix with every entry (loops, three-body
Dalitz integrals with both topologies, narrow-width and invisible channels) off and on shell.

Run:  .venv/bin/python benchmarks/bench_lfv.py
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

from _timing import best_of, report  # noqa: E402


def main() -> dict:
    from leptoportal.lfv import lfv
    from leptoportal.model import CouplingMatrix, DarkSector

    matrices = {
        "e-mu + mu-mu": CouplingMatrix.from_mapping({"e-mu": {"cs": 1e-6, "cp": 1e-6},
                                                     "mu-mu": {"cs": 1e-4}}),
        "mumu-emu": CouplingMatrix.model("mumu-emu", 1e-3),
        "every entry": CouplingMatrix.from_mapping({
            "e-e": {"cs": 1e-3}, "e-mu": {"cs": 1e-3}, "e-tau": {"cs": 1e-2},
            "mu-mu": {"cs": 1e-2}, "mu-tau": {"cp": 1e-2}, "tau-tau": {"cs": 1e-2}}),
    }
    out = {}
    for name, matrix in matrices.items():
        for m_phi in (0.5, 1.9):
            dark = DarkSector.default(m_phi)
            lfv(m_phi, matrix, 1.0, dark)  # warm: imports and caches
            out[f"{name}, m_phi={m_phi}: ms"] = 1e3 * best_of(
                lambda m=m_phi, mx=matrix, d=dark: lfv(m, mx, 1.0, d), 20)
    return out


if __name__ == "__main__":
    report("bench_lfv", main())
