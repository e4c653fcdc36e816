"""The central object of production: ``l N -> l' N phi`` at a beam energy on a target.

A `Process` fixes the beam lepton (e-, e+, mu-, mu+), the outgoing lepton flavour
(default: the other of e/mu, as in the paper's e-mu portal; e, mu, or tau where open), the beam
energy E0 in the lab (nucleus at rest), the target, m_phi, the couplings (the e-mu operator's
`Couplings` or a `CouplingMatrix`) and
the form-factor variant; it validates all of them and gives the invariants the phase-space maps
need.

Scalar states (conventions of `leptoportal.model`): l_i^- -> l_j^- with the canonical
operator (i, j) emits phibar, l_j^- -> l_i^- emits phi, a flavour-diagonal transition emits the
real scalar; a positive beam emits the charge conjugate of what the negative beam emits. The
vertex of an l^+ beam is that of the conjugate transition (the fermion line runs backwards), so
at tree level sigma(l^+ N -> l'^+ N phi) = sigma(l^- N -> l'^- N phibar) (C invariance).

Examples
--------

>>> proc = Process("e-", 100.0, "Pb", 0.2)          # chiral h = 1 by default
>>> proc.out_lepton, proc.scalar, proc.threshold_energy
('mu-', 'phibar', 0.30590...)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from leptoportal.constants import LEPTON_MASS
from leptoportal.errors import DomainError, InputError, require_choice, require_range
from leptoportal.model import (
    LEPTONS,
    CouplingMatrix,
    Couplings,
    as_matrix,
    default_pattern,
    describe_couplings,
    validate_m_phi,
)
from leptoportal.production.formfactors import FORM_FACTORS, form_factor
from leptoportal.production.targets import Target, get_target

#: beam name -> (flavour, charge sign)
BEAMS = {"e-": ("e", -1), "e+": ("e", +1), "mu-": ("mu", -1), "mu+": ("mu", +1)}
#: outgoing flavour when none is given: the other of e/mu (the paper's e-mu portal)
DEFAULT_FINAL_LEPTON = {"e": "mu", "mu": "e"}
#: largest beam energy accepted (GeV)
E_BEAM_MAX = 1e5
#: the constant of route 1's phase-space measure, sigma = Int ds_X dt dcos(alpha) dphi*
#: |k*| / sqrt(s_X) <|M|^2> / (SX_MEASURE_NORM |p_cm|^2 s): 2048 pi^4 = 4 (the flux
#: 4 |p_cm| sqrt(s)) x 16 pi (P p -> P' X with the recoil azimuth integrated, dt = 2 |p_cm|
#: |p'_cm| dcos) x 2 pi (the ds_X / 2 pi of the virtual system) x 16 pi^2 (X -> l' phi)
SX_MEASURE_NORM = 2048.0 * math.pi ** 4


def threshold_energy(m_in: float, m_out: float, m_phi: float, nucleus_mass: float) -> float:
    """Lab beam energy (GeV) of l N -> l' N phi at threshold, sqrt(s) = M + m_phi + m_out,
    for a beam lepton of mass m_in on a nucleus of mass M at rest.

    >>> round(threshold_energy(0.000511, 0.1057, 0.2, 193.0), 4)      # e- Pb -> mu- Pb phi
    0.3059
    """
    w = nucleus_mass + m_phi + m_out
    return (w * w - nucleus_mass ** 2 - m_in * m_in) / (2.0 * nucleus_mass)


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
    couplings: Couplings | CouplingMatrix = field(default_factory=default_pattern)
    form_factor: str = "elastic"
    #: the outgoing flavour; None (the default) is replaced by the other of e/mu
    final_lepton: str = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        require_choice("beam", self.beam, tuple(BEAMS))
        if self.final_lepton is None:
            object.__setattr__(self, "final_lepton", DEFAULT_FINAL_LEPTON[self.flavour])
        require_choice("final_lepton", self.final_lepton, LEPTONS)
        if not isinstance(self.couplings, Couplings | CouplingMatrix):
            raise InputError(f"couplings = {self.couplings!r} are not Couplings")
        object.__setattr__(self, "target", get_target(self.target))
        object.__setattr__(self, "m_phi", validate_m_phi(self.m_phi, self.matrix))
        require_choice("form_factor", self.form_factor, FORM_FACTORS)
        e = require_range("energy", self.energy, 0.0, E_BEAM_MAX, lo_open=True, unit="GeV")
        object.__setattr__(self, "energy", e)
        if self.vertex.norm2 == 0:
            i, j = sorted((self.flavour, self.final_lepton), key=LEPTONS.index)
            raise DomainError(
                f"the couplings {describe_couplings(self.couplings)} have no {i}-{j} entry: "
                f"{self.beam} -> {self.out_lepton} phi does not occur (choose a model or "
                "couplings with that pair, or another final lepton)",
                parameters=("model", "couplings", "final_lepton"))
        thr = self.threshold_energy
        if e <= thr * (1.0 + 1e-9):
            raise InputError(
                f"energy = {self.energy!r} GeV is below the threshold {thr:.6g} GeV of "
                f"{self.beam} {self.target.name} -> {self.out_lepton} phi at m_phi = {self.m_phi}"
            )

    # leptons and masses ----------------------------------------------------------------------
    @property
    def flavour(self) -> str:
        """Flavour of the beam lepton (e or mu)."""
        return BEAMS[self.beam][0]

    @property
    def antiparticle(self) -> bool:
        """True for positive (anti-lepton) beams."""
        return BEAMS[self.beam][1] > 0

    @property
    def m_in(self) -> float:
        return LEPTON_MASS[self.flavour]

    @property
    def m_out(self) -> float:
        return LEPTON_MASS[self.final_lepton]

    @property
    def out_lepton(self) -> str:
        """The outgoing lepton with its charge, e.g. 'mu-'."""
        return self.final_lepton + ("+" if self.antiparticle else "-")

    @property
    def scalar(self) -> str:
        """The scalar state produced: 'phi', 'phibar' or 'phi (real)' (flavour-diagonal)."""
        i, j = self.flavour, self.final_lepton
        if i == j:
            return "phi (real)"
        emits_bar = LEPTONS.index(i) < LEPTONS.index(j)  # l_i -> l_j along the operator
        return "phibar" if emits_bar != self.antiparticle else "phi"

    @property
    def nucleus_mass(self) -> float:
        return self.target.nucleus_mass

    @property
    def threshold_energy(self) -> float:
        """Lab beam energy at which sqrt(s) = M + m_phi + m_out."""
        return threshold_energy(self.m_in, self.m_out, self.m_phi, self.nucleus_mass)

    # invariants ------------------------------------------------------------------------------
    def invariants(self, energy: float | np.ndarray | None = None) -> Invariants:
        """Invariants at the process energy, or at ``energy`` (an array: one per point)."""
        m, big_m = self.m_in, self.nucleus_mass
        if energy is None or np.ndim(energy) == 0:
            e = float(self.energy if energy is None else energy)
            p_lab = math.sqrt((e - m) * (e + m))
            s = m * m + big_m * big_m + 2.0 * big_m * e
            return Invariants(e, p_lab, s, big_m * p_lab / math.sqrt(s))
        ea = np.asarray(energy, dtype=float)
        pa = np.sqrt((ea - m) * (ea + m))
        sa = m * m + big_m * big_m + 2.0 * big_m * ea
        return Invariants(ea, pa, sa, big_m * pa / np.sqrt(sa))

    @property
    def p_lab(self) -> float:
        return float(self.invariants().p_lab)

    @property
    def s(self) -> float:
        return float(self.invariants().s)

    @property
    def p_cm(self) -> float:
        return float(self.invariants().p_cm)

    # couplings and form factor ----------------------------------------------------------------
    @property
    def matrix(self) -> CouplingMatrix:
        """The couplings as a matrix over flavour pairs."""
        return as_matrix(self.couplings)

    @property
    def vertex(self) -> Couplings:
        """The vertex on the lepton line in the direction of the fermion flow: that of
        l -> l' for negative beams (G for e -> mu, Gbar for mu -> e), of l' -> l for positive
        beams."""
        i, j = self.flavour, self.final_lepton
        return self.matrix.vertex(j, i) if self.antiparticle else self.matrix.vertex(i, j)

    @property
    def pair_couplings(self) -> Couplings:
        """(C_S, C_P) of the operator of the beam's flavour pair, in canonical orientation
        (for the e-mu portal: the couplings as given)."""
        i, j = sorted((self.flavour, self.final_lepton), key=LEPTONS.index)
        return self.matrix.vertex(i, j)

    def g2(self, t: np.ndarray) -> np.ndarray:
        """Form factor G2(t) of the target (including Z^2)."""
        return form_factor(self.form_factor, self.target)(t)

    def with_(self, **changes: Any) -> Process:
        """A copy with some fields changed (validated again)."""
        d = {k: getattr(self, k) for k in ("beam", "energy", "target", "m_phi", "couplings",
                                           "form_factor", "final_lepton")}
        d.update(changes)
        return Process(**d)

    def inputs(self) -> dict[str, Any]:
        """Every input of the process, for cache keys and result records."""
        out = {"beam": self.beam, "final_lepton": self.final_lepton, "energy": self.energy,
               "target": self.target.name, "m_phi": self.m_phi,
               "couplings": self.matrix.as_dict(), "form_factor": self.form_factor}
        if self.target.nucleus != "element":
            out["nucleus"] = self.target.nucleus
        return out


__all__ = [
    "BEAMS", "DEFAULT_FINAL_LEPTON", "E_BEAM_MAX", "SX_MEASURE_NORM", "Invariants", "Process",
    "threshold_energy",
]


def __dir__() -> list[str]:
    return __all__
