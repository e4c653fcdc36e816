"""The two phase-space maps of l N -> l' N phi and the lab observables of their points.

Route 1 ("sx"): ln s_X (s_X = (p + q)^2 of the virtual lepton-photon system) over
[(m_phi + m_out)^2, (sqrt(s) - M)^2]; ln t between its exact limits at fixed s_X (the recoil
polar angle then follows); ln D_B with D_B = m_out^2 - (p - k)^2 (the u-channel propagator,
linear in the cosine of the phi direction relative to the beam lepton in the s_X rest frame);
the azimuth in that frame. Phase space (flux 1/(4 |p_cm| sqrt(s))):

    sigma = 1/(2048 pi^4 |p_cm|^2 s) Int ds_X dt dcos(alpha) dphi* |k*|/sqrt(s_X) <|M|^2>.

Route 2 ("lab"): lab-frame variables x = E_phi/E0, ln theta_phi, ln |q_perp| and the azimuth of
q_perp; the longitudinal momentum transfer follows from the on-shell condition of l' (both
roots summed) with the Jacobian 1/|d f/d q_z|:

    sigma = 1/(4 M |p| (2 pi)^5) pi/2 Int |k| dE_k dcos(theta) q_perp dq_perp dpsi
            sum_roots <|M|^2> / (E_P' |d f/d q_z|).

Both maps return lab-frame four-momenta so that the same |M|^2 code serves both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from leptoportal import dirac
from leptoportal.numerics import sqrt_kallen
from leptoportal.production.formfactors import nuclear_d
from leptoportal.production.process import SX_MEASURE_NORM, Invariants, Process

#: lab observables of a phase-space point (see `observables()`)
OBSERVABLES = ("x", "cos_theta", "e_out", "e_phi", "theta_out")


@dataclass
class PhaseSpacePoints:
    """Lab-frame momenta (N, 4) of a batch of points with their measure (GeV^-2 * GeV^2 ...).

    ``measure`` multiplies <|M|^2> to give dsigma (GeV^-2) per unit volume of the unit
    hypercube; ``valid`` flags points inside the physical region.
    """

    p: np.ndarray
    q: np.ndarray
    pp: np.ndarray
    k: np.ndarray
    t: np.ndarray
    den_a: np.ndarray
    den_b: np.ndarray
    measure: np.ndarray
    valid: np.ndarray


def _beam_momentum(inv: Invariants, n: int, dtype: Any = float) -> np.ndarray:
    p = np.zeros((n, 4), dtype=dtype)
    p[:, 0] = inv.energy
    p[:, 3] = inv.p_lab
    return p


def sx_limits(proc: Process, inv: Invariants | None = None) -> tuple[float, Any]:
    """Range of s_X = (p + q)^2 (at the invariants ``inv``, default the process energy)."""
    inv = inv or proc.invariants()
    big_m = proc.nucleus_mass
    rs_minus_m = (proc.m_in**2 + 2.0 * big_m * inv.energy) / (np.sqrt(inv.s) + big_m)
    return (proc.m_phi + proc.m_out) ** 2, rs_minus_m**2


def t_limits(proc: Process, s_x: np.ndarray, inv: Invariants | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """Exact (t_min, t_max) at fixed s_X; t_min from t_min t_max = M^2 (s_X - m^2)^2 / s."""
    inv = inv or proc.invariants()
    s, big_m, m2 = inv.s, proc.nucleus_mass, proc.m_in**2
    rs = np.sqrt(s)
    e_i = (s + big_m**2 - m2) / (2.0 * rs)
    e_f = (s + big_m**2 - s_x) / (2.0 * rs)
    p_i = inv.p_cm
    p_f = sqrt_kallen(s, s_x, big_m**2) / (2.0 * rs)
    t_max = 2.0 * (e_i * e_f - big_m**2 + p_i * p_f)
    t_min = big_m**2 * (s_x - m2) ** 2 / (s * t_max)
    return t_min, t_max


def point_invariants(proc: Process, n: int, energy: np.ndarray | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(E, |p_lab|, s, |p_cm|) for each of ``n`` points, the arguments of the compiled maps
    (`kernels`): at the process energy or at ``energy`` (one per point)."""
    inv = proc.invariants(energy)
    if energy is not None:
        if np.shape(inv.energy) != (n,):  # the kernels index them per point, unchecked
            raise ValueError(f"{np.size(inv.energy)} beam energies for {n} points")
        return (np.asarray(inv.energy), np.asarray(inv.p_lab), np.asarray(inv.s),
                np.asarray(inv.p_cm))
    out = np.empty((4, n))
    out[:] = np.array([inv.energy, inv.p_lab, inv.s, inv.p_cm])[:, None]
    return out[0], out[1], out[2], out[3]


def map_sx(proc: Process, y: np.ndarray, energy: np.ndarray | None = None,
           backend: str = "numba") -> PhaseSpacePoints:
    """Route 1: unit hypercube (N, 4) -> lab momenta and measure (see module docstring).

    ``energy``: optional beam energy per point (thick-target event generation); by default
    every point is at the process energy. ``backend``: "numba" (the compiled
    `map_sx_numba()`, the same formulas point by point) or "numpy" (below, the
    reference).
    """
    n = len(y)
    m_in, m_out, m_phi, big_m = proc.m_in, proc.m_out, proc.m_phi, proc.nucleus_mass
    if backend in ("numba", "auto"):
        from leptoportal.production.kernels import map_sx_numba

        out = map_sx_numba(np.ascontiguousarray(y, dtype=float),
                           *point_invariants(proc, n, energy), m_in, m_out, m_phi, big_m)
        return PhaseSpacePoints(*out)
    inv = proc.invariants(energy)
    e0, p0 = inv.energy, inv.p_lab
    s_lo, s_hi = sx_limits(proc, inv)
    ls = np.log(s_hi / s_lo)
    s_x = s_lo * np.exp(ls * y[:, 0])
    t_min, t_max = t_limits(proc, s_x, inv)
    lt = np.log(t_max / t_min)
    v = lt * y[:, 1]
    t = t_min * np.exp(v)
    t_minus_tmin = t_min * np.expm1(v)
    # recoil: P'_z from s_X, P'_perp from the CM polar angle
    rs = np.sqrt(inv.s)
    p_f = sqrt_kallen(inv.s, s_x, big_m**2) / (2.0 * rs)
    sin_cm = 2.0 * np.sqrt(np.clip(t_minus_tmin * (t_max - t), 0.0, None)) / (t_max - t_min)
    pperp = p_f * sin_cm
    pz = (s_x - m_in**2 + t * (e0 + big_m) / big_m) / (2.0 * p0)
    q = np.zeros((n, 4), dtype=t.dtype)  # float64, or longdouble for a precision reference
    q[:, 0] = -t / (2.0 * big_m)
    q[:, 1] = -pperp
    q[:, 3] = -pz
    p = _beam_momentum(inv, n, t.dtype)
    p_x = p + q
    # X rest frame: beam lepton direction, phi momentum
    rsx = np.sqrt(s_x)
    e_p = (s_x + m_in**2 + t) / (2.0 * rsx)
    mom_p = sqrt_kallen(s_x, m_in**2, -t) / (2.0 * rsx)
    e_k = (s_x + m_phi**2 - m_out**2) / (2.0 * rsx)
    mom_k = sqrt_kallen(s_x, m_phi**2, m_out**2) / (2.0 * rsx)
    pk_min = (m_in**2 * e_k**2 + m_phi**2 * mom_p**2) / (e_p * e_k + mom_p * mom_k)
    base = m_out**2 - m_in**2 - m_phi**2
    d_min = base + 2.0 * pk_min
    d_max = base + 2.0 * (e_p * e_k + mom_p * mom_k)
    ld = np.log(d_max / d_min)
    d_b = d_min * np.exp(ld * y[:, 2])
    one_minus_cos = (d_b - d_min) / (2.0 * mom_p * mom_k)
    cos_a = 1.0 - one_minus_cos
    sin_a = np.sqrt(np.clip(one_minus_cos * (2.0 - one_minus_cos), 0.0, None))
    phi_star = 2.0 * math.pi * y[:, 3]
    # orthonormal frame around the beam-lepton direction in the X rest frame
    p_star = dirac.boost_to_rest(p_x, p)
    n3 = p_star[:, 1:] / np.linalg.norm(p_star[:, 1:], axis=1)[:, None]
    ref = np.zeros_like(n3)
    ref[:, 0] = 1.0
    e1 = ref - np.sum(ref * n3, axis=1)[:, None] * n3
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    e2 = np.cross(n3, e1)
    direction = (cos_a[:, None] * n3 + (sin_a * np.cos(phi_star))[:, None] * e1
                 + (sin_a * np.sin(phi_star))[:, None] * e2)
    k_star = np.column_stack([e_k, mom_k[:, None] * direction])
    k = dirac.boost_from_rest(p_x, k_star)
    pp = p_x - k
    jac = (ls * s_x) * (lt * t) * (ld * d_b / (2.0 * mom_p * mom_k)) * (2.0 * math.pi)
    pref = 1.0 / (SX_MEASURE_NORM * inv.p_cm**2 * inv.s)
    measure = pref * jac * mom_k / rsx
    valid = (t_max > t_min) & (d_max > d_min) & np.isfinite(measure)
    return PhaseSpacePoints(p, q, pp, k, t, s_x - m_in**2, -d_b, measure, valid)


def lab_limits(proc: Process) -> dict[str, float]:
    """Integration ranges of route 2."""
    e0 = proc.energy
    s_lo, _ = sx_limits(proc)
    t_abs_min = (s_lo - proc.m_in**2) ** 2 / (4.0 * e0 * e0)
    return {
        "x_lo": proc.m_phi / e0,
        "x_hi": 1.0 - proc.m_out / e0,
        "th_lo": 1e-4 * proc.m_phi / e0,
        "th_hi": math.pi,
        "qt_lo": 1e-3 * math.sqrt(t_abs_min),
        "qt_hi": min(e0, 40.0 * math.sqrt(nuclear_d(proc.target.A))),
    }


def map_lab(proc: Process, y: np.ndarray) -> list[PhaseSpacePoints]:
    """Route 2: unit hypercube -> the (up to two) solutions for q_z, each with its measure."""
    n = len(y)
    lim = lab_limits(proc)
    m_out, m_phi, big_m = proc.m_out, proc.m_phi, proc.nucleus_mass
    e0 = proc.energy
    # 1 - x (the outgoing lepton's energy fraction) is sampled logarithmically: a soft
    # outgoing lepton (x -> 1 - m_out/E0, e.g. mu -> e with E_e ~ m_e) gives a peak that a
    # linear x leaves to a few grid cells (the route was biased low by ~0.5% for mu- beams)
    one_lo, one_hi = 1.0 - lim["x_hi"], 1.0 - lim["x_lo"]
    l1x = math.log(one_hi / one_lo)
    one_minus_x = one_lo * np.exp(l1x * (1.0 - y[:, 0]))
    x = 1.0 - one_minus_x
    lth = math.log(lim["th_hi"] / lim["th_lo"])
    th = lim["th_lo"] * np.exp(lth * y[:, 1])
    lqt = math.log(lim["qt_hi"] / lim["qt_lo"])
    qt = lim["qt_lo"] * np.exp(lqt * y[:, 2])
    psi = 2.0 * math.pi * y[:, 3]
    e_k = x * e0
    mom_k = np.sqrt(np.clip(e_k * e_k - m_phi**2, 0.0, None))
    k = np.column_stack([e_k, mom_k * np.sin(th), np.zeros(n), mom_k * np.cos(th)])
    p = _beam_momentum(proc.invariants(), n)
    r = p - k
    r2 = dirac.mdot(r, r)
    qx, qy = qt * np.cos(psi), qt * np.sin(psi)
    c0 = r2 - m_out**2 - 2.0 * (r[:, 1] * qx + r[:, 2] * qy)
    lam = 1.0 + r[:, 0] / big_m
    rz = r[:, 3]
    ml2 = (big_m * lam) ** 2
    a = 1.0 - rz * rz / ml2
    b = 2.0 * rz / lam + c0 * rz / ml2
    c = qt * qt - c0 / lam - c0 * c0 / (4.0 * ml2)
    disc = b * b - 4.0 * a * c
    ok = disc >= 0
    sq = np.sqrt(np.where(ok, disc, 0.0))
    big = -0.5 * (b + np.copysign(sq, b))
    roots = [np.where(big != 0, big / a, 0.0), np.where(big != 0, c / big, 0.0)]
    jac_common = (e0 * l1x * one_minus_x) * (lth * th * np.sin(th)) * (lqt * qt * qt) \
        * (2.0 * math.pi)
    pref = 1.0 / (4.0 * big_m * proc.p_lab * (2.0 * math.pi) ** 5) * math.pi / 2.0
    out = []
    for qz in roots:
        q3 = qt * qt + qz * qz
        t = 2.0 * q3 / (1.0 + np.sqrt(1.0 + q3 / big_m**2))
        t_lin = (c0 - 2.0 * rz * qz) / lam
        q = np.column_stack([-t / (2.0 * big_m), qx, qy, qz])
        pp = r + q
        e_rec = big_m + t / (2.0 * big_m)
        dfdqz = np.abs(2.0 * (pp[:, 0] * qz / e_rec + pp[:, 3]))
        measure = pref * jac_common * mom_k / (e_rec * dfdqz)
        # (p + q)^2 - m_in^2 = 2 p.q - t, free of the cancellation of large components
        den_a = 2.0 * (e0 * q[:, 0] - proc.p_lab * qz) - t
        den_b = r2 - m_out**2
        # t_lin < 0 flags the spurious solution with a negative-energy recoil
        valid = ok & (t > 0) & (t_lin > -big_m**2) & (pp[:, 0] > 0) & (mom_k > 0) & (den_a > 0)
        out.append(PhaseSpacePoints(p, q, pp, k, t, den_a, den_b, measure, valid))
    return out


def observables(proc: Process, pts: PhaseSpacePoints) -> dict[str, np.ndarray]:
    """Lab observables of each point: x = E_phi/E0, cos(theta_phi), E_phi (GeV), and the
    energy (GeV) and polar angle (rad) of the outgoing lepton."""
    k, pp = pts.k, pts.pp
    mom = np.linalg.norm(k[:, 1:], axis=1)
    pt_out = np.hypot(pp[:, 1], pp[:, 2])
    return {
        "x": k[:, 0] / proc.energy,
        "cos_theta": np.divide(k[:, 3], mom, out=np.ones_like(mom), where=mom > 0),
        "e_out": pp[:, 0],
        "e_phi": k[:, 0],
        "theta_out": np.arctan2(pt_out, pp[:, 3]),
    }


__all__ = [
    "OBSERVABLES", "lab_limits", "map_lab", "map_sx", "observables", "PhaseSpacePoints",
    "point_invariants", "sx_limits", "t_limits",
]


def __dir__() -> list[str]:
    return __all__
