"""Spin-summed |M|^2 of l(p) N(P) -> l'(p') N(P') phi(k) at tree level.

Two diagrams with one photon exchanged with the nucleus (q = P - P', t = -q^2):

    J^nu = ubar(p') [ G S_in(p + q) gamma^nu + gamma^nu S_out(p - k) G ] u(p),
    G = C_S + C_P gamma5,  S_f(x) = (xslash + m_f) / (x^2 - m_f^2),
    |M|^2 = e^4 G2(t) / t^2 |J . (P + P')|^2   (spin-0 nucleus, current Z e F (P + P')).

Numerics: the contraction uses Qt = Q - (Q.n / q.n) q with the light-like n = (1,0,0,1)
instead of Q = P + P'. Because q.J = 0 this is identical in exact arithmetic, but it avoids the
catastrophic cancellation between the two diagrams near t_min. The propagator denominators are
passed in from the phase-space map (exact there) rather than recomputed from momenta.

Positive beams: the fermion line runs from the outgoing anti-lepton to the incoming one,

    J^nu = vbar(p) [ gamma^nu S_in(-p - q) V + V S_out(-p + k) gamma^nu ] v(p'),

with V the vertex of the conjugate transition (see `process`); C invariance makes its
spin sum equal to that of the negative beam, which the tests check point by point.

Evaluation: helicity amplitudes with explicit Weyl-basis spinors, vectorised over points;
``spin_summed_current_trace`` is an independent Dirac-basis trace used to validate it.
"""

from __future__ import annotations

import numpy as np

from leptoportal import dirac
from leptoportal._typing import AnyArray, FloatArray
from leptoportal.constants import E2
from leptoportal.model import Couplings

_N_LIGHTLIKE = np.array([1.0, 0.0, 0.0, 1.0])


def _slash_apply(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """aslash @ v in the Weyl basis for a (N, 4) and spinor pairs v (N, 4, 2)."""
    a0, a1, a2, a3 = (a[:, i : i + 1] for i in range(4))
    ap = a1 - 1j * a2
    am = a1 + 1j * a2
    t0, t1, b0, b1 = v[:, 0], v[:, 1], v[:, 2], v[:, 3]
    out = np.empty_like(v)
    # top = (a.sigma) bottom, a.sigma = [[a0 - a3, -(a1 - i a2)], [-(a1 + i a2), a0 + a3]]
    out[:, 0] = (a0 - a3) * b0 - ap * b1
    out[:, 1] = -am * b0 + (a0 + a3) * b1
    # bottom = (a.sigmabar) top, a.sigmabar = [[a0 + a3, a1 - i a2], [a1 + i a2, a0 - a3]]
    out[:, 2] = (a0 + a3) * t0 + ap * t1
    out[:, 3] = am * t0 + (a0 - a3) * t1
    return out


def _vertex_apply(c: Couplings, v: np.ndarray) -> np.ndarray:
    """(C_S + C_P gamma5) @ v, gamma5 = diag(-1, -1, 1, 1) in the Weyl basis."""
    out = np.empty_like(v)
    out[:, :2] = (c.c_s - c.c_p) * v[:, :2]
    out[:, 2:] = (c.c_s + c.c_p) * v[:, 2:]
    return out


def stabilised_nucleus_current(q: np.ndarray, nucleus_mass: float) -> np.ndarray:
    """Qt = Q - (Q.n / q.n) q with Q = P + P' = 2P - q in the lab (P at rest)."""
    big_q = -q.copy()
    big_q[:, 0] += 2.0 * nucleus_mass
    qn = dirac.mdot(big_q, _N_LIGHTLIKE)
    q_n = dirac.mdot(q, _N_LIGHTLIKE)
    returned: AnyArray = big_q - (qn / q_n)[:, None] * q
    return returned


def lepton_current_dot(p: FloatArray, pp: FloatArray, k: FloatArray, q: FloatArray,
                       contract: FloatArray, den_a: FloatArray, den_b: FloatArray, m_in: float,
                       m_out: float, c: Couplings, antiparticle: bool = False) -> FloatArray:
    """Helicity amplitudes ubar(p', s') [J . contract] u(p, s), shape (N, 2, 2) (for an
    anti-lepton beam vbar(p, s) [J . contract] v(p', s'), see the module docstring).

    ``den_a`` = (p + q)^2 - m_in^2 and ``den_b`` = (p - k)^2 - m_out^2 (signed).
    """
    if antiparticle:
        return _antilepton_current_dot(p, pp, k, q, contract, den_a, den_b, m_in, m_out, c)
    u = dirac.u_spinors(p, m_in)
    # diagram A: G (pslash + qslash + m_in) Qslash u / den_a
    step = _slash_apply(contract, u)
    step = _slash_apply(p + q, step) + m_in * step
    diag_a = _vertex_apply(c, step) / den_a[:, None, None]
    # diagram B: Qslash (pslash - kslash + m_out) G u / den_b
    step = _vertex_apply(c, u)
    step = _slash_apply(p - k, step) + m_out * step
    diag_b = _slash_apply(contract, step) / den_b[:, None, None]
    total = diag_a + diag_b
    ubar_out = dirac.bar(dirac.u_spinors(pp, m_out))  # (N, 2, 4)
    returned: FloatArray = np.einsum("nsi,nit->nst", ubar_out, total)
    return returned


def _antilepton_current_dot(p: FloatArray, pp: FloatArray, k: FloatArray, q: FloatArray,
                            contract: FloatArray, den_a: FloatArray, den_b: FloatArray,
                            m_in: float, m_out: float, c: Couplings) -> FloatArray:
    v = dirac.v_spinors(pp, m_out)
    # diagram A: Qslash (-(pslash + qslash) + m_in) V v(p') / den_a
    step = _vertex_apply(c, v)
    step = _slash_apply(-(p + q), step) + m_in * step
    diag_a = _slash_apply(contract, step) / den_a[:, None, None]
    # diagram B: V (-(pslash - kslash) + m_out) Qslash v(p') / den_b
    step = _slash_apply(contract, v)
    step = _slash_apply(-(p - k), step) + m_out * step
    diag_b = _vertex_apply(c, step) / den_b[:, None, None]
    vbar_in = dirac.bar(dirac.v_spinors(p, m_in))  # (N, 2, 4)
    returned: FloatArray = np.einsum("nsi,nit->nst", vbar_in, diag_a + diag_b)
    return returned


def spin_summed_current(p: FloatArray, pp: FloatArray, k: FloatArray, q: FloatArray,
                        contract: FloatArray, den_a: FloatArray, den_b: FloatArray, m_in: float,
                        m_out: float, c: Couplings, antiparticle: bool = False) -> FloatArray:
    """sum over spins |ubar(p') J.contract u(p)|^2 (or the anti-lepton chain)."""
    amp = lepton_current_dot(p, pp, k, q, contract, den_a, den_b, m_in, m_out, c, antiparticle)
    returned: FloatArray = np.sum(amp.real**2 + amp.imag**2, axis=(1, 2))
    return returned


def spin_summed_current_trace(p: FloatArray, pp: FloatArray, k: FloatArray, q: FloatArray,
                              contract: FloatArray, m_in: float, m_out: float, c: Couplings
                              ) -> FloatArray:
    """Independent route: Tr[(p'slash + m_out) O (pslash + m_in) Obar] in the Dirac basis,
    with the propagator denominators recomputed from the momenta."""
    gam = dirac.GAMMA_DIRAC
    g = dirac.coupling_matrix(c.c_s, c.c_p, dirac.GAMMA5_DIRAC)
    eye = np.eye(4)
    px = p + q
    pk = p - k
    den_a = dirac.mdot(px, px) - m_in**2
    den_b = dirac.mdot(pk, pk) - m_out**2
    cs = dirac.slash(contract, gam)
    o = (g @ (dirac.slash(px, gam) + m_in * eye) @ cs) / den_a[:, None, None] + (
        cs @ (dirac.slash(pk, gam) + m_out * eye) @ g
    ) / den_b[:, None, None]
    obar = dirac.dirac_bar_matrix(o, gam[0])
    m = (dirac.slash(pp, gam) + m_out * eye) @ o @ (dirac.slash(p, gam) + m_in * eye) @ obar
    returned: FloatArray = np.trace(m, axis1=1, axis2=2).real
    return returned


def me2_averaged(t: FloatArray, g2_of_t: FloatArray, current_sum: FloatArray) -> FloatArray:
    """Spin-averaged |M|^2 = (1/2) e^4 G2(t)/t^2 sum|J.Q|^2 (initial lepton spin averaged)."""
    return 0.5 * E2 * E2 * g2_of_t / (t * t) * current_sum


__all__ = [
    "lepton_current_dot", "me2_averaged", "spin_summed_current", "spin_summed_current_trace",
    "stabilised_nucleus_current",
]


def __dir__() -> list[str]:
    return __all__
