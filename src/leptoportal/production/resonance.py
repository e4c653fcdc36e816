"""Production on atomic electrons: the resonance l+ e- -> phi in the s channel.

A positive beam lepton l+ (mu+ or e+) annihilates with an electron of the target into the
scalar state of the (e, l) operator: mu+ e- -> phibar for the e-mu portal (the vertex of
e- -> mu- emits phibar, `leptoportal.model`), e+ e- -> phi for an electron coupling.
With the vertex vbar_l(p1) (a + b gamma5) u_e(p2), (a, b) = (C_S, C_P) of e -> l:

    (1/4) sum|M|^2 = (|a|^2 + |b|^2) p1.p2 - (|a|^2 - |b|^2) m_l m_e
    sum|M|^2 = 8 pi s Gamma_in(sqrt s) / p*(s)                 (decay width at mass sqrt s)

and the s-channel propagator 1/(s - M^2 + i sqrt(s) Gamma_tot(sqrt s)) (running width) give
the exact Breit-Wigner cross-section per electron at rest (flux 4 p* sqrt s)

    sigma(s) = pi s Gamma_in Gamma_out / (p*(s)^2 [(s - M^2)^2 + s Gamma_tot^2])
               (widths at the running mass sqrt s),

s = m_l^2 + m_e^2 + 2 m_e E (E the beam energy), whose integral in the narrow-width limit is

    Int sigma dE = pi^2 M Gamma_in Br_out / (2 m_e p*^2),
    p* = lambda^(1/2)(M^2, m_l^2, m_e^2) / (2M),

at E_R = (M^2 - m_l^2 - m_e^2) / (2 m_e). A longitudinally polarised beam lepton (helicity
polarisation P, +1 = right-handed l+) and an unpolarised electron give
sigma(P) = sigma (1 + P A(s)) with the analysing power

    A(s) = 2 Re(a b*) p* sqrt(s) / ((|a|^2 + |b|^2) p1.p2 - (|a|^2 - |b|^2) m_l m_e),

A -> 1 for the chiral coupling a = b at high energy: then only right-handed l+ annihilate.
(Derivation: trace with the spin projector (p1-slash - m_l)(1 + gamma5 s-slash)/2 of the
antiparticle; the docs' page on production on atomic electrons.) The electrons are taken at
rest; their atomic motion broadens the line (docs, "Atomic electron motion").

Examples
--------

>>> r = Resonance("mu+", 0.418, Couplings.chiral(1e-3))
>>> r.resonance_energy                  # GeV
160.03951313...
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from leptoportal import decays
from leptoportal._typing import AnyArray, ArrayLike, FloatArray
from leptoportal.constants import GEV2_TO_PB, LEPTON_MASS, M_E
from leptoportal.errors import InputError, require_choice, require_range
from leptoportal.model import (
    CouplingMatrix,
    Couplings,
    DarkSector,
    as_matrix,
    default_pattern,
    validate_m_phi,
)
from leptoportal.numerics import gauss_legendre_panels, two_body_momentum

#: the Breit-Wigner's width prescriptions (`Resonance.width`)
WIDTH_PRESCRIPTIONS = ("running", "fixed")
#: beams that annihilate with atomic electrons into phi, and their flavour
ANNIHILATING_BEAMS = {"mu+": "mu", "e+": "e"}
#: final states of the resonance
FINAL_STATES = ("all", "invisible", "entrance", "visible")
#: panels (of 8 Gauss-Legendre nodes) of the line integral
LINE_PANELS = 96


@dataclass(frozen=True)
class Resonance:
    """l+ e- -> scalar for a positive beam lepton, the couplings and the dark sector.

    ``dark=None`` means no invisible channel; ``polarisation`` is the beam's longitudinal
    (helicity) polarisation in [-1, 1]. ``width`` is the Breit-Wigner's prescription:
    "running" (the package's: every width at the running mass sqrt s, the propagator's
    s Gamma(sqrt s)^2) or "fixed" (every width at M and M^2 Gamma(M)^2), whose difference off
    the peak is the line shape's prescription uncertainty (the docs' page on production on
    atomic electrons).
    """

    beam: str
    m_phi: float
    couplings: Couplings | CouplingMatrix = field(default_factory=default_pattern)
    dark: DarkSector | None = None
    polarisation: float = 0.0
    width: str = "running"

    def __post_init__(self) -> None:
        require_choice("beam", self.beam, tuple(ANNIHILATING_BEAMS))
        require_choice("width", self.width, WIDTH_PRESCRIPTIONS)
        object.__setattr__(self, "m_phi", validate_m_phi(self.m_phi, self.matrix))
        object.__setattr__(self, "polarisation",
                           require_range("polarisation", self.polarisation, -1.0, 1.0))
        if self.m_phi <= self.m_l + M_E:
            raise InputError(f"m_phi = {self.m_phi!r} GeV is below the {self.beam} e- "
                             f"threshold {self.m_l + M_E:.6g} GeV")
        if self.vertex.norm2 == 0:
            raise InputError(f"the couplings have no e-{self.flavour} entry: {self.beam} e- "
                             f"cannot annihilate into phi")

    # the pair and its vertex -----------------------------------------------------------------
    @property
    def flavour(self) -> str:
        return ANNIHILATING_BEAMS[self.beam]

    @property
    def m_l(self) -> float:
        return LEPTON_MASS[self.flavour]

    @property
    def matrix(self) -> CouplingMatrix:
        return as_matrix(self.couplings)

    @property
    def vertex(self) -> Couplings:
        """(a, b) = (C_S, C_P) of the vertex e- -> l- (the fermion line of the annihilation)."""
        return self.matrix.vertex("e", self.flavour)

    @property
    def scalar(self) -> str:
        """The state produced: 'phibar' for mu+ e- (e-mu portal), 'phi (real)' for e+ e-."""
        return "phi (real)" if self.flavour == "e" else "phibar"

    @property
    def resonance_energy(self) -> float:
        """E_R = (M^2 - m_l^2 - m_e^2) / (2 m_e), beam energy (GeV) on an electron at rest."""
        return (self.m_phi ** 2 - self.m_l ** 2 - M_E ** 2) / (2.0 * M_E)

    def s_of(self, energy: np.ndarray | float) -> np.ndarray | float:
        """s = m_l^2 + m_e^2 + 2 m_e E."""
        return self.m_l ** 2 + M_E ** 2 + 2.0 * M_E * np.asarray(energy, dtype=float)

    # widths at the running mass ---------------------------------------------------------------
    def widths_at(self, mass: np.ndarray | float) -> dict[str, np.ndarray]:
        """Widths (GeV) of a scalar of mass ``mass`` with these couplings, keyed by final
        state (`FINAL_STATES`: all = "total", invisible, entrance = l+ e-, visible)."""
        mass = np.asarray(mass, dtype=float)
        entrance = np.asarray(decays.two_body_width(mass, self.m_l, M_E, self.vertex))
        invisible = np.asarray(decays.gamma_dark(mass, self.dark))
        visible = np.asarray(decays.gamma_visible(mass, self.matrix))
        total = visible + invisible
        return {"entrance": entrance, "invisible": invisible, "visible": visible,
                "total": total, "all": total}

    def analysing_power(self, energy: np.ndarray | float) -> np.ndarray | float:
        """A(s) of sigma(P) = sigma (1 + P A) (module docstring)."""
        s = self.s_of(energy)
        a, b = self.vertex.c_s, self.vertex.c_p
        m1, m2 = self.m_l, M_E
        p1p2 = 0.5 * (s - m1 * m1 - m2 * m2)
        root_s = np.sqrt(s)
        pstar = two_body_momentum(root_s, m1, m2)
        unpol = (abs(a) ** 2 + abs(b) ** 2) * p1p2 - (abs(a) ** 2 - abs(b) ** 2) * m1 * m2
        returned: AnyArray | float = 2.0 * (a * np.conj(b)).real * pstar * root_s / unpol
        return returned

    # cross-sections --------------------------------------------------------------------------
    def sigma_pb(self, energy: np.ndarray | float, final: str = "all") -> np.ndarray | float:
        """Exact Breit-Wigner sigma (pb per electron) at beam energy ``energy`` (GeV) into
        ``final``: all | invisible | entrance (l+ e-) | visible (all charged leptons)."""
        require_choice("final", final, FINAL_STATES)
        e = np.asarray(energy, dtype=float)
        s = self.s_of(e)
        root_s = np.sqrt(s)
        pstar = two_body_momentum(root_s, self.m_l, M_E)
        above = pstar > 0
        ps2 = np.where(above, pstar * pstar, 1.0)
        if self.width == "running":
            w = self.widths_at(root_s)
            bw = (s - self.m_phi ** 2) ** 2 + s * w["total"] ** 2
        else:  # every width at the pole mass
            w = {k: np.broadcast_to(v, np.shape(s)) for k, v in self.widths_at(self.m_phi).items()}
            bw = (s - self.m_phi ** 2) ** 2 + self.m_phi ** 2 * w["total"] ** 2
        out_width = w[final]
        sig = np.where(above, math.pi * s * w["entrance"] * out_width / (ps2 * bw), 0.0)
        sig = sig * (1.0 + self.polarisation * self.analysing_power(e)) * GEV2_TO_PB
        return float(sig) if sig.ndim == 0 else sig

    def integrated_sigma_pb_gev(self, final: str = "all") -> float:
        """Narrow-width Int sigma dE (pb GeV per electron) into ``final``."""
        require_choice("final", final, FINAL_STATES)
        w = {k: float(v) for k, v in self.widths_at(self.m_phi).items()}
        out = w[final]
        if w["total"] <= 0:
            return 0.0
        pstar = float(two_body_momentum(self.m_phi, self.m_l, M_E))
        pol = 1.0 + self.polarisation * float(self.analysing_power(self.resonance_energy))
        return (math.pi ** 2 * self.m_phi * w["entrance"] * (out / w["total"])
                / (2.0 * M_E * pstar ** 2) * pol * GEV2_TO_PB)

    def line_integral(self, e_lo: float, e_hi: float, weight: Callable[..., Any] | None=None,
                      final: str = "all", extra_edges: Any=()) -> float:
        """Int_{e_lo}^{e_hi} sigma(E) weight(E) dE (pb GeV per electron; weight 1 if None)
        with the exact line shape, in u = arctan((E - E_R) / (Gamma_E / 2)), which makes the
        Breit-Wigner flat: a composite Gauss-Legendre rule of `LINE_PANELS` panels
        (plus panels at ``extra_edges``, where the weight has kinks) resolves lines from
        1e-10 GeV to tens of GeV wide."""
        if e_hi <= e_lo:
            return 0.0
        e_r = self.resonance_energy
        half = 0.5 * max(self.width_in_beam_energy(), 1e-300)

        def u_of(e: ArrayLike) -> FloatArray:
            return np.arctan((np.asarray(e, dtype=float) - e_r) / half)

        edges = np.linspace(u_of(e_lo), u_of(e_hi), LINE_PANELS + 1)
        extra_e = np.asarray(extra_edges, dtype=float)
        extra = u_of(extra_e[(extra_e > e_lo) & (extra_e < e_hi)])
        u, w = gauss_legendre_panels(np.unique(np.concatenate([edges, extra])), 8)
        e = e_r + half * np.tan(u)
        jac = half / np.cos(u) ** 2
        ok = (e > e_lo) & (e < e_hi)
        vals = np.zeros_like(e)
        vals[ok] = self.sigma_pb(e[ok], final) * (1.0 if weight is None else weight(e[ok]))
        return float(np.sum(w * jac * vals))

    def integrated_sigma_exact_pb_gev(self, final: str = "all", widths: float = 1e4) -> float:
        """Int sigma dE of the exact line over E_R +- ``widths`` x Gamma_E (bounded by the
        threshold and 2 E_R): differs from the narrow-width value by O(Gamma / M)."""
        e_r, g = self.resonance_energy, self.width_in_beam_energy()
        thr = (((self.m_l + M_E) ** 2) - self.m_l ** 2 - M_E ** 2) / (2.0 * M_E)
        return self.line_integral(max(e_r - widths * g, thr), min(e_r + widths * g, 2 * e_r),
                                  final=final)

    def peak_sigma_pb(self, final: str = "all") -> float:
        """sigma at E_R (pb per electron)."""
        return float(self.sigma_pb(self.resonance_energy, final))

    def width_in_beam_energy(self) -> float:
        """Full width at half maximum of the line in the beam energy: M Gamma_tot / m_e (GeV)."""
        return self.m_phi * float(self.widths_at(self.m_phi)["total"]) / M_E

    def line_shape(self, bins: int) -> list[dict[str, Any]]:
        """sigma(E_beam) (pb per electron at rest, exact Breit-Wigner) around E_R, +-10 widths
        (at least +-1e-6 E_R), at ``bins`` + 1 energies: rows of e_beam (GeV), sigma_pb,
        sigma_invisible_pb, sigma_visible_pb."""
        e_r = self.resonance_energy
        half = max(10.0 * self.width_in_beam_energy(), 1e-6 * e_r)
        energies = np.linspace(max(e_r - half, 0.5 * e_r), e_r + half, int(bins) + 1)
        return [{"e_beam": float(e), "sigma_pb": float(a), "sigma_invisible_pb": float(i),
                 "sigma_visible_pb": float(v)}
                for e, a, i, v in zip(energies, np.asarray(self.sigma_pb(energies)),
                                      np.asarray(self.sigma_pb(energies, "invisible")),
                                      np.asarray(self.sigma_pb(energies, "visible")),
                                      strict=True)]

    def inputs(self) -> dict[str, Any]:
        d = self.dark
        return {"beam": self.beam, "scalar": self.scalar, "m_phi": self.m_phi,
                "couplings": self.matrix.as_dict(), "polarisation": self.polarisation,
                "m_chi": None if d is None else d.m_chi,
                "alpha_dark": None if d is None else d.alpha_dark}


__all__ = [
    "FINAL_STATES", "LINE_PANELS", "ANNIHILATING_BEAMS", "WIDTH_PRESCRIPTIONS", "Resonance",
]


def __dir__() -> list[str]:
    return __all__
