"""Standard Model plasma: g_rho(T), g_s(T), d ln g_s / d ln T, H(T), s(T)
(Borsanyi et al., Nature 539 (2016) 69).

Tables (choose with ``table=``):

* ``borsanyi2016`` (default): Borsanyi et al., Nature 539 (2016) 69, arXiv:1606.07494,
  Supplementary Table S2 (data/gstar_borsanyi2016.csv): g_rho and g_rho/g_s at 16 nodes in
  log10(T/MeV); interpolated, as the authors prescribe, by a cubic spline in log10 T.
* ``idealgas``: free SM gas with PDG masses (data/gstar_idealgas.SOURCE.md), a crude
  alternative used to bound the equation-of-state systematic.

Outside the tabulated range (1 MeV - 282 GeV) the edge values are used (constant extrapolation).
"""

from __future__ import annotations

import csv
import math
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from particle import Particle
from scipy.interpolate import CubicSpline

from leptoportal import defaults
from leptoportal._typing import FloatArray
from leptoportal.errors import require_choice

TABLES = ("borsanyi2016", "idealgas")
#: Planck mass sqrt(hbar c / G) in GeV (CODATA)
M_PLANCK = 1.2208901285838957e19


@cache
def _borsanyi() -> tuple[FloatArray, CubicSpline, CubicSpline]:
    text = resources.files("leptoportal").joinpath("data/gstar_borsanyi2016.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    lt = np.array([float(r["log10_T_MeV"]) for r in rows])
    g_rho = np.array([float(r["g_rho"]) for r in rows])
    ratio = np.array([float(r["g_rho_over_g_s"]) for r in rows])
    return lt, CubicSpline(lt, g_rho), CubicSpline(lt, g_rho / ratio)


def _ideal_species() -> list[tuple[int, float, bool, str]]:
    """(g, mass GeV, is_fermion, phase) with phase 'qgp', 'hadron' or 'all'."""

    def m(pid: int) -> float:
        mass = Particle.from_pdgid(pid).mass
        assert mass is not None  # every species listed has a PDG mass
        return mass / 1000.0

    out = [(2, 0.0, False, "all"), (16, 0.0, False, "qgp"), (6, 0.0, True, "all")]
    out += [(4, m(pid), True, "all") for pid in (11, 13, 15)]
    out += [(12, m(pid), True, "qgp") for pid in (1, 2, 3, 4, 5, 6)]
    out += [(6, m(24), False, "all"), (3, m(23), False, "all"), (1, m(25), False, "all")]
    out += [(2, m(211), False, "hadron"), (1, m(111), False, "hadron"),
            (2, m(321), False, "hadron"), (2, m(311), False, "hadron")]
    return out


def _rho_p_per_dof(m: float, temps: np.ndarray, fermion: bool) -> tuple[np.ndarray, np.ndarray]:
    """Energy density and pressure per internal dof in units of T^4 (Gauss-Laguerre in E/T)."""
    z, w = np.polynomial.laguerre.laggauss(80)
    out_r, out_p = [], []
    sign = 1.0 if fermion else -1.0
    for temp in temps:
        x = m / temp
        # E/T = x + z, weight e^-z
        e = x + z
        k = np.sqrt(np.clip(e * e - x * x, 0.0, None))
        occ = np.exp(-x) / (1.0 + sign * np.exp(-e))  # e^{-E/T}/(1 -+ e^{-E/T}) * e^{z}
        out_r.append(np.sum(w * e * e * k * occ) / (2 * math.pi**2))
        out_p.append(np.sum(w * k**3 * occ) / (6 * math.pi**2))
    return np.array(out_r), np.array(out_p)


@cache
def _idealgas() -> tuple[FloatArray, Any, Any]:
    lt = np.linspace(0.0, 5.45, 220)
    temps = 10.0**lt / 1000.0
    rho = np.zeros_like(temps)
    pres = np.zeros_like(temps)
    t_qcd = 0.150
    for g, mass, fermion, phase in _ideal_species():
        r, p = _rho_p_per_dof(mass, temps, fermion)
        on = np.ones_like(temps)
        if phase == "qgp":
            on = (temps > t_qcd).astype(float)
        elif phase == "hadron":
            on = (temps <= t_qcd).astype(float)
        rho += g * r * on
        pres += g * p * on
    g_rho = rho * 30.0 / math.pi**2
    g_s = (rho + pres) * 45.0 / (2.0 * math.pi**2)
    # a smoothing spline through a step would ring: use linear interpolation in log T
    return lt, g_rho, g_s


def g_rho(temp_gev: FloatArray, table: str = defaults.GSTAR_TABLE) -> FloatArray:
    """Energy-density degrees of freedom at temperature T (GeV)."""
    return _g(temp_gev, table)[0]


def g_s(temp_gev: FloatArray, table: str = defaults.GSTAR_TABLE) -> FloatArray:
    """Entropy degrees of freedom at temperature T (GeV)."""
    return _g(temp_gev, table)[1]


def _g(temp_gev: FloatArray, table: str) -> tuple[FloatArray, FloatArray]:
    require_choice("table", table, TABLES)
    lt = np.log10(np.asarray(temp_gev, dtype=float) * 1000.0)
    if table == "borsanyi2016":
        nodes, s_rho, s_s = _borsanyi()
        lt = np.clip(lt, nodes[0], nodes[-1])
        return s_rho(lt), s_s(lt)
    nodes, gr, gs = _idealgas()
    lt = np.clip(lt, nodes[0], nodes[-1])
    return np.interp(lt, nodes, gr), np.interp(lt, nodes, gs)


def dlng_s_dlnT(temp_gev: FloatArray, table: str = defaults.GSTAR_TABLE) -> FloatArray:
    """d ln g_s / d ln T (zero outside the tabulated range)."""
    require_choice("table", table, TABLES)
    temp = np.asarray(temp_gev, dtype=float)
    lt = np.log10(temp * 1000.0)
    if table == "borsanyi2016":
        nodes, _, s_s = _borsanyi()
        inside = (lt > nodes[0]) & (lt < nodes[-1])
        lc = np.clip(lt, nodes[0], nodes[-1])
        return np.where(inside, s_s(lc, 1) / s_s(lc) / math.log(10.0), 0.0)
    nodes, _, gs = _idealgas()
    slope = np.gradient(np.log(gs), nodes * math.log(10.0))
    inside = (lt > nodes[0]) & (lt < nodes[-1])
    return np.where(inside, np.interp(lt, nodes, slope), 0.0)


def hubble(temp_gev: FloatArray, table: str = defaults.GSTAR_TABLE) -> FloatArray:
    """H(T) = sqrt(4 pi^3 g_rho / 45) T^2 / M_Pl in GeV."""
    t = np.asarray(temp_gev, dtype=float)
    returned: FloatArray = np.sqrt(4.0 * math.pi**3 * g_rho(t, table) / 45.0) * t * t / M_PLANCK
    return returned


def entropy_density(temp_gev: FloatArray, table: str = defaults.GSTAR_TABLE) -> FloatArray:
    """s(T) = 2 pi^2 g_s T^3 / 45 in GeV^3."""
    t = np.asarray(temp_gev, dtype=float)
    returned: FloatArray = 2.0 * math.pi**2 / 45.0 * g_s(t, table) * t**3
    return returned


__all__ = [
    "M_PLANCK", "TABLES", "dlng_s_dlnT", "entropy_density", "g_rho", "g_s", "hubble",
]


def __dir__() -> list[str]:
    return __all__
