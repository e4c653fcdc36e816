"""Muonium-antimuonium conversion (mu+ e- -> mu- e+) as a constraint, decided by the diagram
rule of `leptoportal.lfv`.

The conversion changes L_e and L_mu by two units: at tree level it needs the transition
e- -> mu- at both ends of one phi line, emitting phibar at one vertex and phi at the other.
The portal's e -> mu transition emits phibar only (phi carries lepton number,
`leptoportal.lfv.emission_vertex()`), and the propagator <phibar phibar> vanishes: no
coupling matrix of this Lagrangian gives a tree-level diagram (a real scalar with an e-mu
coupling, or a phi-phi mass mixing, would). Beyond tree level:

* exactly zero where the matrix conserves a lepton number carried by phi: no path e -> mu
  (neither the e-mu entry nor e-tau together with mu-tau), or the e-mu entry alone (phi then
  carries (L_e, L_mu) = (-1, +1) and the conversion is forbidden to every order);
* a one-loop box (two phi lines) where the e -> mu path meets an entry that breaks phi's
  lepton number (a diagonal entry, or a second off-diagonal one); it is of order
  |C_emu|^2 |C'|^2 / (16 pi^2 m_phi^2) and is not computed by the package: the bound is then
  "not applicable" with this reason, never a made-up number.

Measurement: MACS, L. Willmann et al., Phys. Rev. Lett. 82 (1999) 49: P(M -> Mbar) <
8.3e-11 at 90% CL in a 0.1 T field.

Examples
--------

>>> from leptoportal.constraints import CONSTRAINTS
>>> from leptoportal.model import CouplingMatrix, ModelPoint
>>> CONSTRAINTS["muonium"].evaluate(ModelPoint(0.5, CouplingMatrix.model("emu-chiral"))).status
'no diagram'
"""

from __future__ import annotations

import math

from leptoportal.constraints.base import Constraint, Measurement, register
from leptoportal.lfv import PHI, PHIBAR, emission_vertex
from leptoportal.model import CouplingMatrix, ModelPoint

MACS = Measurement("P(Mu -> anti-Mu) in 0.1 T", 8.3e-11, 0.9, "MACS",
                   "MACS, L. Willmann et al., Phys. Rev. Lett. 82 (1999) 49")


def tree_level(matrix: CouplingMatrix) -> bool:
    """True if some state of phi is emitted by e -> mu at one vertex and absorbed (its
    partner emitted) by e -> mu at the other: the tree-level diagram of M -> Mbar."""
    return any(emission_vertex(matrix, "e", "mu", s) is not None
               and emission_vertex(matrix, "e", "mu", t) is not None
               for s, t in ((PHI, PHIBAR), (PHIBAR, PHI)))


def e_to_mu_path(matrix: CouplingMatrix) -> bool:
    """True if the matrix changes e into mu: the e-mu entry, or e-tau with mu-tau."""
    def on(i: str, j: str) -> bool:
        return matrix.vertex(i, j).norm2 > 0
    return on("e", "mu") or (on("e", "tau") and on("mu", "tau"))


def conserves_phi_number(matrix: CouplingMatrix) -> bool:
    """True if phi carries a conserved lepton number: one off-diagonal entry and no diagonal
    one (with two off-diagonal entries or a diagonal one, phi's charge is not conserved)."""
    pairs = [p for p, _ in matrix.nonzero()]
    return len(pairs) <= 1 and all(i != j for i, j in pairs)


class Muonium(Constraint):
    """Muonium-antimuonium conversion (module docstring)."""

    name = "muonium"
    measurement = MACS

    def unavailable(self, point: ModelPoint) -> str | None:
        m = point.matrix
        if tree_level(m) or not e_to_mu_path(m) or conserves_phi_number(m):
            return super().unavailable(point)
        return ("not computed: the matrix gives M -> Mbar only through a one-loop box (the "
                "e -> mu path with an entry that breaks phi's lepton number), of order "
                "|C_emu|^2 |C'|^2 / (16 pi^2 m_phi^2); the package does not compute it")

    def predict(self, point: ModelPoint) -> float | None:
        # no matrix of this Lagrangian has the tree-level diagram (module docstring; the
        # rule is tested over every pattern of entries in tests/test_constraints.py)
        assert not tree_level(point.matrix)
        return None

    def h_limit(self, point: ModelPoint) -> float:
        return math.inf

    def no_diagram(self, point: ModelPoint) -> str:
        if not e_to_mu_path(point.matrix):
            return "no entry changes e into mu (neither e-mu nor e-tau with mu-tau)"
        return ("phi carries lepton number (one e-mu entry): e -> mu emits phibar only, "
                "so M -> Mbar is forbidden to every order")


register(Muonium())

__all__ = ["MACS", "Muonium", "conserves_phi_number", "e_to_mu_path", "tree_level"]


def __dir__() -> list[str]:
    return __all__
