"""Photon-nucleus form factors G2(t) (|F|^2 including Z^2), t = -q^2 > 0 in GeV^2.

* ``elastic`` (default): atomic screening and nuclear size (Tsai, Rev. Mod. Phys. 46 (1974)
  815; Bjorken, Essig, Schuster, Toro, PRD 80 (2009) 075018, eq. A18):
  G2 = Z^2 [a^2 t/(1 + a^2 t)]^2 [1/(1 + t/d)]^2, a = 111 Z^(-1/3)/m_e, d = 0.164 A^(-2/3) GeV^2.
* ``elastic+inelastic``: adds the inelastic atomic term (Bjorken et al. eq. A19):
  Z [a'^2 t/(1 + a'^2 t)]^2 [(1 + t (mu_p^2 - 1)/(4 m_p^2)) / (1 + t/0.71)^4]^2,
  a' = 773 Z^(-2/3)/m_e.
* ``helm``: the same atomic screening with the Helm nuclear form factor
  F(q) = 3 j1(qR)/(qR) exp(-(q s)^2/2), R^2 = c^2 + 7/3 pi^2 a^2 - 5 s^2,
  c = 1.23 A^(1/3) - 0.60 fm, a = 0.52 fm, s = 0.9 fm (Lewin & Smith, Astropart. Phys. 6
  (1996) 87).

The spread of results between these variants is the form-factor uncertainty.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from leptoportal._typing import AnyArray
from leptoportal.constants import HBARC_GEV_M, M_E, M_P, MU_P
from leptoportal.errors import InputError
from leptoportal.production.targets import Target

FORM_FACTORS = ("elastic", "elastic+inelastic", "helm")
_FM_TO_INV_GEV = 1e-15 / HBARC_GEV_M


def screening_a(Z: int) -> float:
    """Atomic screening parameter a = 111 Z^(-1/3) / m_e (GeV^-1)."""
    returned: float = 111.0 * Z ** (-1.0 / 3.0) / M_E
    return returned


def nuclear_d(A: float) -> float:
    """Nuclear size parameter d = 0.164 A^(-2/3) GeV^2."""
    returned: float = 0.164 * A ** (-2.0 / 3.0)
    return returned


def g2_elastic(t: np.ndarray, Z: int, A: float) -> np.ndarray:
    """Elastic screened form factor (Tsai 1974; Bjorken et al. 2009 eq. A18)."""
    a2t = screening_a(Z) ** 2 * t
    return Z * Z * (a2t / (1.0 + a2t)) ** 2 / (1.0 + t / nuclear_d(A)) ** 2


def g2_inelastic(t: np.ndarray, Z: int) -> np.ndarray:
    """Inelastic atomic form factor (Bjorken et al. 2009 eq. A19)."""
    ap = 773.0 * Z ** (-2.0 / 3.0) / M_E
    a2t = ap * ap * t
    nucleon = (1.0 + t * (MU_P**2 - 1.0) / (4.0 * M_P**2)) / (1.0 + t / 0.71) ** 4
    returned: AnyArray = Z * (a2t / (1.0 + a2t)) ** 2 * nucleon**2
    return returned


def helm_form_factor(q: np.ndarray, A: float) -> np.ndarray:
    """Helm nuclear form factor F(q) (q in GeV), normalised to F(0) = 1."""
    s = 0.9 * _FM_TO_INV_GEV
    c = (1.23 * A ** (1.0 / 3.0) - 0.60) * _FM_TO_INV_GEV
    a = 0.52 * _FM_TO_INV_GEV
    r = math.sqrt(c * c + 7.0 / 3.0 * math.pi**2 * a * a - 5.0 * s * s)
    x = np.asarray(q, dtype=float) * r
    small = x < 1e-3
    xs = np.where(small, 1.0, x)
    j1_over_x = np.where(small, 1.0 / 3.0 - x * x / 30.0,
                         (np.sin(xs) / xs**2 - np.cos(xs) / xs) / xs)
    return 3.0 * j1_over_x * np.exp(-0.5 * (np.asarray(q) * s) ** 2)


def g2_helm(t: np.ndarray, Z: int, A: float) -> np.ndarray:
    """Screened Helm form factor: atomic screening of A18 times Z^2 F_Helm^2."""
    a2t = screening_a(Z) ** 2 * t
    returned: AnyArray = Z * Z * (a2t / (1.0 + a2t)) ** 2 * helm_form_factor(np.sqrt(t), A) ** 2
    return returned


def form_factor(name: str, target: Target) -> Callable[[np.ndarray], np.ndarray]:
    """G2(t) of the named variant for ``target``."""
    Z, A = target.Z, target.A
    if name == "elastic":
        return lambda t: g2_elastic(t, Z, A)
    if name == "elastic+inelastic":
        return lambda t: g2_elastic(t, Z, A) + g2_inelastic(t, Z)
    if name == "helm":
        return lambda t: g2_helm(t, Z, A)
    raise InputError(f"form_factor = {name!r} is not one of: {', '.join(FORM_FACTORS)}",
                     parameters=("form_factor",))


__all__ = [
    "FORM_FACTORS", "form_factor", "g2_elastic", "g2_helm", "g2_inelastic", "helm_form_factor",
    "nuclear_d", "screening_a",
]


def __dir__() -> list[str]:
    return __all__
