"""Decays of the portal scalar.

phi -> l1 lbar2 with couplings (C_S, C_P), summed over final spins:

    sum|M|^2 = 2|C_S|^2 (M^2 - (m1 + m2)^2) + 2|C_P|^2 (M^2 - (m1 - m2)^2)
    Gamma    = sum|M|^2 p* / (8 pi M^2),  p* = sqrt(lambda(M^2, m1^2, m2^2)) / (2 M)

The same formula with (g_D c_S, g_D c_P) and m1 = m2 = m_chi gives the invisible decay
phi -> chi2 chi1bar. For the e-mu portal phi is complex and carries lepton number, so
phi -> mu- e+ is its only visible channel (its antiparticle decays to mu+ e-). With a coupling
matrix every operator (i, j) (see :mod:`leptoportal.model`) opens phi -> l_j^- l_i^+ with its
vertex; a flavour-diagonal operator gives the real scalar's phi -> l^- l^+, e.g.
Gamma(phi -> mu mu) = y^2 M beta^3 / (8 pi) for C_S = y.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field

import numpy as np

from leptoportal.constants import HBARC_GEV_M, LEPTON_MASS, M_E, M_MU
from leptoportal.model import CouplingMatrix, Couplings, DarkSector, Portal, as_matrix
from leptoportal.numerics import two_body_momentum


def spin_summed_me2(m: np.ndarray | float, m1: float, m2: float, couplings: Couplings):
    """sum over spins |M|^2 of phi -> f1 fbar2 (see the module docstring)."""
    m2_ = np.asarray(m, dtype=float) ** 2
    return 2.0 * couplings.s2 * (m2_ - (m1 + m2) ** 2) + 2.0 * couplings.p2 * (
        m2_ - (m1 - m2) ** 2
    )


def two_body_width(m: np.ndarray | float, m1: float, m2: float, couplings: Couplings):
    """Gamma(phi -> f1 fbar2) in GeV for a scalar of mass ``m`` (array-friendly); 0 if closed."""
    m = np.asarray(m, dtype=float)
    pstar = two_body_momentum(m, m1, m2)
    me2 = spin_summed_me2(m, m1, m2, couplings)
    out = np.where(pstar > 0, me2 * pstar / (8.0 * math.pi * m * m), 0.0)
    return float(out) if out.ndim == 0 else out


def gamma_mu_e(m_phi: np.ndarray | float, couplings: Couplings):
    """Gamma(phi -> mu- e+) in GeV."""
    return two_body_width(m_phi, M_MU, M_E, couplings)


def lepton_channels(m_phi: float, couplings: Couplings | CouplingMatrix) -> dict[str, float]:
    """Gamma (GeV) of every visible channel phi -> l_j^- l_i^+, keyed like "mu- e+"."""
    out = {}
    for (i, j), c in as_matrix(couplings).nonzero():
        out[f"{j}- {i}+"] = float(two_body_width(m_phi, LEPTON_MASS[i], LEPTON_MASS[j], c))
    return out


def gamma_visible(m_phi: np.ndarray | float, couplings: Couplings | CouplingMatrix):
    """Total width (GeV) into charged leptons, summed over the operators (array-friendly)."""
    total = 0.0
    for (i, j), c in as_matrix(couplings).nonzero():
        total = total + two_body_width(m_phi, LEPTON_MASS[i], LEPTON_MASS[j], c)
    return total


def gamma_dark(m_phi: np.ndarray | float, dark: DarkSector | None):
    """Gamma(phi -> chi2 chi1bar) in GeV (0 without a dark sector or below threshold)."""
    if dark is None:
        zero = np.zeros_like(np.asarray(m_phi, dtype=float))
        return float(zero) if zero.ndim == 0 else zero
    return two_body_width(m_phi, dark.m_chi, dark.m_chi, dark.couplings)


@dataclass(frozen=True)
class Widths:
    """Decay widths (GeV), branching fractions and proper decay length of phi."""

    m_phi: float
    gamma_mu_e: float
    gamma_dark: float
    gamma_total: float
    br_invisible: float
    br_mu_e: float
    ctau_m: float
    gamma_visible: float = 0.0
    channels: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)

    def decay_length_m(self, energy: float) -> float:
        """Lab decay length beta gamma c tau (m) for a phi of total energy ``energy`` (GeV)."""
        if energy <= self.m_phi:
            return 0.0
        return math.sqrt(energy**2 - self.m_phi**2) / self.m_phi * self.ctau_m


def widths(portal: Portal, dark: DarkSector | None = None) -> Widths:
    """All widths of phi for a portal point and an optional dark sector."""
    channels = lepton_channels(portal.m_phi, portal.couplings)
    g_me = channels.get("mu- e+", 0.0)
    g_vis = float(sum(channels.values()))
    g_d = float(gamma_dark(portal.m_phi, dark))
    tot = g_vis + g_d
    return Widths(
        m_phi=portal.m_phi,
        gamma_mu_e=g_me,
        gamma_dark=g_d,
        gamma_total=tot,
        br_invisible=g_d / tot if tot > 0 else 0.0,
        br_mu_e=g_me / tot if tot > 0 else 0.0,
        ctau_m=HBARC_GEV_M / tot if tot > 0 else math.inf,
        gamma_visible=g_vis,
        channels=channels,
    )


def warn_if_not_prompt(w: Widths, energy: float, detector_length_m: float) -> bool:
    """Warn (and return False) if phi of this energy decays beyond ``detector_length_m``."""
    length = w.decay_length_m(energy)
    if length > detector_length_m:
        warnings.warn(
            f"phi decay length {length:.3g} m at E = {energy:g} GeV exceeds the detector scale "
            f"{detector_length_m:g} m: the decay is not prompt",
            stacklevel=2,
        )
        return False
    return True
