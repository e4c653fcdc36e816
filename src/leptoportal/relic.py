"""Relic density of the dark sector: exact sigma(s), Gondolo-Gelmini averages with
co-annihilation, and the Boltzmann equation with the relativistic Y_eq
(Gondolo & Gelmini 1991; Edsjo & Gondolo 1997).

Benchmark annihilation chi2 chi1bar -> phi* -> mu- e+ (and the conjugate chi2bar chi1 -> phi ->
mu+ e-), couplings (a_S, a_P) = g_D (c_S, c_P) and (C_S, C_P):

    sum|M|^2 = [2|a_S|^2 (s - (m1+m2)^2) + 2|a_P|^2 (s - (m1-m2)^2)]
             x [2|C_S|^2 (s - (m_mu+m_e)^2) + 2|C_P|^2 (s - (m_mu-m_e)^2)] / |D(s)|^2,
    sigma = (sum/4) p_f / (16 pi s p_i),   D(s) = s - M^2 + i sqrt(s) Gamma(sqrt(s)),

with the energy-dependent width Gamma(sqrt(s)): all two-body widths of phi evaluated at mass
sqrt(s) (the usual running-width Breit-Wigner).

Thermal average (Gondolo & Gelmini, Nucl. Phys. B 360 (1991) 145) generalised to several
species i (g_i, m_i) (Edsjo & Gondolo, PRD 56 (1997) 1879; Griest & Seckel, PRD 43 (1991) 3191),
Maxwell-Boltzmann statistics:

    n_eq = sum_i g_i m_i^2 T K2(m_i/T) / (2 pi^2),
    <sigma v>_eff = sum_ij g_i g_j T/(8 pi^4)
                    x Int ds sigma_ij(s) p_ij^2 sqrt(s) K1(sqrt(s)/T) / n_eq^2.

The s integral runs over a fixed composite Gauss-Legendre rule in sqrt(s) - (m_i + m_j) with
panels at every threshold and around the phi resonance (width from Gamma(M)), shared by all x.

Boltzmann equation for the summed abundance Y = n/s in x = m_1/T (m_1 the lightest species):

    dY/dx = -(s <sigma v>_eff / (H x)) (1 + (1/3) d ln g_s / d ln T) (Y^2 - Y_eq^2)

(entropy conservation gives dT/dt = -H T / (1 + (1/3) d ln g_s/d ln T); Gondolo & Gelmini's
g_*^(1/2) factor), solved with a stiff implicit solver from x_start (default 1) to x_end,
then continued analytically (Y_eq = 0, lambda ~ power law) to x = infinity. x_end is 1000
or, for a heavier particle, where T = `T_END` (10 MeV, below the QCD crossover, where g_*
has settled): a power law continued from inside the crossover (x = 1000 at m = 100 GeV is
T = 100 MeV) missed its change of g_* and left Omega h^2 0.2% high.
Omega h^2 = 2.755e8 (m_1/GeV) Y_0 (Kolb & Turner, The Early Universe);
freeze-out x_f is where Y = 2 Y_eq.
"""

from __future__ import annotations

import functools
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy import special
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicSpline
from scipy.optimize import brentq

from leptoportal import defaults, thermo
from leptoportal._typing import AnyArray, FloatArray, FloatOrArray
from leptoportal.constants import C_CM_S, GEV2_TO_CM2, LEPTON_MASS
from leptoportal.decays import gamma_dark, gamma_visible, spin_summed_me2
from leptoportal.errors import InputError, NoSolutionError, require_choice, require_range
from leptoportal.model import (
    DEFAULT_COUPLING,
    DEFAULT_MASS_RATIO,
    CouplingMatrix,
    Couplings,
    DarkSector,
    Portal,
    as_matrix,
    unit_pattern,
)
from leptoportal.numerics import gauss_legendre_panels, two_body_momentum
from leptoportal.results import Result, quantity

#: Omega h^2 = OMEGA_FACTOR (m / GeV) Y_0 (s_0 / rho_crit h^-2)
OMEGA_FACTOR = 2.755e8
#: Planck 2018 cold dark matter density (Planck Collaboration, A&A 641 (2020) A6)
OMEGA_H2_PLANCK = 0.120
#: 1 GeV^-2 (natural units of sigma v) in cm^3/s
GEV2_TO_CM3S = GEV2_TO_CM2 * C_CM_S
DM_KINDS = {  # internal dof per species and number of species (particle, antiparticle)
    "majorana": (2, 1),
    "dirac": (2, 2),
    "real-scalar": (1, 1),
    "complex-scalar": (1, 2),
}


@dataclass(frozen=True)
class Species:
    """One species in the co-annihilating set."""

    name: str
    g: int
    mass: float


@dataclass
class AnnihilationModel:
    """Species and the <sigma v>_eff(x) of a set of co-annihilating particles.

    ``sigma_v_eff(x)`` returns <sigma v>_eff in GeV^-2 at x = m_1/T.
    """

    species: list[Species]
    sigma_v_eff: Callable[[FloatArray], FloatArray]
    description: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def m_ref(self) -> float:
        return min(s.mass for s in self.species)


def _log_neq_scaled(species: list[Species], temp: np.ndarray, m_ref: float) -> np.ndarray:
    """ln(n_eq e^{m_ref/T}) with exponentially scaled Bessel functions (no underflow)."""
    temp = np.asarray(temp, dtype=float)
    acc = np.zeros_like(temp)
    for sp in species:
        z = sp.mass / temp
        acc = acc + sp.g * sp.mass**2 * temp * special.kve(2, z) * np.exp(-(sp.mass - m_ref)
                                                                          / temp)
    return np.log(acc / (2.0 * math.pi**2))


# ------------------------------------------------------------------------------------------
# benchmark cross-section
# ------------------------------------------------------------------------------------------


def width_at(sqrt_s: np.ndarray, portal: Portal, dark: DarkSector) -> np.ndarray:
    """Total width of phi evaluated at mass sqrt(s) (running width), all lepton channels."""
    returned: AnyArray = gamma_visible(sqrt_s, portal.couplings) + gamma_dark(sqrt_s, dark)
    return returned


def sigma_chi2_chi1bar(s: np.ndarray, portal: Portal, dark: DarkSector,
                       m1: float | None = None, m2: float | None = None) -> np.ndarray:
    """sigma(chi2 chi1bar -> phi* -> leptons) in GeV^-2, spin averaged, summed over the
    lepton channels of the portal's operators (mu- e+ for the e-mu portal)."""
    s = np.asarray(s, dtype=float)
    m1 = dark.m_chi if m1 is None else m1
    m2 = dark.m_chi if m2 is None else m2
    rs = np.sqrt(s)
    dark_part = spin_summed_me2(rs, m1, m2, dark.couplings)
    # sum over channels of (lepton spin sum) x (final momentum); closed channels give 0
    lepton_flux: FloatOrArray = 0.0
    for (i, j), c in as_matrix(portal.couplings).nonzero():
        mi, mj = LEPTON_MASS[i], LEPTON_MASS[j]
        lepton_flux = lepton_flux + spin_summed_me2(rs, mi, mj, c) * two_body_momentum(rs, mi,
                                                                                       mj)
    gam = width_at(rs, portal, dark)
    prop2 = (s - portal.m_phi**2) ** 2 + s * gam**2
    p_i = two_body_momentum(rs, m1, m2)
    with np.errstate(divide="ignore", invalid="ignore"):
        sig = 0.25 * dark_part * lepton_flux / prop2 / (16.0 * math.pi * s * p_i)
    return np.where((rs > m1 + m2) & (p_i > 0), sig, 0.0)


def thermal_average(species: list[Species],
                    pairs: list[tuple[int, int, Callable[[FloatArray], FloatArray]]],
                    x: FloatOrArray, resonances: Sequence[tuple[float, float]] = (),
                    n_panel: int = 12) -> np.ndarray:
    """<sigma v>_eff(x) (GeV^-2) by the Gondolo-Gelmini/Edsjo-Gondolo single integral.

    ``pairs``: (i, j, sigma_ij(s)) over *ordered* species pairs; ``resonances``: (mass, width)
    of s-channel poles, around which extra panels are placed.
    """
    x = np.atleast_1d(np.asarray(x, dtype=float))
    m_ref = min(sp.mass for sp in species)
    temps = m_ref / x
    log_neq = _log_neq_scaled(species, temps, m_ref)  # ln(n_eq e^{m_ref/T})
    total = np.zeros_like(x)
    # identical terms (same masses, dof product and cross-section) are evaluated once
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for i, j, sigma in pairs:
        key = (species[i].mass, species[j].mass, species[i].g * species[j].g, id(sigma))
        groups.setdefault(key, [i, j, sigma, 0])[3] += 1
    for i, j, sigma, count in groups.values():
        mi, mj = species[i].mass, species[j].mass
        thr = mi + mj
        w_max = 80.0 * temps.max()
        lo = 1e-9 * m_ref
        edges = [0.0, lo]
        edges += list(np.geomspace(lo, w_max, 90)[1:])
        for mass, width in resonances:
            wr = mass - thr
            if 0 < wr < w_max:
                width = max(width, 1e-12 * mass)
                for k in (0.0, 0.25, 0.5, 1, 2, 4, 8, 16, 40, 100, 300):
                    for sgn in (-1, 1):
                        e = wr + sgn * k * width
                        if 0 < e < w_max:
                            edges.append(e)
        edges = np.unique(np.asarray(edges))  # type: ignore[assignment]  # now an array
        w_nodes, w_weights = gauss_legendre_panels(edges, n_panel)
        rs = thr + w_nodes
        s = rs * rs
        p2 = two_body_momentum(rs, mi, mj) ** 2
        sig = sigma(s)
        # ds = 2 sqrt(s) dw; K1(sqrt(s)/T) = k1e * exp(-sqrt(s)/T)
        base = sig * p2 * rs * 2.0 * rs * w_weights
        z = rs[None, :] / temps[:, None]
        expo = -(rs[None, :] - 2.0 * m_ref) / temps[:, None] - 2.0 * log_neq[:, None]
        integrand = base[None, :] * special.k1e(z) * np.exp(expo)
        g_fac = count * species[i].g * species[j].g * temps / (8.0 * math.pi**4)
        total = total + g_fac * integrand.sum(axis=1)
    returned: AnyArray = total
    return returned


def benchmark_model(portal: Portal, dark: DarkSector, splitting: float = 0.0,
                    n_panel: int = 12) -> AnnihilationModel:
    """chi1, chi2 (Dirac, 2 dof each) and antiparticles; chi2 heavier by ``splitting`` (GeV).

    Only chi2 chi1bar and chi2bar chi1 annihilate through phi at tree level; with four
    degenerate species <sigma v>_eff = sigma v / 4.
    """
    splitting = require_range("splitting", splitting, 0.0, dark.m_chi)
    m1, m2 = dark.m_chi, dark.m_chi + splitting
    sp = [Species("chi1", 2, m1), Species("chi1bar", 2, m1), Species("chi2", 2, m2),
          Species("chi2bar", 2, m2)]

    def sig(s: FloatArray) -> FloatArray:
        return sigma_chi2_chi1bar(s, portal, dark, m1, m2)

    pairs: list[tuple[int, int, Callable[[FloatArray], FloatArray]]] = [
        (2, 1, sig), (1, 2, sig), (3, 0, sig), (0, 3, sig)]
    gam = float(width_at(np.array([portal.m_phi]), portal, dark)[0])

    def sigma_v_eff(x: FloatArray) -> FloatArray:
        return thermal_average(sp, pairs, x, resonances=[(portal.m_phi, gam)],
                               n_panel=n_panel)

    return AnnihilationModel(
        sp, sigma_v_eff, "chi2 chi1bar -> phi* -> leptons (benchmark)",
        {"m_phi": portal.m_phi, **_coupling_inputs(portal),
         "m_chi": dark.m_chi, "g_dark": dark.g_dark, "dark_c_s": dark.c_s,
         "dark_c_p": dark.c_p, "splitting": splitting},
    )


def _coupling_inputs(portal: Portal) -> dict[str, Any]:
    c = portal.couplings
    if isinstance(c, Couplings):
        return {"c_s": c.c_s, "c_p": c.c_p}
    return {"couplings": c.as_dict()}


def generic_model(mass: float, sigma_v_cm3_s: float, dm: str = "majorana",
                  p_wave: bool = False) -> AnnihilationModel:
    """Generic particle: <sigma v> = a (s-wave) or sigma v = b v_rel^2 (p-wave, <.> = 6b/x).

    ``sigma_v_cm3_s`` is a or b in cm^3/s for the annihilation of a particle with its
    antiparticle (or with itself when self-conjugate).
    """
    mass = require_range("mass", mass, 1e-3, 1e5, unit="GeV")
    sv = require_range("sigma_v", sigma_v_cm3_s, 0.0, 1e-15, lo_open=True, unit="cm^3/s")
    require_choice("dm", dm, tuple(DM_KINDS))
    g, n_species = DM_KINDS[dm]
    names = ["dm", "dmbar"][:n_species]
    sp = [Species(nm, g, mass) for nm in names]
    a = sv / GEV2_TO_CM3S
    # <sigma v>_eff = sum_ij sigma_ij v r_i r_j: particle-antiparticle pairs only
    frac = 1.0 if n_species == 1 else 2.0 / n_species**2

    def sigma_v_eff(x: FloatArray) -> FloatArray:
        x = np.asarray(x, dtype=float)
        base = 6.0 * a / x if p_wave else a * np.ones_like(x)
        return frac * base

    return AnnihilationModel(sp, sigma_v_eff, f"generic {dm}",
                             {"mass": mass, "sigma_v_cm3_s": sv, "dm": dm, "p_wave": p_wave})


# ------------------------------------------------------------------------------------------
# Boltzmann equation
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelicResult(Result):
    """Omega h^2 of a dark sector (or generic particle) with the freeze-out and the solver's
    details and the inputs that produced it."""

    title = "relic density"

    omega_h2: float = quantity("", "relic density Omega h^2")
    x_f: float = quantity("", "freeze-out x = m/T (where Y = 2 Y_eq)")
    sigma_v_xf_cm3_s: float = quantity("cm^3/s", "<sigma v>_eff at freeze-out")
    y_today: float = quantity("", "abundance Y = n/s today")
    table: str = quantity("", "g*(T) table")
    x_start: float = quantity("", "x where the solution starts (equilibrium)")
    x_end: float = quantity("", "x where the numerical solution ends")
    method: str = quantity("", "ODE solver")
    solver_rel_err: float = quantity("", "relative error of the solver")
    tail_correction: float = quantity("", "relative change of Y after x_end (analytic tail)")
    n_rhs: int = quantity("", "evaluations of the right-hand side")
    time_s: float = quantity("s", "computing time")
    m_ref: float = quantity("GeV", "mass of the lightest species (x = m_ref / T)")
    m_phi: float | None = quantity("GeV", "scalar mass", optional=True)
    m_chi: float | None = quantity("GeV", "dark fermion mass", optional=True)
    g_dark: float | None = quantity("", "dark coupling g_D", optional=True)
    alpha_dark: float | None = quantity("", "alpha_D = g_D^2 / (4 pi)", optional=True)
    h: float | None = quantity("", "portal coupling normalisation", optional=True)
    coupling: str | dict[str, Any] | list[complex] | None = quantity(
        "", "coupling pattern or model", optional=True)
    splitting: float | None = quantity("GeV", "m_chi2 - m_chi1", optional=True)
    omega_h2_by_table: dict[str, Any] | None = quantity("", "Omega h^2 for every g* table",
                                              optional=True)
    mass: float | None = quantity("GeV", "generic mode: particle mass", optional=True)
    sigma_v_cm3_s: float | None = quantity("cm^3/s", "generic mode: <sigma v> (or b)",
                                          optional=True)
    dm: str | None = quantity("", "generic mode: kind of particle", optional=True)
    p_wave: bool | None = quantity("", "generic mode: sigma v = b v^2", optional=True)


@dataclass(frozen=True)
class ThermalTarget(Result):
    """The coupling h giving Omega h^2 = 0.120 at fixed alpha_D (h_relic is null where no
    coupling in the search range does; ``note`` says why)."""

    title = "thermal target"

    m_phi: float = quantity("GeV", "scalar mass")
    h_relic: float | None = quantity("", "h giving Omega h^2 = 0.120")
    omega_h2: float | None = quantity("", "Omega h^2 at h_relic")
    note: str | None = quantity("", "why there is no solution", optional=True)


@dataclass(frozen=True)
class DarkCouplingTarget(Result):
    """The dark coupling alpha_D giving Omega h^2 = 0.120 at a fixed portal coupling h."""

    title = "thermal target"

    m_phi: float = quantity("GeV", "scalar mass")
    h: float = quantity("", "portal coupling (from the g-2 band or its upper limit)")
    alpha_dark_relic: float = quantity("", "alpha_D giving Omega h^2 = 0.120")
    omega_h2: float = quantity("", "Omega h^2 at alpha_dark_relic")


def _bdf2_path(u: np.ndarray, big_lam: np.ndarray, yeq: np.ndarray) -> np.ndarray:
    """Y on a uniform grid in u = ln x for dY/du = -Lambda(u)(Y^2 - Y_eq^2), L-stable BDF2
    (first step backward Euler); each implicit step is a quadratic solved exactly."""
    h = u[1] - u[0]
    y = np.empty_like(u)
    y[0] = yeq[0]
    # backward Euler: L h Y^2 + Y - (Y_n + L h Yeq^2) = 0
    lh = big_lam[1] * h
    c = y[0] + lh * yeq[1] ** 2
    y[1] = 2.0 * c / (1.0 + math.sqrt(1.0 + 4.0 * lh * c))
    b = 1.5 / h
    for n in range(1, len(u) - 1):
        la = big_lam[n + 1]
        c = la * yeq[n + 1] ** 2 + (4.0 * y[n] - y[n - 1]) / (2.0 * h)
        y[n + 1] = 2.0 * c / (b + math.sqrt(b * b + 4.0 * la * c))
    return y


@functools.cache
def _bdf2_path_compiled() -> Callable[..., Any]:
    """`_bdf2_path()` compiled by numba (bitwise the same numbers, ~50 times faster; a
    test compares them)."""
    import numba

    return numba.njit(cache=True)(_bdf2_path)


def bdf2_path(u: np.ndarray, big_lam: np.ndarray, yeq: np.ndarray) -> np.ndarray:
    """The BDF2 path of `_bdf2_path()`, compiled where numba is already loaded (a scan or
    reproduction, whose workers load the compiled kernels): loading numba for one solve
    (0.3 s) would cost more than it saves (0.01 s per solve)."""
    if "numba" in sys.modules:
        returned: AnyArray = _bdf2_path_compiled()(u, big_lam, yeq)
        return returned
    return _bdf2_path(u, big_lam, yeq)


#: the numerical solution runs at least to this x ...
X_END_MIN = 1000.0
#: ... and down to this temperature (GeV): below the QCD crossover, g_* settled (10.75)
T_END = 0.01
#: BDF2 steps per the ln(1000) of the x range from 1 to X_END_MIN (more for a longer range)
N_STEPS = 3000


def solve_boltzmann(model: AnnihilationModel, table: str = defaults.GSTAR_TABLE,
                    x_start: float = 1.0, x_end: float | None = None,
                    n_steps: int | None = None,
                    method: str = "bdf2", rtol: float = 1e-8,
                    n_grid: int = 120) -> RelicResult:
    """Omega h^2 of ``model`` (see module docstring).

    ``x_end`` (default: `X_END_MIN`, or m_ref / `T_END` if larger).
    ``method="bdf2"`` (default, fast): BDF2 on ``n_steps`` and ``2 n_steps`` uniform steps in
    ln x (default: `N_STEPS` per ln 1000), Richardson-extrapolated; the difference is
    reported as the solver error.
    ``method="radau"``: scipy's adaptive Radau IIA on ln Y with relative tolerance ``rtol``.
    <sigma v>_eff is evaluated on ``n_grid`` points in ln x and spline-interpolated.
    """
    t0 = time.perf_counter()
    require_choice("table", table, thermo.TABLES)
    require_choice("method", method, ("bdf2", "radau"))
    x_start = require_range("x_start", x_start, 0.05, 50.0)
    m = model.m_ref
    if x_end is None:
        x_end = min(max(X_END_MIN, m / T_END), 1e6)
    x_end = require_range("x_end", x_end, 10 * x_start, 1e6)
    if n_steps is None:  # the step in ln x of the default range, kept for longer ones
        n_steps = max(N_STEPS, round(N_STEPS * math.log(x_end / x_start) / math.log(1000.0)))
    n_steps = int(require_range("n_steps", n_steps, 100, 1e6))
    lx = np.linspace(math.log(x_start), math.log(x_end), n_grid)
    xs = np.exp(lx)
    sv = model.sigma_v_eff(xs)
    if np.any(~np.isfinite(sv)) or np.any(sv < 0):
        raise InputError("annihilation cross-section is not finite and non-negative on the x grid")
    # <sigma v> may underflow to 0 deep in the Boltzmann tail: floor it for the log spline
    sv_spline = CubicSpline(lx, np.log(np.maximum(sv, 1e-300)))

    def coefficients(u: FloatArray) -> tuple[Any, Any]:
        """Lambda(u) = x lambda(x) and ln Y_eq on points u = ln x."""
        x = np.exp(u)
        temps = m / x
        s_ent = thermo.entropy_density(temps, table)
        lam = (s_ent * np.exp(sv_spline(u))
               * (1.0 + thermo.dlng_s_dlnT(temps, table) / 3.0) / thermo.hubble(temps, table))
        log_yeq = _log_neq_scaled(model.species, temps, m) - x - np.log(s_ent)
        return lam, log_yeq

    if method == "bdf2":
        finals, paths = [], []
        for n in (n_steps, 2 * n_steps):
            u = np.linspace(lx[0], lx[-1], n + 1)
            big_lam, log_yeq = coefficients(u)
            y = bdf2_path(u, big_lam, np.exp(log_yeq))
            finals.append(y[-1])
            paths.append((u, y, log_yeq))
        y_end = finals[1] + (finals[1] - finals[0]) / 3.0
        solver_err = abs(finals[1] - finals[0]) / 3.0 / y_end
        u, y, log_yeq = paths[1]
        n_rhs = 3 * n_steps
    else:
        def rhs(uu: float, w: FloatArray) -> list[Any]:
            la, lyeq = coefficients(np.array([uu]))
            yv, yeq = math.exp(w[0]), math.exp(lyeq[0])
            return [-la[0] * (yv - yeq * yeq / yv)]

        def jac(uu: float, w: FloatArray) -> list[list[Any]]:
            la, lyeq = coefficients(np.array([uu]))
            yv, yeq = math.exp(w[0]), math.exp(lyeq[0])
            return [[-la[0] * (yv + yeq * yeq / yv)]]

        lyeq0 = coefficients(np.array([lx[0]]))[1][0]
        sol = solve_ivp(rhs, (lx[0], lx[-1]), [lyeq0], method="Radau", jac=jac, rtol=rtol,
                        atol=rtol * 1e-2, dense_output=True)
        if not sol.success:
            raise ArithmeticError(f"Boltzmann solver failed: {sol.message}")
        u = np.linspace(lx[0], lx[-1], 4001)
        y = np.exp(sol.sol(u)[0])
        log_yeq = coefficients(u)[1]
        y_end, solver_err, n_rhs = y[-1], rtol, int(sol.nfev)
    # analytic continuation to x -> infinity: lambda(x) = Lambda/x ~ x^-n beyond x_end
    lam_end, _ = coefficients(np.array([lx[-1] - 0.05, lx[-1]]))
    n_pow = max(1.0 - math.log(lam_end[1] / lam_end[0]) / 0.05, 1.5)
    tail = lam_end[1] / (n_pow - 1.0)
    y0 = 1.0 / (1.0 / y_end + tail)
    if not (math.isfinite(y0) and y0 > 0):
        raise InputError(f"the Boltzmann solution is not finite for {model.description} "
                         f"({model.inputs}); the masses or couplings are outside the range "
                         "the solver handles")
    # freeze-out: first point where Y >= 2 Y_eq
    excess = np.log(y) - log_yeq - math.log(2.0)
    idx = int(np.argmax(excess >= 0)) if np.any(excess >= 0) else -1
    if idx > 0:
        f0, f1 = excess[idx - 1], excess[idx]
        x_f = float(np.exp(u[idx - 1] + (u[idx] - u[idx - 1]) * (-f0) / (f1 - f0)))
    else:
        x_f = float(np.exp(u[max(idx, 0)]))
    sv_xf = float(np.exp(sv_spline(math.log(x_f))))
    return RelicResult(
        omega_h2=float(OMEGA_FACTOR * m * y0), x_f=x_f, sigma_v_xf_cm3_s=sv_xf * GEV2_TO_CM3S,
        y_today=float(y0), table=table, x_start=x_start, x_end=x_end, method=method,
        solver_rel_err=float(solver_err), tail_correction=float(y_end / y0 - 1.0),
        n_rhs=n_rhs, time_s=time.perf_counter() - t0, m_ref=m)


def omega_h2(portal: Portal, dark: DarkSector, table: str = defaults.GSTAR_TABLE,
             splitting: float = 0.0, **kw: Any) -> RelicResult:
    """Omega h^2 of the benchmark dark sector at a model point.

    Parameters
    ----------
    portal
        m_phi (GeV) and the portal couplings.
    dark
        The dark sector (m_chi, g_D).
    table
        The g*(T) table (`leptoportal.thermo.TABLES`).
    splitting
        m_chi2 - m_chi1 in GeV (co-annihilation).

    Returns
    -------
    RelicResult
        Omega h^2, the freeze-out and the solver's details.

    >>> omega_h2(Portal.from_kind(0.3, 1e-3), DarkSector.default(0.3)).omega_h2
    0.0342392...
    """
    res = solve_boltzmann(benchmark_model(portal, dark, splitting), table, **kw)
    return replace(res, m_phi=portal.m_phi, m_chi=dark.m_chi, g_dark=dark.g_dark,
                   alpha_dark=dark.alpha_dark)


def table_systematic(portal: Portal, dark: DarkSector, **kw: Any) -> dict[str, float]:
    """Omega h^2 for every g* table (their spread is the equation-of-state systematic)."""
    return {tb: omega_h2(portal, dark, tb, **kw).omega_h2 for tb in thermo.TABLES}


class NoRelicSolution(NoSolutionError):
    """No coupling in the search range gives the target relic density."""


def _solve_log(fn: Callable[..., Any], lo: float, hi: float, what: str) -> float:
    """Root of fn(ln c) = 0 on [ln lo, ln hi] with a one-line error if not bracketed."""
    f_lo, f_hi = fn(math.log(lo)), fn(math.log(hi))
    if f_lo * f_hi > 0:
        raise NoRelicSolution(f"no {what} in [{lo:g}, {hi:g}] gives Omega h^2 = "
                              f"{OMEGA_H2_PLANCK}")
    return math.exp(brentq(fn, math.log(lo), math.log(hi), xtol=1e-7))


def h_for_relic(m_phi: float, alpha_dark: float, ratio: float = DEFAULT_MASS_RATIO,
                kind: str | Couplings | CouplingMatrix = DEFAULT_COUPLING,
                target: float = OMEGA_H2_PLANCK, table: str = defaults.GSTAR_TABLE,
                bounds: tuple[float, float] = (1e-7, 3.0)) -> float:
    """h giving Omega h^2 = target at fixed alpha_D and m_phi/m_chi = ratio (``kind``: a
    pattern name, or unit couplings / a coupling matrix that h multiplies)."""
    dark = DarkSector.benchmark(m_phi, alpha_dark=alpha_dark, ratio=ratio)
    unit = unit_pattern(kind)

    def f(lh: float) -> float:
        portal = Portal(m_phi, unit.scaled(math.exp(lh)))
        return math.log(omega_h2(portal, dark, table).omega_h2 / target)

    return _solve_log(f, *bounds, "h_emu")


def alpha_dark_for_relic(m_phi: float, h: float, ratio: float = DEFAULT_MASS_RATIO,
                         kind: str | Couplings | CouplingMatrix = DEFAULT_COUPLING,
                         target: float = OMEGA_H2_PLANCK, table: str = defaults.GSTAR_TABLE,
                         bounds: tuple[float, float] = (1e-8, 4.0)) -> float:
    """alpha_D giving Omega h^2 = target at fixed h and m_phi/m_chi = ratio."""
    portal = Portal(m_phi, unit_pattern(kind).scaled(h))

    def f(la: float) -> float:
        dark = DarkSector.benchmark(m_phi, alpha_dark=math.exp(la), ratio=ratio)
        return math.log(omega_h2(portal, dark, table).omega_h2 / target)

    return _solve_log(f, *bounds, "alpha_dark")


def thermal_target(m_phi: float, alpha_dark: float, ratio: float = DEFAULT_MASS_RATIO,
                   kind: str | Couplings | CouplingMatrix = DEFAULT_COUPLING,
                   table: str = defaults.GSTAR_TABLE) -> ThermalTarget:
    """The thermal target at fixed alpha_D: h giving Omega h^2 = 0.120 (h_relic null, with a
    note, where no coupling in the search range does, e.g. annihilation closed).

    >>> thermal_target(0.3, 0.1).h_relic
    0.000513472...
    """
    m = float(m_phi)
    unit = unit_pattern(kind)
    try:
        h = h_for_relic(m, alpha_dark, ratio, unit, table=table)
    except NoRelicSolution as exc:
        return ThermalTarget(m, None, None, note=str(exc))
    dark = DarkSector.benchmark(m, alpha_dark=alpha_dark, ratio=ratio)
    return ThermalTarget(m, h, omega_h2(Portal(m, unit.scaled(h)), dark, table).omega_h2)


def dark_coupling_target(m_phi: float, h: float, ratio: float = DEFAULT_MASS_RATIO,
                         kind: str | Couplings | CouplingMatrix = DEFAULT_COUPLING,
                         table: str = defaults.GSTAR_TABLE) -> DarkCouplingTarget:
    """The thermal target at fixed portal coupling h: alpha_D giving Omega h^2 = 0.120
    (raises `NoRelicSolution` where none in the search range does)."""
    m = float(m_phi)
    unit = unit_pattern(kind)
    a = alpha_dark_for_relic(m, h, ratio, unit, table=table)
    dark = DarkSector.benchmark(m, alpha_dark=a, ratio=ratio)
    return DarkCouplingTarget(m, h, a, omega_h2(Portal(m, unit.scaled(h)), dark, table).omega_h2)


__all__ = [
    "DM_KINDS", "GEV2_TO_CM3S", "OMEGA_FACTOR", "OMEGA_H2_PLANCK", "alpha_dark_for_relic",
    "AnnihilationModel", "bdf2_path", "benchmark_model", "dark_coupling_target",
    "DarkCouplingTarget",
    "generic_model", "h_for_relic", "NoRelicSolution", "omega_h2", "RelicResult",
    "sigma_chi2_chi1bar", "solve_boltzmann", "Species", "table_systematic", "thermal_average",
    "thermal_target", "ThermalTarget", "width_at",
]


def __dir__() -> list[str]:
    return __all__
