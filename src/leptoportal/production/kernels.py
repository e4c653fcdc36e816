"""Compiled (numba) kernel of the spin-summed lepton current of :mod:`~.amplitude`.

The same helicity amplitudes as the numpy reference, ``amplitude.lepton_current_dot``, written
as a loop over points with the Weyl-basis spinors and slashed momenta expanded by hand
(Peskin-Schroeder conventions, see :mod:`leptoportal.dirac`): float64 and complex128
throughout, no fastmath. The two agree to ~1e-13 relative on random points (tests);
``backend="numpy"`` selects the reference everywhere the kernel is used. Compiled once per
installation (``cache=True``).

Example: ``spin_summed_current_numba(p, pp, k, q, contract, den_a, den_b, m_in, m_out,
c_s, c_p, False)`` returns sum over spins |ubar(p') J.contract u(p)|^2 for each point.
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True, inline="always")
def _sqrt_sigma(e, p1, p2, p3, m, sgn, scale, out, row):
    """scale * sqrt(p.sigma) (sgn = -1) or sqrt(p.sigmabar) (sgn = +1) into rows row, row+1."""
    norm = scale / np.sqrt(2.0 * (e + m))
    out[row, 0] = (e + sgn * p3 + m) * norm
    out[row, 1] = sgn * complex(p1, -p2) * norm
    out[row + 1, 0] = sgn * complex(p1, p2) * norm
    out[row + 1, 1] = (e - sgn * p3 + m) * norm


@nb.njit(cache=True, inline="always")
def _spinors(mom, m, antiparticle, out):
    """u(p) (or v(p)) for both spin states as the columns of ``out`` (4 x 2)."""
    e, p1, p2, p3 = mom[0], mom[1], mom[2], mom[3]
    _sqrt_sigma(e, p1, p2, p3, m, -1.0, 1.0, out, 0)
    _sqrt_sigma(e, p1, p2, p3, m, 1.0, -1.0 if antiparticle else 1.0, out, 2)


@nb.njit(cache=True, inline="always")
def _slash(a0, a1, a2, a3, v, out):
    """out = aslash @ v (Weyl basis) for a 4 x 2 spinor pair."""
    ap = complex(a1, -a2)
    am = complex(a1, a2)
    for j in range(2):
        t0, t1, b0, b1 = v[0, j], v[1, j], v[2, j], v[3, j]
        out[0, j] = (a0 - a3) * b0 - ap * b1
        out[1, j] = -am * b0 + (a0 + a3) * b1
        out[2, j] = (a0 + a3) * t0 + ap * t1
        out[3, j] = am * t0 + (a0 - a3) * t1


@nb.njit(cache=True, inline="always")
def _vertex(cs, cp, v, out):
    """out = (C_S + C_P gamma5) @ v, gamma5 = diag(-1, -1, 1, 1)."""
    lo, hi = cs - cp, cs + cp
    for j in range(2):
        out[0, j] = lo * v[0, j]
        out[1, j] = lo * v[1, j]
        out[2, j] = hi * v[2, j]
        out[3, j] = hi * v[3, j]


@nb.njit(cache=True, inline="always")
def _slash_plus_mass(a0, a1, a2, a3, m, v, tmp, out):
    """out = (aslash + m) @ v."""
    _slash(a0, a1, a2, a3, v, tmp)
    for i in range(4):
        for j in range(2):
            out[i, j] = tmp[i, j] + m * v[i, j]


@nb.njit(cache=True)
def spin_summed_current_numba(p, pp, k, q, contract, den_a, den_b, m_in, m_out, cs, cp,
                              antiparticle):
    """sum over spins |ubar(p') J.contract u(p)|^2 (anti-lepton beams: |vbar(p) ... v(p')|^2)
    for every point; arguments as :func:`~.amplitude.lepton_current_dot`."""
    n = p.shape[0]
    out = np.empty(n)
    w = np.empty((4, 2), np.complex128)
    a = np.empty((4, 2), np.complex128)
    b = np.empty((4, 2), np.complex128)
    tmp = np.empty((4, 2), np.complex128)
    tot = np.empty((4, 2), np.complex128)
    ext = np.empty((4, 2), np.complex128)
    cs = complex(cs)
    cp = complex(cp)
    for i in range(n):
        c0, c1, c2, c3 = contract[i, 0], contract[i, 1], contract[i, 2], contract[i, 3]
        x0, x1, x2, x3 = (p[i, 0] + q[i, 0], p[i, 1] + q[i, 1], p[i, 2] + q[i, 2],
                          p[i, 3] + q[i, 3])
        y0, y1, y2, y3 = (p[i, 0] - k[i, 0], p[i, 1] - k[i, 1], p[i, 2] - k[i, 2],
                          p[i, 3] - k[i, 3])
        if not antiparticle:
            _spinors(p[i], m_in, False, w)
            # diagram A: G (pslash + qslash + m_in) Qslash u / den_a
            _slash(c0, c1, c2, c3, w, a)
            _slash_plus_mass(x0, x1, x2, x3, m_in, a, tmp, b)
            _vertex(cs, cp, b, a)
            # diagram B: Qslash (pslash - kslash + m_out) G u / den_b
            _vertex(cs, cp, w, b)
            _slash_plus_mass(y0, y1, y2, y3, m_out, b, tmp, ext)
            _slash(c0, c1, c2, c3, ext, b)
            _spinors(pp[i], m_out, False, ext)
        else:
            _spinors(pp[i], m_out, True, w)
            # diagram A: Qslash (-(pslash + qslash) + m_in) V v(p') / den_a
            _vertex(cs, cp, w, a)
            _slash_plus_mass(-x0, -x1, -x2, -x3, m_in, a, tmp, b)
            _slash(c0, c1, c2, c3, b, a)
            # diagram B: V (-(pslash - kslash) + m_out) Qslash v(p') / den_b
            _slash(c0, c1, c2, c3, w, b)
            _slash_plus_mass(-y0, -y1, -y2, -y3, m_out, b, tmp, ext)
            _vertex(cs, cp, ext, b)
            _spinors(p[i], m_in, True, ext)
        da, db = den_a[i], den_b[i]
        for r in range(4):
            for j in range(2):
                tot[r, j] = a[r, j] / da + b[r, j] / db
        # psibar = psi^dagger gamma0: components (2, 3, 0, 1), conjugated
        s = 0.0
        for sp in range(2):
            for t in range(2):
                amp = (np.conj(ext[2, sp]) * tot[0, t] + np.conj(ext[3, sp]) * tot[1, t]
                       + np.conj(ext[0, sp]) * tot[2, t] + np.conj(ext[1, sp]) * tot[3, t])
                s += amp.real * amp.real + amp.imag * amp.imag
        out[i] = s
    return out


@nb.njit(cache=True, inline="always")
def _sqrt_kallen(a, b, c):
    lam = a * a + b * b + c * c - 2.0 * (a * b + a * c + b * c)
    return np.sqrt(lam) if lam > 0.0 else 0.0


@nb.njit(cache=True, inline="always")
def _boost(v0, v1, v2, v3, b1, b2, b3):
    """The boost of :func:`leptoportal.dirac._boost` for one vector."""
    bb = b1 * b1 + b2 * b2 + b3 * b3
    gamma = 1.0 / np.sqrt(1.0 - bb)
    bp = b1 * v1 + b2 * v2 + b3 * v3
    g2 = gamma * gamma / (gamma + 1.0)
    f = g2 * bp + gamma * v0
    return gamma * (v0 + bp), v1 + f * b1, v2 + f * b2, v3 + f * b3


@nb.njit(cache=True)
def map_sx_numba(y, e0, p0, s, p_cm, m_in, m_out, m_phi, big_m):
    """Route 1 of :func:`~.phasespace.map_sx` point by point (same formulas, same order);
    ``e0``, ``p0``, ``s``, ``p_cm`` per point. Returns p, q, pp, k (N, 4), t, den_a, den_b,
    measure and valid."""
    n = y.shape[0]
    p = np.zeros((n, 4))
    q = np.zeros((n, 4))
    pp = np.empty((n, 4))
    k = np.empty((n, 4))
    t_out = np.empty(n)
    den_a = np.empty(n)
    den_b = np.empty(n)
    measure = np.empty(n)
    valid = np.empty(n, np.bool_)
    m2 = m_in * m_in
    two_pi = 2.0 * np.pi
    for i in range(n):
        si, e0i, p0i = s[i], e0[i], p0[i]
        rs = np.sqrt(si)
        s_lo = (m_phi + m_out) ** 2
        rs_minus_m = (m2 + 2.0 * big_m * e0i) / (rs + big_m)
        s_hi = rs_minus_m * rs_minus_m
        ls = np.log(s_hi / s_lo)
        s_x = s_lo * np.exp(ls * y[i, 0])
        e_i = (si + big_m * big_m - m2) / (2.0 * rs)
        e_f = (si + big_m * big_m - s_x) / (2.0 * rs)
        p_f = _sqrt_kallen(si, s_x, big_m * big_m) / (2.0 * rs)
        t_max = 2.0 * (e_i * e_f - big_m * big_m + p_cm[i] * p_f)
        t_min = big_m * big_m * (s_x - m2) ** 2 / (si * t_max)
        lt = np.log(t_max / t_min)
        v = lt * y[i, 1]
        t = t_min * np.exp(v)
        t_minus_tmin = t_min * np.expm1(v)
        arg = t_minus_tmin * (t_max - t)
        sin_cm = 2.0 * np.sqrt(arg if arg > 0.0 else 0.0) / (t_max - t_min)
        pperp = p_f * sin_cm
        pz = (s_x - m2 + t * (e0i + big_m) / big_m) / (2.0 * p0i)
        q0, q1, q3 = -t / (2.0 * big_m), -pperp, -pz
        q[i, 0], q[i, 1], q[i, 3] = q0, q1, q3
        p[i, 0], p[i, 3] = e0i, p0i
        x0, x1, x2, x3 = e0i + q0, q1, 0.0, p0i + q3
        rsx = np.sqrt(s_x)
        e_p = (s_x + m2 + t) / (2.0 * rsx)
        mom_p = _sqrt_kallen(s_x, m2, -t) / (2.0 * rsx)
        e_k = (s_x + m_phi * m_phi - m_out * m_out) / (2.0 * rsx)
        mom_k = _sqrt_kallen(s_x, m_phi * m_phi, m_out * m_out) / (2.0 * rsx)
        pk_min = (m2 * e_k * e_k + m_phi * m_phi * mom_p * mom_p) / (e_p * e_k + mom_p * mom_k)
        base = m_out * m_out - m2 - m_phi * m_phi
        d_min = base + 2.0 * pk_min
        d_max = base + 2.0 * (e_p * e_k + mom_p * mom_k)
        ld = np.log(d_max / d_min)
        d_b = d_min * np.exp(ld * y[i, 2])
        one_minus_cos = (d_b - d_min) / (2.0 * mom_p * mom_k)
        cos_a = 1.0 - one_minus_cos
        arg = one_minus_cos * (2.0 - one_minus_cos)
        sin_a = np.sqrt(arg if arg > 0.0 else 0.0)
        phi_star = two_pi * y[i, 3]
        # beam lepton in the X rest frame and an orthonormal frame around it
        _, a1, a2, a3 = _boost(e0i, 0.0, 0.0, p0i, -x1 / x0, -x2 / x0, -x3 / x0)
        norm = np.sqrt(a1 * a1 + a2 * a2 + a3 * a3)
        n1, n2, n3 = a1 / norm, a2 / norm, a3 / norm
        r1, r2, r3 = 1.0 - n1 * n1, -n1 * n2, -n1 * n3
        rn = np.sqrt(r1 * r1 + r2 * r2 + r3 * r3)
        r1, r2, r3 = r1 / rn, r2 / rn, r3 / rn
        u1, u2, u3 = n2 * r3 - n3 * r2, n3 * r1 - n1 * r3, n1 * r2 - n2 * r1
        ca, sc, ss = cos_a, sin_a * np.cos(phi_star), sin_a * np.sin(phi_star)
        d1 = ca * n1 + sc * r1 + ss * u1
        d2 = ca * n2 + sc * r2 + ss * u2
        d3 = ca * n3 + sc * r3 + ss * u3
        k0, k1, k2, k3 = _boost(e_k, mom_k * d1, mom_k * d2, mom_k * d3,
                                x1 / x0, x2 / x0, x3 / x0)
        k[i, 0], k[i, 1], k[i, 2], k[i, 3] = k0, k1, k2, k3
        pp[i, 0], pp[i, 1], pp[i, 2], pp[i, 3] = x0 - k0, x1 - k1, x2 - k2, x3 - k3
        jac = (ls * s_x) * (lt * t) * (ld * d_b / (2.0 * mom_p * mom_k)) * two_pi
        pref = 1.0 / (2048.0 * np.pi ** 4 * p_cm[i] ** 2 * si)
        meas = pref * jac * mom_k / rsx
        t_out[i] = t
        den_a[i] = s_x - m2
        den_b[i] = -d_b
        measure[i] = meas
        valid[i] = (t_max > t_min) and (d_max > d_min) and np.isfinite(meas)
    return p, q, pp, k, t_out, den_a, den_b, measure, valid


@nb.njit(cache=True)
def point_weights_numba(p, pp, k, q, t, den_a, den_b, measure, valid, g2, m_in, m_out,
                        big_m, cs, cp, antiparticle, factor):
    """dsigma per unit hypercube volume of every point (0 where not ``valid``): the
    stabilised contraction (:func:`~.amplitude.stabilised_nucleus_current`), the current of
    :func:`spin_summed_current_numba`, and ``factor`` * g2 / t^2 * current * measure with
    ``factor`` = e^4 / 2 in pb GeV^2 (:func:`~.amplitude.me2_averaged`)."""
    n = p.shape[0]
    out = np.zeros(n)
    idx = np.flatnonzero(valid)
    m = idx.shape[0]
    if m == 0:
        return out
    contract = np.empty((m, 4))
    sel = np.empty((4, m, 4))
    da = np.empty(m)
    db = np.empty(m)
    for j in range(m):
        i = idx[j]
        # Qt = Q - (Q.n / q.n) q with Q = 2P - q, n = (1, 0, 0, 1)
        b0, b1, b2, b3 = 2.0 * big_m - q[i, 0], -q[i, 1], -q[i, 2], -q[i, 3]
        ratio = (b0 - b3) / (q[i, 0] - q[i, 3])
        contract[j, 0] = b0 - ratio * q[i, 0]
        contract[j, 1] = b1 - ratio * q[i, 1]
        contract[j, 2] = b2 - ratio * q[i, 2]
        contract[j, 3] = b3 - ratio * q[i, 3]
        for c in range(4):
            sel[0, j, c] = p[i, c]
            sel[1, j, c] = pp[i, c]
            sel[2, j, c] = k[i, c]
            sel[3, j, c] = q[i, c]
        da[j] = den_a[i]
        db[j] = den_b[i]
    cur = spin_summed_current_numba(sel[0], sel[1], sel[2], sel[3], contract, da, db, m_in,
                                    m_out, cs, cp, antiparticle)
    for j in range(m):
        i = idx[j]
        out[i] = factor * g2[i] / (t[i] * t[i]) * cur[j] * measure[i]
    return out
