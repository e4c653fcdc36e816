"""Weizsacker-Williams (WW) and improved WW (IWW) cross-sections.

With x = E_phi/E0, theta the phi emission angle, m_in / m_out the beam / outgoing lepton
masses and D = m_phi^2 - m_in^2 - m_out^2:

    u(x, theta) = -x E0^2 theta^2 - m_phi^2 (1-x)/x + m_in^2 (1-x) - m_out^2
    Amp(x, u)   = x^2/(2(1-x)) + D (u x + m_phi^2 (1-x) + x (m_out^2 + m_in^2 (x-1))) / u^2
    dsigma/dx dtheta (WW) = E0 h^2 alpha^2/(2 pi) sin(theta) chi(t_min(u)) |k| (1-x) Amp/u^2
    t_min(u) = u^2 / (4 E0^2 (1-x)^2),  chi(t_min) = Int_{t_min}^{t_max} dt (t - t_min)/t^2 G2(t)

IWW: chi at the fixed t_min = m_phi^4/(4 E0^2) and the theta integral done analytically
(sin(theta) ~ theta, u linear in theta^2). Geant4 conventions: t_max = E0^2, theta < 0.1.

Couplings: the formula is for the chiral normalisation h (C_S = C_P = h/2). The 2 -> 2
subprocess gamma l -> l' phi has no S-P interference after the spin sum, and its pseudoscalar
part equals the scalar part with m_out -> -m_out, which changes only D. Since Amp is linear
in D, general couplings give

    dsigma(C_S, C_P) = 2|C_S|^2 dsigma_1(D_S) + 2|C_P|^2 dsigma_1(D_P),
    D_S = m_phi^2 - (m_in + m_out)^2,  D_P = m_phi^2 - (m_in - m_out)^2,

where dsigma_1 is the formula above with h = 1; for C_S = C_P = h/2 this reduces to h^2
dsigma_1(D) because (D_S + D_P)/2 = D. The ETL scaling with (C_S, C_P) checks it in the tests.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import integrate
from scipy.interpolate import CubicSpline

from leptoportal._typing import AnyArray, FloatArray
from leptoportal.constants import ALPHA, GEV2_TO_PB
from leptoportal.errors import require_range
from leptoportal.numerics import gauss_legendre_panels
from leptoportal.production.formfactors import form_factor
from leptoportal.production.process import Process
from leptoportal.production.results import XsecResult
from leptoportal.production.targets import get_target

#: Geant4-simulation conventions: theta_max = 0.1 here and t_max = E0^2 in chi
THETA_MAX = 0.1


def chi_direct(g2: Callable[..., Any], t_min: float, t_max: float) -> float:
    """chi(t_min) = Int dt (t - t_min)/t^2 G2(t) by adaptive quadrature in ln t (reference)."""
    if t_min >= t_max:
        return 0.0

    def f(lt: float) -> float:
        t = math.exp(lt)
        return (t - t_min) / t * float(g2(np.array([t]))[0])

    edges = np.linspace(math.log(t_min), math.log(t_max), 40)
    returned: float = sum(integrate.quad(f, a, b, epsrel=1e-9, epsabs=0.0, limit=200)[0]
                          for a, b in zip(edges[:-1], edges[1:], strict=True))
    return returned


def chi_gauss(g2: Callable[..., Any], t_min: np.ndarray, t_max: float) -> np.ndarray:
    """chi for many t_min at once: composite 16-point Gauss-Legendre in ln t, panels <= 0.5."""
    t_min = np.atleast_1d(np.asarray(t_min, dtype=float))
    lo, hi = np.log(t_min), math.log(t_max)
    n_pan = int(np.ceil(np.max(hi - lo) / 0.5)) if np.any(hi > lo) else 1
    span = np.clip(hi - lo, 0.0, None)
    edges = lo[:, None] + span[:, None] * np.linspace(0.0, 1.0, n_pan + 1)[None, :]
    lt, weights = gauss_legendre_panels(edges, 16)
    t = np.exp(lt)
    f = (1.0 - t_min[:, None] / t) * g2(t)
    returned: AnyArray = np.sum(f * weights, axis=1)
    return returned


@lru_cache(maxsize=128)
def _chi_spline(target_name: str, ff_name: str, t_max: float) -> tuple[CubicSpline, float, float]:
    g2 = form_factor(ff_name, get_target(target_name))
    lts = np.linspace(math.log(1e-16), math.log(t_max) - 1e-9, 1200)
    return CubicSpline(lts, chi_gauss(g2, np.exp(lts), t_max)), lts[0], lts[-1]


def chi(proc: Process, t_min: np.ndarray) -> np.ndarray:
    """chi(t_min) with t_max = E0^2, from a cubic spline in ln t_min (relative accuracy ~1e-7,
    4e-6 for helm; see tests)."""
    spline, lo, hi = _chi_spline(proc.target.name, proc.form_factor, proc.energy**2)
    lt = np.log(np.asarray(t_min, dtype=float))
    val = spline(np.clip(lt, lo, hi))
    return np.where(lt >= hi, 0.0, np.clip(val, 0.0, None))


def _u(proc: Process, x: FloatArray, theta: float | FloatArray) -> FloatArray:
    e0, m_phi, m_in, m_out = proc.energy, proc.m_phi, proc.m_in, proc.m_out
    return -x * e0**2 * theta**2 - m_phi**2 * (1 - x) / x + m_in**2 * (1 - x) - m_out**2


def _amp(proc: Process, x: FloatArray, u: FloatArray, d: float) -> FloatArray:
    m_phi, m_in, m_out = proc.m_phi, proc.m_in, proc.m_out
    c = m_phi**2 * (1 - x) + x * (m_out**2 + m_in**2 * (x - 1))
    return x**2 / (2 * (1 - x)) + d * (u * x + c) / u**2


def _coupling_terms(proc: Process) -> list[tuple[float, float]]:
    """[(weight, D)] with weight = 2|C_S|^2, 2|C_P|^2 (see module docstring)."""
    c = proc.vertex
    m_phi, m_in, m_out = proc.m_phi, proc.m_in, proc.m_out
    return [(2.0 * c.s2, m_phi**2 - (m_in + m_out) ** 2),
            (2.0 * c.p2, m_phi**2 - (m_in - m_out) ** 2)]


def _kfactor(proc: Process, x: FloatArray) -> FloatArray:
    """|k| (1 - x) E0 alpha^2/(2 pi) (the h-independent prefactor)."""
    k = np.sqrt(np.clip((x * proc.energy) ** 2 - proc.m_phi**2, 0.0, None))
    return proc.energy * ALPHA**2 / (2 * math.pi) * k * (1 - x)


def dsigma_dx_dtheta_ww(proc: Process, x: FloatArray, theta: FloatArray) -> FloatArray:
    """WW double-differential cross-section in GeV^-2 per unit x per radian."""
    x = np.asarray(x, dtype=float)
    theta = np.asarray(theta, dtype=float)
    u = _u(proc, x, theta)
    tmin = u**2 / (4 * proc.energy**2 * (1 - x) ** 2)
    amp = sum(w * _amp(proc, x, u, d) for w, d in _coupling_terms(proc))
    returned: FloatArray = _kfactor(proc, x) * np.sin(theta) * chi(proc, tmin) * amp / u**2
    return returned


def dsigma_dx_iww(proc: Process, x: FloatArray) -> FloatArray:
    """IWW dsigma/dx in GeV^-2: chi at t_min = m_phi^4/(4 E0^2), theta integral analytic."""
    x = np.asarray(x, dtype=float)
    e0, m_phi, m_in, m_out = proc.energy, proc.m_phi, proc.m_in, proc.m_out
    u0 = _u(proc, x, 0.0)
    u1 = _u(proc, x, THETA_MAX)
    c = m_phi**2 * (1 - x) + x * (m_out**2 + m_in**2 * (x - 1))

    def antideriv(u: FloatArray, d: float) -> FloatArray:
        return -x**2 / (2 * (1 - x)) / u + d * (-x / (2 * u**2) - c / (3 * u**3))

    theta_int: FloatArray = sum((w * (antideriv(u0, d) - antideriv(u1, d))
                                 for w, d in _coupling_terms(proc)), np.zeros_like(x))
    theta_int = theta_int / (2 * x * e0**2)
    chi0 = chi(proc, np.array([m_phi**4 / (4 * e0**2)]))[0]
    returned: FloatArray = _kfactor(proc, x) * chi0 * theta_int
    return returned


def _x_nodes(proc: Process, n: int) -> tuple[FloatArray, FloatArray]:
    """Gauss-Legendre nodes/weights on [m_phi/E0, 1 - m_out/E0] in panels denser near x -> 1."""
    lo, hi = proc.m_phi / proc.energy, 1.0 - proc.m_out / proc.energy
    # panel edges: uniform in ln(1 - x) near the endpoint plus a linear part
    edges = np.unique(np.concatenate([
        np.linspace(lo, hi, 9),
        1.0 - np.geomspace(1.0 - lo, 1.0 - hi, 9),
    ]))
    return gauss_legendre_panels(edges, n)


def _theta_nodes(proc: Process, x: np.ndarray, n: int) -> tuple[FloatArray, FloatArray]:
    """Nodes/weights (n_x, n_theta) in ln(theta) on [1e-4 theta_c, THETA_MAX], with panels
    at decades around the characteristic angle theta_c(x) = sqrt(|u(x, 0)|/x)/E0 (panels
    clipped to the range have zero width and weight)."""
    e0 = proc.energy
    scale = np.sqrt(np.abs(_u(proc, x, 0.0)) / x) / e0
    lo = np.minimum(1e-4 * scale, THETA_MAX * 1e-3)
    inner = scale[:, None] * np.geomspace(0.01, 100.0, 9)[None, :]
    edges = np.log(np.clip(np.column_stack([lo, inner, np.full_like(lo, THETA_MAX)]),
                           lo[:, None], THETA_MAX))
    lt, w_lt = gauss_legendre_panels(edges, n)
    return np.exp(lt), w_lt * np.exp(lt)


def _sigma_ww_n(proc: Process, n: int) -> float:
    xs, wx = _x_nodes(proc, n)
    th, wt = _theta_nodes(proc, xs, n)
    vals = dsigma_dx_dtheta_ww(proc, np.broadcast_to(xs[:, None], th.shape), th)
    return float(np.sum(wx[:, None] * wt * vals))


def _sigma_iww_n(proc: Process, n: int) -> float:
    xs, wx = _x_nodes(proc, n)
    return float(np.sum(wx * dsigma_dx_iww(proc, xs)))


#: measured ratios to ETL where the approximations fail (leptoportal's benchmarks): (beam
#: flavour, final lepton) -> where they were measured (target, beam energy in GeV, m_phi
#: range in GeV) and {method: (lowest, highest) ratio}
KNOWN_RATIOS: dict[tuple[str, str], dict[str, Any]] = {
    ("mu", "e"): {"target": "Pb", "energy": 160.0, "m_phi": (0.11, 2.0),
                  "ww": (1.4, 1.5), "iww": (1.4, 3.5)},
    ("e", "e"): {"target": "Pb", "energy": 100.0, "m_phi": (0.005, 0.5),
                 "ww": (1.4, 1.6), "iww": (1.5, 2.3)},
}


def validity(proc: Process, method: str) -> dict[str, Any] | None:
    """Where WW/IWW are known to be off (an outgoing electron carrying a small fraction of
    the energy): the ratio range to ETL the package measured and where it measured it; the
    note says the range only for a process inside those conditions (the ratio depends on the
    energy, the mass and the target), else that it was measured elsewhere. None for the
    channels where the approximations hold."""
    known = KNOWN_RATIOS.get((proc.flavour, proc.final_lepton))
    if known is None:
        return None
    lo, hi = known[method]
    m_lo, m_hi = known["m_phi"]
    where = (f"{known['energy']:g} GeV on {known['target']}, m_phi {m_lo:g}-{m_hi:g} GeV")
    inside = (proc.energy == known["energy"] and proc.target.name == known["target"]
              and m_lo <= proc.m_phi <= m_hi)
    note = (f"{method.upper()} is {lo:g}-{hi:g} x ETL for this channel ({where}): use ETL"
            if inside else
            f"{method.upper()} is off for this channel: {lo:g}-{hi:g} x ETL where measured "
            f"({where}), not measured at {proc.energy:g} GeV on {proc.target.name}, "
            f"m_phi = {proc.m_phi:g} GeV: use ETL")
    return {"ratio_to_etl_range": [lo, hi], "measured_at": where, "note": note}


def _result(proc: Process, method: str, fine: float, coarse: float, t0: float) -> XsecResult:
    details = {"theta_max": THETA_MAX, "t_max_chi": proc.energy**2,
               "error": "difference between Gauss-Legendre rules of order n and 2n",
               "time_s": time.perf_counter() - t0}
    known = validity(proc, method)
    if known is not None:
        details["validity"] = known
        warnings.warn(f"{proc.beam} -> {proc.out_lepton}: {known['note']}", stacklevel=3)
    return XsecResult.of(proc, method, fine * GEV2_TO_PB, abs(fine - coarse) * GEV2_TO_PB,
                         details)


def _two_rules(proc: Process, method: str, rule: Callable[..., Any], order: int) -> XsecResult:
    order = int(require_range("order", order, 4, 64))
    t0 = time.perf_counter()
    coarse = rule(proc, order)
    fine = rule(proc, 2 * order)
    return _result(proc, method, fine, coarse, t0)


def sigma_ww(proc: Process, order: int = 12) -> XsecResult:
    """WW total cross-section (pb); error = difference of quadrature rules of order n and 2n."""
    return _two_rules(proc, "ww", _sigma_ww_n, order)


def sigma_iww(proc: Process, order: int = 16) -> XsecResult:
    """IWW total cross-section (pb); error as for `sigma_ww()`."""
    return _two_rules(proc, "iww", _sigma_iww_n, order)


__all__ = [
    "KNOWN_RATIOS", "THETA_MAX", "chi", "chi_direct", "chi_gauss", "dsigma_dx_dtheta_ww",
    "dsigma_dx_iww", "sigma_iww", "sigma_ww", "validity",
]


def __dir__() -> list[str]:
    return __all__
