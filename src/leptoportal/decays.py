"""Decays of the portal scalar.

phi -> l1 lbar2 with couplings (C_S, C_P), summed over final spins:

    sum|M|^2 = 2|C_S|^2 (M^2 - (m1 + m2)^2) + 2|C_P|^2 (M^2 - (m1 - m2)^2)
    Gamma    = sum|M|^2 p* / (8 pi M^2),  p* = sqrt(lambda(M^2, m1^2, m2^2)) / (2 M)

The same formula with (g_D c_S, g_D c_P) and m1 = m2 = m_chi gives the invisible decay
phi -> chi2 chi1bar. For the e-mu portal phi is complex and carries lepton number, so
phi -> mu- e+ is its only visible channel (its antiparticle decays to mu+ e-). With a coupling
matrix every operator (i, j) (see `leptoportal.model`) opens phi -> l_j^- l_i^+ with its
vertex; a flavour-diagonal operator gives the real scalar's phi -> l^- l^+, e.g.
Gamma(phi -> mu mu) = y^2 M beta^3 / (8 pi) for C_S = y.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from leptoportal._typing import FloatArray, FloatOrArray
from leptoportal.constants import HBARC_GEV_M, LEPTON_MASS, M_E, M_MU
from leptoportal.model import CouplingMatrix, Couplings, DarkSector, Portal, as_matrix
from leptoportal.numerics import two_body_momentum
from leptoportal.results import Result, quantity


def spin_summed_me2(m: np.ndarray | float, m1: float, m2: float, couplings: Couplings
                    ) -> FloatArray | np.float64:
    """sum over spins |M|^2 of phi -> f1 fbar2 (see the module docstring)."""
    m2_ = np.asarray(m, dtype=float) ** 2
    return 2.0 * couplings.s2 * (m2_ - (m1 + m2) ** 2) + 2.0 * couplings.p2 * (
        m2_ - (m1 - m2) ** 2
    )


def two_body_width(m: np.ndarray | float, m1: float, m2: float, couplings: Couplings
                   ) -> FloatOrArray:
    """Gamma(phi -> f1 fbar2) in GeV for a scalar of mass ``m`` (array-friendly); 0 if closed.

    A scalar Yukawa y to a muon pair gives y^2 M beta^3 / (8 pi):

    >>> m, y = 0.5, 1e-3
    >>> beta = math.sqrt(1 - 4 * M_MU**2 / m**2)
    >>> two_body_width(m, M_MU, M_MU, Couplings(y, 0.0)) / (y**2 * m * beta**3 / (8 * math.pi))
    1.0...
    """
    m = np.asarray(m, dtype=float)
    pstar = two_body_momentum(m, m1, m2)
    me2 = spin_summed_me2(m, m1, m2, couplings)
    out = np.where(pstar > 0, me2 * pstar / (8.0 * math.pi * m * m), 0.0)
    return float(out) if out.ndim == 0 else out


def gamma_mu_e(m_phi: np.ndarray | float, couplings: Couplings) -> FloatOrArray:
    """Gamma(phi -> mu- e+) in GeV."""
    return two_body_width(m_phi, M_MU, M_E, couplings)


def lepton_channels(m_phi: float, couplings: Couplings | CouplingMatrix) -> dict[str, float]:
    """Gamma (GeV) of every visible channel phi -> l_j^- l_i^+, keyed like "mu- e+"."""
    out = {}
    for (i, j), c in as_matrix(couplings).nonzero():
        out[f"{j}- {i}+"] = float(two_body_width(m_phi, LEPTON_MASS[i], LEPTON_MASS[j], c))
    return out


def gamma_visible(m_phi: np.ndarray | float, couplings: Couplings | CouplingMatrix
                  ) -> FloatOrArray:
    """Total width (GeV) into charged leptons, summed over the operators (array-friendly)."""
    total: FloatOrArray = 0.0
    for (i, j), c in as_matrix(couplings).nonzero():
        total = total + two_body_width(m_phi, LEPTON_MASS[i], LEPTON_MASS[j], c)
    return total


def gamma_dark(m_phi: np.ndarray | float, dark: DarkSector | None) -> float | FloatArray:
    """Gamma(phi -> chi2 chi1bar) in GeV (0 without a dark sector or below threshold)."""
    if dark is None:
        zero = np.zeros_like(np.asarray(m_phi, dtype=float))
        return float(zero) if zero.ndim == 0 else zero
    returned: float | FloatArray = two_body_width(m_phi, dark.m_chi, dark.m_chi, dark.couplings)
    return returned


@dataclass(frozen=True)
class Widths(Result):
    """Decay widths (GeV), branching fractions and proper decay length of phi."""

    title = "phi decays"

    m_phi: float = quantity("GeV", "scalar mass")
    gamma_mu_e: float = quantity("GeV", "Gamma(phi -> mu- e+)")
    gamma_dark: float = quantity("GeV", "Gamma(phi -> chi2 chi1bar)")
    gamma_total: float = quantity("GeV", "total width")
    br_invisible: float = quantity("", "Br(phi -> invisible)")
    br_mu_e: float = quantity("", "Br(phi -> mu- e+)")
    ctau_m: float = quantity("m", "proper decay length c tau")
    gamma_visible: float = quantity("GeV", "width into charged leptons", default=0.0)
    channels: dict[str, Any] = quantity(
        "GeV", "width of every lepton channel", default_factory=dict)
    m_chi: float | None = quantity("GeV", "dark fermion mass", optional=True)
    g_dark: float | None = quantity("", "dark coupling g_D", optional=True)

    def decay_length_m(self, energy: float) -> float:
        """Lab decay length beta gamma c tau (m) for a phi of total energy ``energy`` (GeV)."""
        if energy <= self.m_phi:
            return 0.0
        return math.sqrt(energy**2 - self.m_phi**2) / self.m_phi * self.ctau_m


def widths(portal: Portal, dark: DarkSector | None = None) -> Widths:
    """All widths of phi for a portal point and an optional dark sector.

    Parameters
    ----------
    portal
        m_phi (GeV) and the couplings.
    dark
        The dark sector (None: no invisible decay).

    Returns
    -------
    Widths
        Partial and total widths (GeV), branching fractions and c tau (m).

    >>> w = widths(Portal.from_kind(0.3, 1e-3), DarkSector.default(0.3))
    >>> w.br_invisible, w.ctau_m
    (0.999998946..., 4.538428...e-14)
    """
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
        m_chi=None if dark is None else dark.m_chi,
        g_dark=None if dark is None else dark.g_dark,
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


__all__ = [
    "gamma_dark", "gamma_mu_e", "gamma_visible", "lepton_channels", "spin_summed_me2",
    "two_body_width", "warn_if_not_prompt", "Widths", "widths",
]


def __dir__() -> list[str]:
    return __all__
