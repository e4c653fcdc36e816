"""Charged-lepton flavour violation from the portal's coupling matrix (docs/physics/lfv.md).

The portal L = sum_(i <= j) phi lbar_j (C_S^ij + C_P^ij gamma5) l_i + h.c. (`leptoportal.model`)
with an off-diagonal entry next to a diagonal one, or two off-diagonal ones, changes lepton
flavour in rare decays of the muon and the tau:

* l_i -> l_j gamma at one loop (the scalar and an internal lepton F in the loop, the photon on
  F). With the vertices F (lam_L P_L + lam_R P_R) l_i of l_i -> F and l_j (rho_L P_L +
  rho_R P_R) F of F -> l_j (lam_L,R = C_S -+ C_P of each vertex), the amplitude is
  M = e eps*_mu ubar_j i sigma^(mu nu) q_nu (A_L P_L + A_R P_R) u_i, A = F / (16 pi^2),

      F_R = Int_0^1 dz Int_0^(1-z) dx [z (x m_i rho_R lam_L + y m_j rho_L lam_R)
                                       + (1 - z) m_F rho_R lam_R] / Delta,      y = 1 - x - z,
      Delta = (1 - z) m_F^2 + z M^2 - x z m_i^2 - y z m_j^2,

  F_L the same with L <-> R (the general neutral-scalar result, cf. L. Lavoura,
  Eur. Phys. J. C 29 (2003) 191; the m_F term is the chirally enhanced one), and
  Gamma(l_i -> l_j gamma) = alpha (|A_L|^2 + |A_R|^2) (m_i^2 - m_j^2)^3 / (4 m_i^3).
  At i = j, m_l (F_L + F_R) / (16 pi^2) is Delta a_l of `leptoportal.g2`.
* l_i -> l_a l_b lbar_c at tree level through phi exchange (every diagram and its exchange
  partner, with Fermi statistics and the symmetry factor of identical leptons), the spin sums
  as numerical Dirac traces over the exact three-body phase space (Dalitz plot) with the
  Breit-Wigner propagator of phi. Where phi can be on shell inside the Dalitz plot, that
  diagram is the narrow-width product Gamma(l_i -> l_a phi) Br(phi -> l_b lbar_c) and the
  off-shell remainder (a fraction ~ Gamma_phi / m_phi) is dropped: the resonance is counted
  once, never twice.
* l_i -> l_j phi where it is open (m_phi < m_i - m_j):
  Gamma = p (|C_S|^2 ((m_i + m_j)^2 - M^2) + |C_P|^2 ((m_i - m_j)^2 - M^2)) / (8 pi m_i^2).

phi is complex as soon as a flavour-changing entry exists and carries lepton number: the
transition l_a -> l_b (a lighter than b) emits phibar with the vertex (C_S, C_P) of the
entry, l_b -> l_a emits phi with its conjugate (C_S*, -C_P*), and a diagonal entry emits
phibar with (C_S, C_P) and phi with (C_S*, -C_P*). A diagram exists only if the state
emitted at one vertex is the one absorbed at the other; an internal lepton whose mass lies
between those of l_i and l_j, for instance, closes no loop. The branching ratios divide by
the PDG total widths of the muon and the tau (`leptoportal.constants.LEPTON_WIDTH`) and
stand next to the experimental upper limits of data/lfv_limits.csv (90% CL; 95% CL for
l -> l' + invisible, which bounds BR(l -> l' phi) Br(phi -> invisible)).

Example: a muon-philic scalar with an e-mu entry (1e-3 each) at m_phi = 0.5 GeV gives
BR(mu -> e gamma) ~ 5e-4 (the muon decays weakly: its width is 3e-19 GeV), nine orders of
magnitude above the MEG II limit:

>>> m = CouplingMatrix.from_mapping({"e-mu": {"cs": 1e-3}, "mu-mu": {"cs": 1e-3}})
>>> br = radiative_br("mu", "e", 0.5, m)
>>> f"{br:.3e}"
'4.537e-04'
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from leptoportal._typing import AnyArray, FloatArray
from leptoportal.constants import ALPHA, LEPTON_MASS, LEPTON_WIDTH
from leptoportal.decays import two_body_width, widths
from leptoportal.model import (
    COUPLING_MAX,
    LEPTONS,
    CouplingMatrix,
    Couplings,
    DarkSector,
    Portal,
    as_matrix,
    validate_m_phi,
)
from leptoportal.numerics import gauss_legendre_panels, two_body_momentum
from leptoportal.results import Result, quantity

#: the scalar's two states: phibar is emitted by l_a -> l_b with a lighter than b
PHI, PHIBAR = "phi", "phibar"
_OTHER = {PHI: PHIBAR, PHIBAR: PHI}

#: Gauss-Legendre nodes per panel of the Feynman-parameter integral of the dipole (the error
#: estimate compares with two thirds of them)
DIPOLE_NODES = 24
#: Gauss-Legendre nodes per axis of the Dalitz-plot integral (the error estimate compares
#: with two thirds of them)
DALITZ_NODES = 24

#: a branching ratio above this gets a note: the new width is no longer a small addition to
#: the PDG width that it is divided by
BR_NOTE = 0.01

#: the radiative channels (decaying lepton, lepton of the final state)
RADIATIVE = (("mu", "e"), ("tau", "e"), ("tau", "mu"))
#: the three-lepton channels: name -> (l_i, a, b, c) for l_i^- -> l_a^- l_b^- lbar_c
THREE_BODY = {
    "mu -> e e e": ("mu", "e", "e", "e"),
    "tau -> e e e": ("tau", "e", "e", "e"),
    "tau -> mu mu mu": ("tau", "mu", "mu", "mu"),
    "tau -> e mu mu": ("tau", "e", "mu", "mu"),
    "tau -> mu e e": ("tau", "mu", "e", "e"),
    "tau -> e+ mu mu": ("tau", "mu", "mu", "e"),
    "tau -> mu+ e e": ("tau", "e", "e", "mu"),
}

#: each channel as a reaction with charges (for HEPData records and tables)
REACTIONS = {
    "mu -> e gamma": "MU- --> E- GAMMA", "tau -> e gamma": "TAU- --> E- GAMMA",
    "tau -> mu gamma": "TAU- --> MU- GAMMA", "mu -> e e e": "MU- --> E- E+ E-",
    "tau -> e e e": "TAU- --> E- E+ E-", "tau -> mu mu mu": "TAU- --> MU- MU+ MU-",
    "tau -> e mu mu": "TAU- --> E- MU+ MU-", "tau -> mu e e": "TAU- --> MU- E+ E-",
    "tau -> e+ mu mu": "TAU- --> E+ MU- MU-", "tau -> mu+ e e": "TAU- --> MU+ E- E-",
    "mu -> e phi": "MU- --> E- PHI", "tau -> e phi": "TAU- --> E- PHI",
    "tau -> mu phi": "TAU- --> MU- PHI",
}


# --------------------------------------------------------------------------------------------
# vertices
# --------------------------------------------------------------------------------------------


def emission_vertex(matrix: CouplingMatrix, a: str, b: str, state: str) -> Couplings | None:
    """The vertex (C_S, C_P) of l_a -> l_b emitting ``state`` (phi or phibar), or None if
    that transition cannot emit it (see the module docstring).

    >>> m = CouplingMatrix.emu(Couplings.chiral(1.0))
    >>> emission_vertex(m, "e", "mu", "phibar"), emission_vertex(m, "e", "mu", "phi")
    (Couplings(c_s=(0.5+0j), c_p=(0.5+0j)), None)
    """
    ia, ib = LEPTONS.index(a), LEPTONS.index(b)
    vertex = matrix.vertex(a, b)
    if vertex.norm2 == 0:
        return None
    if ia == ib:
        return vertex if state == PHIBAR else vertex.conjugate_vertex()
    if (ia < ib) == (state == PHIBAR):
        return vertex
    return None


def _chiral(c: Couplings) -> tuple[complex, complex]:
    """(lam_L, lam_R) of C_S + C_P gamma5 = lam_L P_L + lam_R P_R."""
    return c.c_s - c.c_p, c.c_s + c.c_p


def loop_diagrams(matrix: CouplingMatrix, i: str, j: str) -> list[tuple[str, Couplings,
                                                                         Couplings]]:
    """(F, vertex of l_i -> F, vertex of F -> l_j) of every one-loop diagram of l_i -> l_j
    gamma. At i = j a diagonal loop is counted once, as `leptoportal.g2` does (the real
    scalar of a diagonal entry)."""
    out = []
    for f in LEPTONS:
        for state in (PHIBAR, PHI):
            if i == j == f and state == PHI:
                continue
            first = emission_vertex(matrix, i, f, state)
            second = emission_vertex(matrix, f, j, _OTHER[state])
            if first is not None and second is not None:
                out.append((f, first, second))
    return out


# --------------------------------------------------------------------------------------------
# l_i -> l_j gamma
# --------------------------------------------------------------------------------------------


def _g1(u: np.ndarray) -> np.ndarray:
    """-ln(1 - u) / u (series below |u| = 1e-3)."""
    small = np.abs(u) < 1e-3
    us = np.where(small, 0.5, u)
    exact = -np.log1p(-us) / us
    return np.where(small, 1.0 + u / 2 + u**2 / 3 + u**3 / 4, exact)


def _g2(u: np.ndarray) -> np.ndarray:
    """(-ln(1 - u) - u) / u^2 (series below |u| = 1e-3)."""
    small = np.abs(u) < 1e-3
    us = np.where(small, 0.5, u)
    exact = (-np.log1p(-us) - us) / us**2
    return np.where(small, 0.5 + u / 3 + u**2 / 4 + u**3 / 5, exact)


def _z_rule(m_f: float, m_phi: float, m_i: float, nodes: int) -> tuple[FloatArray, FloatArray]:
    """Gauss-Legendre panels in z, log-spaced towards z = 0 from the scale m_F^2 / M^2 (a
    light internal lepton) and towards z = 1 from M^2 / m_F^2 (a heavy one), the scales on
    which the integrand varies."""
    edges = {0.0, 0.5, 1.0}
    for scale, flip in ((m_f**2 / (m_phi**2 + m_i**2), False),
                        (m_phi**2 / (m_f**2 + m_i**2), True)):
        z = max(scale, 1e-14)
        while z < 0.5:
            edges.add(1.0 - z if flip else z)
            z *= 10.0
    return gauss_legendre_panels(sorted(edges), nodes)


def loop_valid(m_i: float, m_f: float, m_phi: float) -> bool:
    """True if Delta > 0 on the whole Feynman-parameter domain, i.e. m_phi > m_i - m_F
    (otherwise l_i -> F phi is open and the loop has an absorptive part)."""
    return m_phi > m_i - m_f


def form_factors(m_i: float, m_j: float, m_f: float, m_phi: float, first: Couplings,
                 second: Couplings, nodes: int = DIPOLE_NODES) -> tuple[complex, complex]:
    """(F_L, F_R) of the module docstring (GeV^-1) for one internal lepton, the x integral
    done in closed form and the z integral by Gauss-Legendre panels.

    In the heavy-scalar limit F_R -> (m_i rho_R lam_L + m_j rho_L lam_R) / (6 M^2)
    + m_F rho_R lam_R (ln(M^2/m_F^2) - 3/2) / M^2:

    >>> c = Couplings(1.0, 0.0)
    >>> fl, fr = form_factors(0.1, 0.1, 0.1, 1000.0, c, c)
    >>> round(fr.real / (0.2 / 6e6 + 0.1 * (math.log(1e8) - 1.5) / 1e6), 3)
    1.0
    """
    lam_l, lam_r = _chiral(first)
    rho_l, rho_r = _chiral(second)
    z, w = _z_rule(m_f, m_phi, m_i, nodes)
    length = 1.0 - z
    c0 = (1.0 - z) * m_f**2 + z * m_phi**2 - z * (1.0 - z) * m_j**2
    d = z * (m_i**2 - m_j**2)
    u = d * length / c0
    i0 = length / c0 * _g1(u)
    i1 = length**2 / c0 * _g2(u)

    def one(rl: complex, lr: complex, rr: complex) -> complex:
        """The integral of [z (x m_i rl + y m_j lr) + (1 - z) m_F rr] / Delta."""
        a0 = z * length * m_j * lr + length * m_f * rr
        a1 = z * (m_i * rl - m_j * lr)
        return complex(np.sum(w * (a0 * i0 + a1 * i1)))

    f_r = one(rho_r * lam_l, rho_l * lam_r, rho_r * lam_r)
    f_l = one(rho_l * lam_r, rho_r * lam_l, rho_l * lam_l)
    return f_l, f_r


@dataclass(frozen=True)
class Dipole:
    """Dipole coefficients A_L, A_R (GeV^-1) of l_i -> l_j gamma with their quadrature
    error, or ``open_channel`` naming the decay l_i -> F phi that makes the loop complex."""

    a_l: complex = 0j
    a_r: complex = 0j
    error: float = 0.0
    open_channel: str | None = None


def dipole(i: str, j: str, m_phi: float, couplings: Couplings | CouplingMatrix) -> Dipole:
    """A_L, A_R of l_i -> l_j gamma summed over the loop diagrams (`loop_diagrams()`).

    At i = j, m_l (A_L + A_R) is the portal's Delta a_l:

    >>> from leptoportal.g2 import delta_a_mu
    >>> c = Couplings.chiral(1e-3)
    >>> d = dipole("mu", "mu", 0.3, c)
    >>> round(float((0.1056583755 * (d.a_l + d.a_r)).real / delta_a_mu(0.3, c)), 9)
    1.0
    """
    matrix = as_matrix(couplings)
    m_i, m_j = LEPTON_MASS[i], LEPTON_MASS[j]
    a = np.zeros(2, dtype=complex)
    coarse = np.zeros(2, dtype=complex)
    for f, first, second in loop_diagrams(matrix, i, j):
        m_f = LEPTON_MASS[f]
        if not loop_valid(m_i, m_f, m_phi):
            return Dipole(open_channel=f"{i} -> {f} phi")
        a += form_factors(m_i, m_j, m_f, m_phi, first, second)
        coarse += form_factors(m_i, m_j, m_f, m_phi, first, second, 2 * DIPOLE_NODES // 3)
    a /= 16.0 * math.pi**2
    coarse /= 16.0 * math.pi**2
    return Dipole(a[0], a[1], float(np.max(np.abs(a - coarse))))


def radiative_width(i: str, j: str, d: Dipole) -> float:
    """Gamma(l_i -> l_j gamma) = alpha (|A_L|^2 + |A_R|^2) (m_i^2 - m_j^2)^3 / (4 m_i^3) in
    GeV."""
    m_i, m_j = LEPTON_MASS[i], LEPTON_MASS[j]
    return float(ALPHA * (abs(d.a_l) ** 2 + abs(d.a_r) ** 2) * (m_i**2 - m_j**2) ** 3
                 / (4 * m_i**3))


def radiative_br(i: str, j: str, m_phi: float, couplings: Couplings | CouplingMatrix) -> float:
    """BR(l_i -> l_j gamma) (nan where l_i -> F phi is open: see `dipole()`)."""
    d = dipole(i, j, m_phi, couplings)
    if d.open_channel is not None:
        return math.nan
    return radiative_width(i, j, d) / LEPTON_WIDTH[i]


# --------------------------------------------------------------------------------------------
# l_i -> l_j phi
# --------------------------------------------------------------------------------------------


def lepton_to_phi_width(m_i: float, m_j: float, m_phi: float, vertex: Couplings) -> float:
    """Gamma(l_i -> l_j phi) in GeV (module docstring), 0 where closed.

    Crossing of phi -> l lbar: for a scalar coupling y and m_j -> 0 it is
    y^2 (m_i^2 - M^2)^2 / (16 pi m_i^3):

    >>> w = lepton_to_phi_width(1.0, 0.0, 0.5, Couplings(1e-3, 0.0))
    >>> round(w / (1e-6 * 0.75**2 / (16 * math.pi)), 12)
    1.0
    """
    p = float(two_body_momentum(m_i, m_j, m_phi))
    if p <= 0:
        return 0.0
    me2 = vertex.s2 * ((m_i + m_j) ** 2 - m_phi**2) + vertex.p2 * ((m_i - m_j) ** 2 - m_phi**2)
    return p * me2 / (8.0 * math.pi * m_i**2)


# --------------------------------------------------------------------------------------------
# l_i -> l_a l_b lbar_c
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeTerm:
    """One phi-exchange diagram of l_i -> l_a l_b lbar_c: ``topology`` 1 has l_i -> l_a at
    the first vertex and phi -> l_b lbar_c, topology 2 the exchange (l_i -> l_b,
    phi -> l_a lbar_c, a relative minus sign)."""

    topology: int
    first: Couplings
    second: Couplings


def tree_terms(matrix: CouplingMatrix, i: str, a: str, b: str, c: str) -> list[TreeTerm]:
    """The diagrams of l_i^- -> l_a^- l_b^- lbar_c (both states of phi where allowed)."""
    out = []
    for topology, (x, y) in ((1, (a, b)), (2, (b, a))):
        if topology == 2 and a == b:
            continue  # the same diagrams with the identical leptons swapped: added in |M|^2
        for state in (PHIBAR, PHI):
            first = emission_vertex(matrix, i, x, state)
            second = emission_vertex(matrix, c, y, _OTHER[state])
            if first is not None and second is not None:
                out.append(TreeTerm(topology, first, second))
    return out


def _dalitz_points(m: tuple[float, float, float, float], s1: np.ndarray, s2: np.ndarray
                   ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Four-momenta (N, 4) of l_i (at rest), a, b, c at s1 = (p_b + p_c)^2,
    s2 = (p_a + p_c)^2."""
    m_i, m_a, m_b, _ = m
    e_a = (m_i**2 + m_a**2 - s1) / (2 * m_i)
    e_b = (m_i**2 + m_b**2 - s2) / (2 * m_i)
    pa = np.sqrt(np.clip(e_a**2 - m_a**2, 0.0, None))
    pb = np.sqrt(np.clip(e_b**2 - m_b**2, 0.0, None))
    e_c = m_i - e_a - e_b
    pc2 = np.clip(e_c**2 - m[3] ** 2, 0.0, None)
    cos = np.clip((pc2 - pa**2 - pb**2) / np.maximum(2 * pa * pb, 1e-300), -1.0, 1.0)
    sin = np.sqrt(1.0 - cos**2)
    n = len(s1)
    p_i = np.zeros((n, 4))
    p_i[:, 0] = m_i
    p_a = np.stack([e_a, 0 * pa, 0 * pa, pa], axis=1)
    p_b = np.stack([e_b, pb * sin, 0 * pb, pb * cos], axis=1)
    return p_i, p_a, p_b, p_i - p_a - p_b


def _pair_trace(pq: np.ndarray, m1: float, m2: float, v: Couplings, w: Couplings,
                antiparticle: bool) -> np.ndarray:
    """Tr[(p1-slash + m1) G_v (p2-slash +- m2) Gbar_w] = 2 p1.p2 (a_L b_L* + a_R b_R*)
    +- 2 m1 m2 (a_L b_R* + a_R b_L*) for G = a_L P_L + a_R P_R (the minus sign for the
    spinor sum of an outgoing antiparticle, p2-slash - m2); ``pq`` is p1.p2."""
    a_l, a_r = _chiral(v)
    b_l, b_r = _chiral(w)
    sign = -1.0 if antiparticle else 1.0
    returned: AnyArray = 2 * pq * (a_l * np.conj(b_l) + a_r * np.conj(b_r)) + sign * 2 * m1 * m2 * (
                      a_l * np.conj(b_r) + a_r * np.conj(b_l))
    return returned


def _weyl_blocks(p: np.ndarray, m: float) -> dict[tuple[int, int], Any]:
    """The chiral 2x2 blocks of p-slash + m in the Weyl basis of `leptoportal.dirac`:
    (L, L) = (R, R) = m (kept as the number), (L, R) = p.sigma, (R, L) = p.sigmabar, each of
    shape (N, 2, 2)."""
    e, px, py, pz = p.T
    sig = np.empty((len(e), 2, 2), dtype=complex)
    sig[:, 0, 0], sig[:, 1, 1] = e - pz, e + pz
    sig[:, 0, 1], sig[:, 1, 0] = -(px - 1j * py), -(px + 1j * py)
    sigbar = np.empty((len(e), 2, 2), dtype=complex)
    sigbar[:, 0, 0], sigbar[:, 1, 1] = e + pz, e - pz
    sigbar[:, 0, 1], sigbar[:, 1, 0] = px - 1j * py, px + 1j * py
    return {(0, 0): m, (1, 1): m, (0, 1): sig, (1, 0): sigbar}


def _times(x: Any, y: Any) -> Any:
    """Product of two blocks, either a number (a mass times the unit matrix) or (N, 2, 2)."""
    if isinstance(x, float) or isinstance(y, float):
        return x * y
    return x @ y


def _trace(x: Any, y: Any) -> Any:
    """Tr[x y] of two blocks (a number stands for that multiple of the 2x2 unit matrix)."""
    if isinstance(x, float) and isinstance(y, float):
        return 2.0 * x * y
    if isinstance(x, float):
        return x * (y[:, 0, 0] + y[:, 1, 1])
    if isinstance(y, float):
        return y * (x[:, 0, 0] + x[:, 1, 1])
    return np.einsum("nij,nji->n", x, y)


def _chiral_traces(m: tuple[float, float, float, float], s1: np.ndarray,
                   s2: np.ndarray) -> np.ndarray:
    """T[c1, c2, c3, c4] = Tr[S_a P_c1 S_i P_c2 S_b P_c3 S_c P_c4] (c = 0: P_L, 1: P_R) at the
    Dalitz points, S the spin sums (p-slash + m, p-slash - m for lbar_c): the coupling-free
    parts of the interference of the two topologies, shape (2, 2, 2, 2, N). With the
    projectors the trace is that of the chiral blocks S_a[c4, c1] S_i[c1, c2] S_b[c2, c3]
    S_c[c3, c4] (`_weyl_blocks()`)."""
    m_i, m_a, m_b, m_c = (float(x) for x in m)
    p_i, p_a, p_b, p_c = _dalitz_points(m, s1, s2)
    sa, si = _weyl_blocks(p_a, m_a), _weyl_blocks(p_i, m_i)
    sb, sc = _weyl_blocks(p_b, m_b), _weyl_blocks(p_c, -m_c)
    out = np.empty((2, 2, 2, 2, len(s1)), dtype=complex)
    for c4, c1, c2 in np.ndindex(2, 2, 2):
        left = _times(sa[c4, c1], si[c1, c2])
        for c3 in (0, 1):
            out[c1, c2, c3, c4] = _trace(left, _times(sb[c2, c3], sc[c3, c4]))
    return out


def tree_me2(m: tuple[float, float, float, float], terms: list[TreeTerm], s1: np.ndarray,
             s2: np.ndarray, m_phi: float, gamma_phi: float) -> np.ndarray:
    """Spin-summed |M|^2 (not averaged) of the diagrams ``terms`` at Dalitz points (s1, s2);
    for identical l_a = l_b the exchange diagrams are added with their minus sign. Products
    of diagrams of one topology are two traces in closed form (`_pair_trace()`); those of
    the two topologies, -2 Re sum Tr[S_a G1 S_i Gbar3 S_b G2 S_c Gbar4] P1 P2*, are
    combinations of the chiral traces of `_chiral_traces()`."""
    m_i, m_a, m_b, m_c = m
    amps = [(t.topology, t.first, t.second) for t in terms]
    if m_a == m_b and all(t.topology == 1 for t in terms):
        amps += [(2, g1, g2) for _, g1, g2 in amps]
    # invariants: p_i.p_x = (m_i^2 + m_x^2 - s(yc))/2, p_y.p_c = (s(yc) - m_y^2 - m_c^2)/2
    dots = {1: ((m_i**2 + m_a**2 - s1) / 2, (s1 - m_b**2 - m_c**2) / 2, m_a, m_b),
            2: ((m_i**2 + m_b**2 - s2) / 2, (s2 - m_a**2 - m_c**2) / 2, m_b, m_a)}
    prop = {1: 1.0 / (s1 - m_phi**2 + 1j * m_phi * gamma_phi),
            2: 1.0 / (s2 - m_phi**2 + 1j * m_phi * gamma_phi)}
    total = np.zeros(len(s1), dtype=complex)
    for t, v1, v2 in amps:
        for u, w1, w2 in amps:
            if t == u:
                pix, pyc, mx, my = dots[t]
                total += (_pair_trace(pix, mx, m_i, v1, w1, False)
                          * _pair_trace(pyc, my, m_c, v2, w2, True)
                          * prop[t] * np.conj(prop[u]))
    cross = [(v, w) for v in amps if v[0] == 1 for w in amps if w[0] == 2]
    if cross:
        traces = _chiral_traces(m, s1, s2)
        coeff = np.zeros((2, 2, 2, 2), dtype=complex)
        for (_, g1, g2), (_, g3, g4) in cross:
            a1, a2 = np.array(_chiral(g1)), np.array(_chiral(g2))
            # Gbar = lam_L* P_R + lam_R* P_L: the coefficients of (P_L, P_R) reversed
            b3, b4 = np.conj(_chiral(g3))[::-1], np.conj(_chiral(g4))[::-1]
            coeff += np.einsum("a,b,c,d->abcd", a1, b3, a2, b4)
        inter = np.einsum("abcd,abcdn->n", coeff, traces) * prop[1] * np.conj(prop[2])
        total -= 2 * inter.real
    return total.real


def _pole_map(lo: float | FloatArray, hi: float | FloatArray, pole: float, t: np.ndarray
              ) -> tuple[FloatArray, FloatArray]:
    """s(t) and ds/dt for t in [0, 1] on [lo, hi], uniform in ln|s - pole| when the pole lies
    outside (the propagator's peak at the near edge resolved), else linear."""
    lo, hi = np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float))
    above = pole > hi
    below = pole < lo
    d_lo = np.where(above, pole - lo, np.where(below, lo - pole, 1.0))
    d_hi = np.where(above, pole - hi, np.where(below, hi - pole, 1.0))
    mapped = above | below
    d_lo = np.where(mapped, np.maximum(d_lo, 1e-300), 1.0)
    d_hi = np.where(mapped, np.maximum(d_hi, 1e-300), 1.0)
    ln = np.log(d_lo) + t * (np.log(d_hi) - np.log(d_lo))
    dist = np.exp(ln)
    s_map = np.where(above, pole - dist, pole + dist)
    jac_map = dist * np.abs(np.log(d_hi) - np.log(d_lo))
    s_lin = lo + t * (hi - lo)
    return np.where(mapped, s_map, s_lin), np.where(mapped, jac_map, hi - lo)


def dalitz_width(m: tuple[float, float, float, float], terms: list[TreeTerm], m_phi: float,
                 gamma_phi: float, nodes: int = DALITZ_NODES) -> float:
    """Gamma (GeV) of the diagrams ``terms`` over the Dalitz plot,
    dGamma = |M|^2 / 2 ds1 ds2 / (256 pi^3 m_i^3), with the symmetry factor 1/2 of identical
    leptons l_a = l_b (Gauss-Legendre in both invariants, each mapped to the pole and smoothed
    at the edges)."""
    m_i, m_a, m_b, m_c = m
    u, wu = gauss_legendre_panels([0.0, 1.0], nodes)
    # t = u^2 (3 - 2 u): the square-root edges of the Dalitz plot become smooth in u
    t, wt = u * u * (3.0 - 2.0 * u), wu * 6.0 * u * (1.0 - u)
    s1, j1 = _pole_map((m_b + m_c) ** 2, (m_i - m_a) ** 2, m_phi**2, t)
    rs1 = np.sqrt(s1)
    e_c = (s1 - m_b**2 + m_c**2) / (2 * rs1)
    e_a = (m_i**2 - s1 - m_a**2) / (2 * rs1)
    p_c = np.sqrt(np.clip(e_c**2 - m_c**2, 0.0, None))
    p_a = np.sqrt(np.clip(e_a**2 - m_a**2, 0.0, None))
    lo = m_a**2 + m_c**2 + 2 * (e_a * e_c - p_a * p_c)
    hi = m_a**2 + m_c**2 + 2 * (e_a * e_c + p_a * p_c)
    s2, j2 = _pole_map(lo[:, None], hi[:, None], m_phi**2, t[None, :])
    s1g = np.broadcast_to(s1[:, None], s2.shape)
    me2 = tree_me2(m, terms, s1g.ravel(), s2.ravel(), m_phi, gamma_phi).reshape(s2.shape)
    weight = (wt * j1)[:, None] * (wt[None, :] * j2)
    sym = 0.5 if m_a == m_b else 1.0
    return float(sym * np.sum(weight * me2) / 2.0 / (256 * math.pi**3 * m_i**3))


def _on_shell(m: tuple[float, float, float, float], topology: int, m_phi: float) -> bool:
    """True if phi of this topology can be on shell inside the Dalitz plot."""
    m_i, m_a, m_b, m_c = m
    x, y = (m_a, m_b) if topology == 1 else (m_b, m_a)
    return y + m_c < m_phi < m_i - x


@dataclass(frozen=True)
class TreeRate:
    """Gamma of l_i -> l_a l_b lbar_c split into the off-shell part (proportional to h^4, with
    its quadrature error) and the narrow-width part of an on-shell phi (a list of
    (Gamma(l_i -> l_x phi), Gamma(phi -> l_y lbar_c)) pairs at the couplings given, whose
    branching ratio needs the total width of phi)."""

    off_shell: float = 0.0
    off_shell_error: float = 0.0
    on_shell: tuple[tuple[float, float], ...] = field(default_factory=tuple)


def tree_rate(channel: str, m_phi: float, matrix: CouplingMatrix, gamma_phi: float) -> TreeRate:
    """Gamma of a `THREE_BODY` channel: the off-shell diagrams over the Dalitz plot, the
    on-shell ones in the narrow-width approximation (module docstring)."""
    i, a, b, c = THREE_BODY[channel]
    m = (LEPTON_MASS[i], LEPTON_MASS[a], LEPTON_MASS[b], LEPTON_MASS[c])
    terms = tree_terms(matrix, i, a, b, c)
    off = [t for t in terms if not _on_shell(m, t.topology, m_phi)]
    pairs = []
    for t in terms:
        if t in off:
            continue
        x, y = (a, b) if t.topology == 1 else (b, a)
        pairs.append((lepton_to_phi_width(m[0], LEPTON_MASS[x], m_phi, t.first),
                      float(two_body_width(m_phi, m[3], LEPTON_MASS[y], t.second))))
    if not off:
        return TreeRate(on_shell=tuple(pairs))
    fine = dalitz_width(m, off, m_phi, gamma_phi)
    coarse = dalitz_width(m, off, m_phi, gamma_phi, 2 * DALITZ_NODES // 3)
    return TreeRate(fine, abs(fine - coarse), tuple(pairs))


# --------------------------------------------------------------------------------------------
# limits and the result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LFVLimit:
    """An experimental upper limit on a branching ratio (data/lfv_limits.csv)."""

    channel: str
    br_limit: float
    cl: float
    experiment: str
    reference: str
    m_phi_max: float | None = None


@cache
def experimental_limits() -> dict[str, LFVLimit]:
    """The packaged upper limits by channel name (data/lfv_limits.csv and its SOURCE)."""
    text = resources.files("leptoportal").joinpath("data/lfv_limits.csv").read_text()
    rows = csv.DictReader(text.splitlines())
    return {r["channel"]: LFVLimit(r["channel"], float(r["br_limit"]), float(r["cl"]),
                                   r["experiment"], r["reference"],
                                   float(r["m_phi_max"]) if r["m_phi_max"] else None)
            for r in rows}


@dataclass(frozen=True)
class ChannelRate:
    """One channel of the coupling matrix at h = 1, its branching ratio a function of the
    overall scale h: br_h4 h^4 (loop and off-shell tree rates, with the quadrature error
    br_h4_error), br_h2 h^2 Gamma_dark / Gamma_phi(h) (l_i -> l_j phi with phi invisible,
    what the searches for l_i -> l_j + invisible bound) and the narrow-width part
    sum Gamma(l_i -> l_x phi) Gamma(phi -> l_y lbar_c) h^4 / (Gamma_phi(h) Gamma_i)."""

    channel: str
    process: str
    lepton_width: float
    br_h4: float = 0.0
    br_h4_error: float = 0.0
    on_shell: tuple[tuple[float, float], ...] = ()
    br_h2: float = 0.0
    gamma_dark: float = 0.0
    note: str = ""

    def br(self, h: float, gamma_phi: float) -> float:
        """The branching ratio at scale h, where phi's total width is ``gamma_phi``."""
        total = self.br_h4 * h**4
        if self.br_h2:  # a phi that does not decay at all escapes as well
            invisible = self.gamma_dark / gamma_phi if gamma_phi > 0 else 1.0
            total += self.br_h2 * h**2 * invisible
        if self.on_shell:
            total += sum(g1 * g2 for g1, g2 in self.on_shell) * h**4 / (
                gamma_phi * self.lepton_width)
        return total


def channel_rates(m_phi: float, matrix: CouplingMatrix, gamma_phi: float,
                  gamma_dark: float = 0.0) -> list[ChannelRate]:
    """Every channel with a diagram at the couplings ``matrix`` (h = 1); ``gamma_phi`` is the
    width of phi in the off-shell propagators, ``gamma_dark`` its invisible width (see
    `lfv()`)."""
    out = []
    for i, j in RADIATIVE:
        if not loop_diagrams(matrix, i, j):
            continue
        d = dipole(i, j, m_phi, matrix)
        name = f"{i} -> {j} gamma"
        if d.open_channel is not None:
            out.append(ChannelRate(name, "one loop", LEPTON_WIDTH[i],
                                   note=f"not computed: {d.open_channel} is open (the loop "
                                   "has an absorptive part)"))
            continue
        width = radiative_width(i, j, d)
        rel = 2 * d.error / max(abs(d.a_l) + abs(d.a_r), 1e-300)
        out.append(ChannelRate(name, "one loop", LEPTON_WIDTH[i], width / LEPTON_WIDTH[i],
                               width * rel / LEPTON_WIDTH[i]))
    for name, (i, a, b, c) in THREE_BODY.items():
        if not tree_terms(matrix, i, a, b, c):
            continue
        rate = tree_rate(name, m_phi, matrix, gamma_phi)
        process = "tree, phi exchange" + (", narrow width" if rate.on_shell else "")
        out.append(ChannelRate(name, process, LEPTON_WIDTH[i], rate.off_shell / LEPTON_WIDTH[i],
                               rate.off_shell_error / LEPTON_WIDTH[i], rate.on_shell))
    for i, j in RADIATIVE:
        for state in (PHIBAR, PHI):
            v = emission_vertex(matrix, i, j, state)
            if v is None:
                continue
            w = lepton_to_phi_width(LEPTON_MASS[i], LEPTON_MASS[j], m_phi, v)
            if w > 0:
                out.append(ChannelRate(f"{i} -> {j} phi", "two body, phi invisible",
                                       LEPTON_WIDTH[i], br_h2=w / LEPTON_WIDTH[i],
                                       gamma_dark=gamma_dark))
    return out


@dataclass(frozen=True)
class LFVResult(Result):
    """Charged-lepton-flavour-violating branching ratios of the portal at one mass, each with
    the experimental limit beside it, and the upper limit on the overall scale h of the
    coupling matrix from the strongest bound."""

    title = "charged lepton flavour violation"

    m_phi: float = quantity("GeV", "scalar mass")
    h: float = quantity("", "scale multiplying the coupling matrix")
    couplings: dict[str, Any] = quantity("", "the coupling matrix at h = 1")
    alpha_dark: float = quantity("", "alpha_D of the dark sector (0: none), which sets the "
                                 "width of phi")
    gamma_phi: float = quantity("GeV", "total width of phi at h")
    channels: list[Any] = quantity("", "per channel: br (with br_err, its quadrature error), "
                              "br_limit (at cl, null: none packaged), ratio br / br_limit, "
                              "process, experiment and reference")
    max_ratio: float | None = quantity("", "largest br / br_limit (null: no channel with a "
                                       "limit is non-zero)", optional=True)
    strongest_channel: str | None = quantity("", "the channel of max_ratio", optional=True)
    h_limit: float | None = quantity("", "largest h allowed by every limit (the couplings "
                                     "are h times the matrix)", optional=True, nullable=True)
    h_limit_channel: str | None = quantity("", "the channel that sets h_limit", optional=True)
    widths_source: str = quantity("", "total widths of mu and tau", default="PDG (particle)")

    def for_people(self) -> list[tuple[str, Any]]:
        """What a person reads (the JSON keeps everything): a line with the mass, h_limit
        and the largest ratio, a table of the channels with a diagram (every number in
        full, in 80 columns), the channels without one in a line, and the notes."""
        via = {"one loop": "loop", "tree, phi exchange": "tree",
               "tree, phi exchange, narrow width": "tree+pole",
               "two body, phi invisible": "phi inv."}
        head = [f"m_phi = {self.m_phi:g} GeV, h = {self.h:g}:"]
        if self.h_limit is not None:
            head.append(f"h_limit = {self.h_limit:.6g}, the largest h every limit allows "
                        f"(set by {self.h_limit_channel});")
        else:
            head.append("no channel with a limit bounds h;")
        if self.strongest_channel is not None and self.max_ratio is not None:
            head.append(f"max_ratio = {self.max_ratio:.4g}, the largest BR/limit at this h "
                        f"({self.strongest_channel})")
        rows, notes = [], []
        for c in self.channels:
            if c["process"] == "no diagram":
                continue
            rows.append([c["channel"], via.get(c["process"], c["process"]),
                         "-" if c["br"] is None else f"{c['br']:.6g}",
                         "-" if c["br_err"] is None else f"{c['br_err']:.2g}",
                         "-" if c["br_limit"] is None else f"{c['br_limit']:.3g}",
                         "-" if c["ratio"] is None else f"{c['ratio']:.4g}"])
            if c.get("note"):
                notes.append(f"{c['channel']}: {c['note']}")
        zero = [c["channel"] for c in self.channels if c["process"] == "no diagram"]
        blocks: list[tuple[str, Any]] = [("line", " ".join(head))]
        if rows:
            blocks.append(("table", (["channel", "via", "BR", "+-", "limit", "BR/limit"],
                                     rows)))
        if zero:
            blocks.append(("line", "no diagram (BR exactly 0): " + ", ".join(zero)))
        blocks += [("line", n) for n in notes]
        if any(r[4] == "-" for r in rows):
            blocks.append(("line", "limit '-': no limit packaged for that channel"))
        return blocks


def h_limit_of(rate: ChannelRate, limit: float, phi_width: Callable[[float], float],
               h_max: float) -> float:
    """h with BR(h) = limit (BR increases with h): closed form for a pure h^4 rate, else a
    root in ln h; inf if no perturbative h (up to ``h_max``) reaches the limit."""
    if not rate.on_shell and not rate.br_h2:
        h = (limit / rate.br_h4) ** 0.25
        return h if h <= h_max else math.inf
    from scipy.optimize import brentq

    def f(log_h: float) -> float:
        h = math.exp(log_h)
        return math.log(rate.br(h, phi_width(h)) / limit)

    lo, hi = math.log(1e-15 * h_max), math.log(h_max)
    if f(hi) < 0:
        return math.inf
    return math.exp(brentq(f, lo, hi, xtol=1e-12))


def lfv(m_phi: float, matrix: CouplingMatrix | Couplings, h: float = 1.0,
        dark: DarkSector | None = None) -> LFVResult:
    """Branching ratios of mu -> e gamma, tau -> l gamma, l -> 3 l' and l -> l' phi for the
    couplings h * ``matrix`` at ``m_phi`` (GeV), with the packaged limits, and the
    upper limit on h.

    Parameters
    ----------
    m_phi
        Scalar mass (GeV).
    matrix
        The coupling matrix at h = 1 (plain `Couplings`: the e-mu operator).
    h
        The scale that multiplies it.
    dark
        The dark sector (it sets the width of phi and so the narrow-width rates).

    Returns
    -------
    LFVResult
        One row per channel with a diagram, then the channels with a packaged limit and no
        diagram (exactly zero, process "no diagram").

    >>> m = CouplingMatrix.from_mapping({"e-mu": {"cs": 1.0}, "mu-mu": {"cs": 1.0}})
    >>> r = lfv(0.5, m, h=1e-4)
    >>> r.h_limit_channel, f"{r.h_limit:.3e}"
    ('mu -> e gamma', '4.264e-06')
    """
    matrix = as_matrix(matrix)
    m_phi = validate_m_phi(m_phi, matrix)

    at_one = widths(Portal(m_phi, matrix), dark)
    gamma_visible, gamma_dark = at_one.gamma_visible, at_one.gamma_dark
    biggest = max((max(abs(c.c_s), abs(c.c_p)) for _, c in matrix.nonzero()), default=0.0)
    h_max = COUPLING_MAX / biggest if biggest > 0 else math.inf  # no coupling: no channel

    def phi_width(scale: float) -> float:
        """Total width of phi at the couplings scale * matrix (the visible part ~ scale^2)."""
        return scale**2 * gamma_visible + gamma_dark

    gamma_phi = phi_width(h)
    limits = experimental_limits()
    rows = []
    best: tuple[float, str] | None = None
    h_lim: tuple[float, str] | None = None
    for rate in channel_rates(m_phi, matrix, gamma_phi, gamma_dark):
        lim = limits.get(rate.channel)
        if lim is not None and lim.m_phi_max is not None and m_phi > lim.m_phi_max:
            lim = None
        row: dict[str, Any] = {"channel": rate.channel, "process": rate.process, "br": None,
                     "br_err": None, "br_limit": lim.br_limit if lim else None,
                     "ratio": None}
        if lim:
            row.update(cl=lim.cl, experiment=lim.experiment, reference=lim.reference)
        if rate.note:
            rows.append({**row, "note": rate.note})
            continue
        br = rate.br(h, gamma_phi)
        row.update(br=br, br_err=rate.br_h4_error * h**4)
        if br > BR_NOTE:
            row["note"] = (f"br = Gamma / Gamma_PDG({rate.channel.split()[0]}) > {BR_NOTE:g}: "
                           "the new decay would change the lepton's measured lifetime")
        if lim and br > 0:
            row["ratio"] = br / lim.br_limit
            if best is None or row["ratio"] > best[0]:
                best = (row["ratio"], rate.channel)
        if lim and rate.br(1.0, phi_width(1.0)) > 0:  # the bound on h holds at any h, 0 too
            hl = h_limit_of(rate, lim.br_limit, phi_width, h_max)
            if h_lim is None or hl < h_lim[0]:
                h_lim = (hl, rate.channel)
        rows.append(row)
    listed = {r["channel"] for r in rows}
    for name, lim in limits.items():
        if lim.m_phi_max is not None and m_phi > lim.m_phi_max:
            continue
        if name not in listed:  # no diagram: exactly zero
            rows.append({"channel": name, "process": "no diagram", "br": 0.0, "br_err": 0.0,
                         "br_limit": lim.br_limit, "ratio": 0.0, "cl": lim.cl,
                         "experiment": lim.experiment, "reference": lim.reference})
    return LFVResult(
        m_phi=m_phi, h=h, couplings=matrix.as_dict(),
        alpha_dark=0.0 if dark is None else dark.alpha_dark, gamma_phi=gamma_phi,
        channels=rows, max_ratio=None if best is None else best[0],
        strongest_channel=None if best is None else best[1],
        h_limit=None if h_lim is None else h_lim[0],
        h_limit_channel=None if h_lim is None else h_lim[1],
    )


def channel_names() -> tuple[str, ...]:
    """Every channel the package computes."""
    return (tuple(f"{i} -> {j} gamma" for i, j in RADIATIVE) + tuple(THREE_BODY)
            + ("mu -> e phi", "tau -> e phi", "tau -> mu phi"))


__all__ = [
    "BR_NOTE", "DALITZ_NODES", "DIPOLE_NODES", "REACTIONS", "PHI", "PHIBAR", "RADIATIVE",
    "THREE_BODY", "ChannelRate", "Dipole", "LFVLimit", "LFVResult", "TreeRate", "TreeTerm",
    "channel_names", "channel_rates", "dalitz_width", "dipole", "emission_vertex",
    "experimental_limits", "form_factors", "h_limit_of", "lfv", "lepton_to_phi_width",
    "loop_diagrams", "loop_valid", "radiative_br", "radiative_width", "tree_me2", "tree_rate",
    "tree_terms",
]


def __dir__() -> list[str]:
    return __all__
