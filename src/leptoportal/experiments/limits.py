"""Upper limits on the portal coupling from a counting experiment.

The expected signal is N(m, h) = h^2 N1(m) eff Br_inv(m, h), where N1 is the yield for unit
couplings. With the dark width fixed and Gamma(phi -> mu e) = h^2 gamma1,
Br_inv(h) = G_d / (G_d + h^2 gamma1) (gamma1: the visible width of the unit pattern summed
over its lepton channels), so N(h) = n_up has the closed-form solution

    h^2 = n_up G_d / (N1 eff G_d - n_up gamma1)

(infinite when no coupling reaches n_up: the visible decay then wins over the invisible one).
n_up is the upper limit on the signal mean from :mod:`leptoportal.stats`.

With the resonance on atomic electrons (or a beam-energy scan) the yield is not of this form
(the line shape depends on the total width), and N(h) = n_up is solved numerically: the
iteration h <- h (n_up / N(h))^(1/2), exact in one step for N ~ h^2, then bisection in ln h
if it does not settle; the smallest excluded h is returned.

Example: ``limit_scan(get_preset("na64e-2016-2018"), [0.2, 0.5])`` -> rows with ``h_limit``.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from leptoportal import decays, stats
from leptoportal.experiments.presets import ExperimentConfig
from leptoportal.experiments.yields import (
    br_invisible,
    conversion_events_unit,
    resonant_events,
    yield_per_eot_unit,
)
from leptoportal.model import COUPLING_MAX, Couplings, DarkSector, Portal

#: relative tolerance of the numerical limit solve
H_TOLERANCE = 1e-6


def _h_limit(cfg: ExperimentConfig, m_phi: float, n_up: float, unit: float,
             pattern: Couplings, dark: DarkSector | None, br_inv: float | None) -> float:
    n1 = unit * cfg.efficiency_at(m_phi) * cfg.eot
    if n1 <= 0:
        return math.inf
    if br_inv is not None:
        b = br_invisible(Portal(m_phi, pattern), None, br_inv)
        return math.sqrt(n_up / (n1 * b)) if b > 0 else math.inf
    dark = dark if dark is not None else DarkSector.default(m_phi)
    g_d = float(decays.gamma_dark(m_phi, dark))
    gamma1 = float(decays.gamma_visible(m_phi, pattern))
    denom = n1 * g_d - n_up * gamma1
    if denom <= 0:
        return math.inf
    return math.sqrt(n_up * g_d / denom)


def limit_point(cfg: ExperimentConfig, m_phi: float, n_up: float,
                pattern: Couplings | None = None, dark: DarkSector | None = None,
                br_inv: float | None = None, precision: float = 0.01, seed: int = 1,
                cache: bool = True) -> dict:
    """The limit at one mass: ``{m_phi, h_limit, h_limit_err, n_up}``.

    ``h_limit_err`` is the Monte-Carlo error of the yield propagated to the limit
    (h ~ N^(-1/2): dh/h = dN/(2N), exact when Br_inv does not depend on h).
    """
    pattern = pattern or Couplings.chiral(1.0)
    m_phi = float(m_phi)
    if cfg.resonant or cfg.energy_scan:
        return _solved_limit(cfg, m_phi, n_up, pattern, dark, br_inv, precision, seed, cache)
    unit, unit_err = yield_per_eot_unit(cfg, m_phi, pattern, precision, seed, cache=cache)
    h = _h_limit(cfg, m_phi, n_up, unit, pattern, dark, br_inv)
    h_err = h * unit_err / (2.0 * unit) if math.isfinite(h) and unit > 0 else math.inf
    return {"m_phi": m_phi, "h_limit": h, "h_limit_err": h_err, "n_up": n_up}


def _solved_limit(cfg: ExperimentConfig, m_phi: float, n_up: float, pattern,
                  dark: DarkSector | None, br_inv: float | None, precision: float, seed: int,
                  cache: bool) -> dict:
    """N(h) = n_up by iteration (module docstring); conversion errors propagated."""
    dark = dark if dark is not None else DarkSector.default(m_phi)
    unit_portal = Portal(m_phi, pattern)
    h2_unit = 2.0 * pattern.norm2
    conv1, conv1_err = conversion_events_unit(cfg, unit_portal, precision, seed, cache)
    eff = cfg.efficiency_at(m_phi)
    g_d = float(decays.gamma_dark(m_phi, dark))
    gamma1 = float(decays.gamma_visible(m_phi, pattern))

    def br(h: float) -> float:
        if br_inv is not None:
            return br_invisible(unit_portal, None, br_inv)
        tot = g_d + h * h * gamma1
        return g_d / tot if tot > 0 else 0.0

    @functools.cache  # the solve and the final row ask for the same h
    def parts(h: float) -> tuple[float, float]:
        """(conversion, resonant) events at coupling h."""
        portal = Portal(m_phi, pattern.scaled(h))
        conv = conv1 * h * h * h2_unit * eff * br(h)
        return conv, resonant_events(cfg, portal, dark, br_inv) * eff

    def events(h: float) -> float:
        return sum(parts(h))

    h = 1e-3
    for _ in range(40):
        n = events(h)
        if n <= 0:
            return {"m_phi": m_phi, "h_limit": math.inf, "h_limit_err": math.inf,
                    "n_up": n_up}
        new = h * math.sqrt(n_up / n)
        if new > COUPLING_MAX:
            break
        if abs(new - h) <= H_TOLERANCE * h:
            h = new
            break
        h = new
    else:
        h = math.nan
    if not math.isfinite(h) or h > COUPLING_MAX or abs(events(h) / n_up - 1) > 1e-4:
        h = _bisect_limit(events, n_up)
    if not math.isfinite(h):
        return {"m_phi": m_phi, "h_limit": math.inf, "h_limit_err": math.inf, "n_up": n_up}
    conv, res = parts(h)
    err_n = conv * conv1_err / conv1 if conv1 > 0 else 0.0
    # dN/dh ~ 2N/h near the solution: dh/h = dN / (2N)
    return {"m_phi": m_phi, "h_limit": h, "h_limit_err": h * err_n / (2.0 * n_up),
            "n_up": n_up, "n_conversion": conv, "n_resonant": res}


def _bisect_limit(events, n_up: float) -> float:
    """Smallest h on a log grid up to COUPLING_MAX with events(h) >= n_up, refined by
    bisection in ln h; inf if there is none."""
    grid = np.geomspace(1e-9, COUPLING_MAX, 31)  # ~0.3 decades: N(h) is smooth in ln h
    vals = [events(h) for h in grid]
    above = [i for i, v in enumerate(vals) if v >= n_up]
    if not above:
        return math.inf
    i = above[0]
    if i == 0:
        return float(grid[0])
    lo, hi = math.log(grid[i - 1]), math.log(grid[i])
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if events(math.exp(mid)) >= n_up:
            hi = mid
        else:
            lo = mid
        if hi - lo < H_TOLERANCE:
            break
    return math.exp(hi)


def coupling_limit(cfg: ExperimentConfig, m_phi: float, n_up: float,
                   pattern: Couplings | None = None, dark: DarkSector | None = None,
                   br_inv: float | None = None, precision: float = 0.01,
                   seed: int = 1, cache: bool = True) -> float:
    """h excluded above at ``m_phi`` (see the module docstring); inf if none is."""
    return limit_point(cfg, m_phi, n_up, pattern, dark, br_inv, precision, seed,
                       cache)["h_limit"]


def limit_scan(cfg: ExperimentConfig, masses, method: str = "cls", cl: float = 0.9,
               pattern: Couplings | None = None, dark_alpha: float | None = None,
               br_inv: float | None = None, precision: float = 0.01, seed: int = 1,
               progress=None, cache: bool = True) -> list[dict]:
    """Coupling limits (or sensitivity, for n_obs = b) on a grid of masses.

    ``dark_alpha``: alpha_D of the benchmark dark sector (default
    :data:`leptoportal.model.DEFAULT_ALPHA_DARK`; 0 means no invisible decay).
    """
    n_up = stats.upper_limit(cfg.n_obs, cfg.background, cl, method)
    out = []
    for i, m in enumerate(masses):
        dark = (DarkSector.benchmark(m, alpha_dark=dark_alpha) if dark_alpha is not None
                else None)
        out.append(limit_point(cfg, m, n_up, pattern, dark, br_inv, precision, seed, cache))
        if progress is not None:
            progress(i + 1, len(masses))
    return out
