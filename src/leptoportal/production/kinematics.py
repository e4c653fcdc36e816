"""Process definition and the two phase-space maps of l N -> l' N phi (SPEC 5).

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
from dataclasses import dataclass, field

import numpy as np

from leptoportal import dirac
from leptoportal.constants import M_E, M_MU
from leptoportal.errors import InputError, require_choice, require_range
from leptoportal.model import Couplings, validate_m_phi
from leptoportal.production.formfactors import FORM_FACTORS, form_factor, nuclear_d
from leptoportal.production.targets import Target, get_target

#: beam name -> (incoming lepton mass, outgoing lepton mass)
BEAMS = {"e-": (M_E, M_MU), "mu-": (M_MU, M_E)}


@dataclass(frozen=True)
class Process:
    """l N -> l' N phi at fixed beam energy (GeV) on a target, with phi couplings."""

    beam: str
    energy: float
    target: Target
    m_phi: float
    couplings: Couplings = field(default_factory=lambda: Couplings.chiral(1.0))
    form_factor: str = "elastic"

    def __post_init__(self) -> None:
        require_choice("beam", self.beam, tuple(BEAMS))
        object.__setattr__(self, "target", get_target(self.target))
        object.__setattr__(self, "m_phi", validate_m_phi(self.m_phi))
        require_choice("form_factor", self.form_factor, FORM_FACTORS)
        e = require_range("energy", self.energy, 0.0, 1e5, lo_open=True, unit="GeV")
        object.__setattr__(self, "energy", e)
        thr = self.threshold_energy
        if e <= thr * (1.0 + 1e-9):
            raise InputError(
                f"energy = {self.energy!r} GeV is below the threshold {thr:.6g} GeV of "
                f"{self.beam} {self.target.name} -> {self.out_lepton} phi at m_phi = {self.m_phi}"
            )

    # masses and invariants ------------------------------------------------------------------
    @property
    def m_in(self) -> float:
        return BEAMS[self.beam][0]

    @property
    def m_out(self) -> float:
        return BEAMS[self.beam][1]

    @property
    def out_lepton(self) -> str:
        return "mu-" if self.beam == "e-" else "e-"

    @property
    def nucleus_mass(self) -> float:
        return self.target.nucleus_mass

    @property
    def threshold_energy(self) -> float:
        """Lab beam energy at which sqrt(s) = M + m_phi + m_out."""
        big_m, m = self.nucleus_mass, self.m_in
        w = big_m + self.m_phi + self.m_out
        return (w * w - big_m * big_m - m * m) / (2.0 * big_m)

    @property
    def p_lab(self) -> float:
        return math.sqrt((self.energy - self.m_in) * (self.energy + self.m_in))

    @property
    def s(self) -> float:
        return self.m_in**2 + self.nucleus_mass**2 + 2.0 * self.nucleus_mass * self.energy

    @property
    def p_cm(self) -> float:
        return self.nucleus_mass * self.p_lab / math.sqrt(self.s)

    @property
    def vertex(self) -> Couplings:
        """Couplings at the l -> l' phi vertex: G for e -> mu, Gbar for mu -> e."""
        return self.couplings if self.beam == "e-" else self.couplings.conjugate_vertex()

    def g2(self, t: np.ndarray) -> np.ndarray:
        return form_factor(self.form_factor, self.target)(t)

    def with_(self, **changes) -> Process:
        d = {k: getattr(self, k) for k in ("beam", "energy", "target", "m_phi", "couplings",
                                           "form_factor")}
        d.update(changes)
        return Process(**d)


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


def _lam_sqrt(a, b, c):
    return np.sqrt(np.clip(a * a + b * b + c * c - 2.0 * (a * b + a * c + b * c), 0.0, None))


def _beam_momentum(proc: Process, n: int) -> np.ndarray:
    p = np.zeros((n, 4))
    p[:, 0] = proc.energy
    p[:, 3] = proc.p_lab
    return p


@dataclass(frozen=True)
class EnergyBatch:
    """A Process with one beam energy per phase-space point (thick-target event generation).

    Provides the attributes :func:`map_sx` and the |M|^2 code use, with array-valued
    energy-dependent invariants.
    """

    base: Process
    energy: np.ndarray

    def __getattr__(self, name):
        return getattr(self.base, name)

    @property
    def p_lab(self):
        return np.sqrt((self.energy - self.m_in) * (self.energy + self.m_in))

    @property
    def s(self):
        m = self.base.nucleus_mass
        return self.m_in**2 + m * m + 2.0 * m * self.energy

    @property
    def p_cm(self):
        return self.base.nucleus_mass * self.p_lab / np.sqrt(self.s)


def sx_limits(proc: Process) -> tuple[float, float]:
    """Range of s_X = (p + q)^2."""
    big_m = proc.nucleus_mass
    rs_minus_m = (proc.m_in**2 + 2.0 * big_m * proc.energy) / (np.sqrt(proc.s) + big_m)
    return (proc.m_phi + proc.m_out) ** 2, rs_minus_m**2


def t_limits(proc: Process, s_x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact (t_min, t_max) at fixed s_X; t_min from t_min t_max = M^2 (s_X - m^2)^2 / s."""
    s, big_m, m2 = proc.s, proc.nucleus_mass, proc.m_in**2
    rs = np.sqrt(s)
    e_i = (s + big_m**2 - m2) / (2.0 * rs)
    e_f = (s + big_m**2 - s_x) / (2.0 * rs)
    p_i = proc.p_cm
    p_f = _lam_sqrt(s, s_x, big_m**2) / (2.0 * rs)
    t_max = 2.0 * (e_i * e_f - big_m**2 + p_i * p_f)
    t_min = big_m**2 * (s_x - m2) ** 2 / (s * t_max)
    return t_min, t_max


def map_sx(proc: Process, y: np.ndarray) -> PhaseSpacePoints:
    """Route 1: unit hypercube (N, 4) -> lab momenta and measure (see module docstring)."""
    n = len(y)
    m_in, m_out, m_phi, big_m = proc.m_in, proc.m_out, proc.m_phi, proc.nucleus_mass
    e0, p0 = proc.energy, proc.p_lab
    s_lo, s_hi = sx_limits(proc)
    ls = np.log(s_hi / s_lo)
    s_x = s_lo * np.exp(ls * y[:, 0])
    t_min, t_max = t_limits(proc, s_x)
    lt = np.log(t_max / t_min)
    v = lt * y[:, 1]
    t = t_min * np.exp(v)
    t_minus_tmin = t_min * np.expm1(v)
    # recoil: P'_z from s_X, P'_perp from the CM polar angle
    rs = np.sqrt(proc.s)
    p_f = _lam_sqrt(proc.s, s_x, big_m**2) / (2.0 * rs)
    sin_cm = 2.0 * np.sqrt(np.clip(t_minus_tmin * (t_max - t), 0.0, None)) / (t_max - t_min)
    pperp = p_f * sin_cm
    pz = (s_x - m_in**2 + t * (e0 + big_m) / big_m) / (2.0 * p0)
    q = np.zeros((n, 4))
    q[:, 0] = -t / (2.0 * big_m)
    q[:, 1] = -pperp
    q[:, 3] = -pz
    p = _beam_momentum(proc, n)
    p_x = p + q
    # X rest frame: beam lepton direction, phi momentum
    rsx = np.sqrt(s_x)
    e_p = (s_x + m_in**2 + t) / (2.0 * rsx)
    mom_p = _lam_sqrt(s_x, m_in**2, -t) / (2.0 * rsx)
    e_k = (s_x + m_phi**2 - m_out**2) / (2.0 * rsx)
    mom_k = _lam_sqrt(s_x, m_phi**2, m_out**2) / (2.0 * rsx)
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
    pref = 1.0 / (2048.0 * math.pi**4 * proc.p_cm**2 * proc.s)
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
    x = lim["x_lo"] + (lim["x_hi"] - lim["x_lo"]) * y[:, 0]
    lth = math.log(lim["th_hi"] / lim["th_lo"])
    th = lim["th_lo"] * np.exp(lth * y[:, 1])
    lqt = math.log(lim["qt_hi"] / lim["qt_lo"])
    qt = lim["qt_lo"] * np.exp(lqt * y[:, 2])
    psi = 2.0 * math.pi * y[:, 3]
    e_k = x * e0
    mom_k = np.sqrt(np.clip(e_k * e_k - m_phi**2, 0.0, None))
    k = np.column_stack([e_k, mom_k * np.sin(th), np.zeros(n), mom_k * np.cos(th)])
    p = _beam_momentum(proc, n)
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
    jac_common = (e0 * (lim["x_hi"] - lim["x_lo"])) * (lth * th * np.sin(th)) * (lqt * qt * qt) \
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
