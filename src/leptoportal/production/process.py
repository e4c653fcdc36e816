"""The central object of production: ``l N -> l' N phi`` at a beam energy on a target.

A :class:`Process` fixes the beam lepton (e- or mu-), the beam energy E0 in the lab (nucleus
at rest), the target, m_phi, the couplings and the form-factor variant; it validates all of
them and gives the invariants the phase-space maps need. Example::

    proc = Process("e-", 100.0, "Pb", 0.2)          # chiral h = 1 by default
    proc.threshold_energy, proc.out_lepton           # (0.0..., 'mu-')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from leptoportal.constants import M_E, M_MU
from leptoportal.errors import InputError, require_choice, require_range
from leptoportal.model import Couplings, validate_m_phi
from leptoportal.production.formfactors import FORM_FACTORS, form_factor
from leptoportal.production.targets import Target, get_target

#: beam name -> (incoming lepton mass, outgoing lepton mass)
BEAMS = {"e-": (M_E, M_MU), "mu-": (M_MU, M_E)}
#: largest beam energy accepted (GeV)
E_BEAM_MAX = 1e5


@dataclass(frozen=True)
class Invariants:
    """Beam energy E0, lab momentum, s and the CM momentum of one energy or an array of
    energies (one per phase-space point, for thick-target event generation)."""

    energy: float | np.ndarray
    p_lab: float | np.ndarray
    s: float | np.ndarray
    p_cm: float | np.ndarray


@dataclass(frozen=True)
class Process:
    """l N -> l' N phi at fixed beam energy (GeV) on a target, with phi couplings."""

    beam: str
    energy: float
    target: Target
    m_phi: float
    couplings: Couplings = field(default_factory=lambda: Couplings.chiral(1.0))
    form_factor: str = "elastic"

    def __post_init__(self) -> None:
        require_choice("beam", self.beam, tuple(BEAMS))
        object.__setattr__(self, "target", get_target(self.target))
        object.__setattr__(self, "m_phi", validate_m_phi(self.m_phi))
        require_choice("form_factor", self.form_factor, FORM_FACTORS)
        e = require_range("energy", self.energy, 0.0, E_BEAM_MAX, lo_open=True, unit="GeV")
        object.__setattr__(self, "energy", e)
        thr = self.threshold_energy
        if e <= thr * (1.0 + 1e-9):
            raise InputError(
                f"energy = {self.energy!r} GeV is below the threshold {thr:.6g} GeV of "
                f"{self.beam} {self.target.name} -> {self.out_lepton} phi at m_phi = {self.m_phi}"
            )

    # masses ----------------------------------------------------------------------------------
    @property
    def m_in(self) -> float:
        return BEAMS[self.beam][0]

    @property
    def m_out(self) -> float:
        return BEAMS[self.beam][1]

    @property
    def out_lepton(self) -> str:
        return "mu-" if self.beam == "e-" else "e-"

    @property
    def nucleus_mass(self) -> float:
        return self.target.nucleus_mass

    @property
    def threshold_energy(self) -> float:
        """Lab beam energy at which sqrt(s) = M + m_phi + m_out."""
        big_m, m = self.nucleus_mass, self.m_in
        w = big_m + self.m_phi + self.m_out
        return (w * w - big_m * big_m - m * m) / (2.0 * big_m)

    # invariants ------------------------------------------------------------------------------
    def invariants(self, energy: float | np.ndarray | None = None) -> Invariants:
        """Invariants at the process energy, or at ``energy`` (an array: one per point)."""
        e = self.energy if energy is None else energy
        m, big_m = self.m_in, self.nucleus_mass
        if np.ndim(e) == 0:
            p_lab = math.sqrt((e - m) * (e + m))
            s = m * m + big_m * big_m + 2.0 * big_m * e
            return Invariants(e, p_lab, s, big_m * p_lab / math.sqrt(s))
        e = np.asarray(e, dtype=float)
        p_lab = np.sqrt((e - m) * (e + m))
        s = m * m + big_m * big_m + 2.0 * big_m * e
        return Invariants(e, p_lab, s, big_m * p_lab / np.sqrt(s))

    @property
    def p_lab(self) -> float:
        return self.invariants().p_lab

    @property
    def s(self) -> float:
        return self.invariants().s

    @property
    def p_cm(self) -> float:
        return self.invariants().p_cm

    # couplings and form factor ----------------------------------------------------------------
    @property
    def vertex(self) -> Couplings:
        """Couplings at the l -> l' phi vertex: G for e -> mu, Gbar for mu -> e."""
        return self.couplings if self.beam == "e-" else self.couplings.conjugate_vertex()

    def g2(self, t: np.ndarray) -> np.ndarray:
        """Form factor G2(t) of the target (including Z^2)."""
        return form_factor(self.form_factor, self.target)(t)

    def with_(self, **changes) -> Process:
        """A copy with some fields changed (validated again)."""
        d = {k: getattr(self, k) for k in ("beam", "energy", "target", "m_phi", "couplings",
                                           "form_factor")}
        d.update(changes)
        return Process(**d)

    def inputs(self) -> dict:
        """Every input of the process, for cache keys and result records."""
        return {"beam": self.beam, "energy": self.energy, "target": self.target.name,
                "m_phi": self.m_phi, "c_s": self.couplings.c_s, "c_p": self.couplings.c_p,
                "form_factor": self.form_factor}
