"""Upper limits on the portal coupling from a counting experiment.

The expected signal is N(m, h) = h^2 N1(m) eff Br_inv(m, h), where N1 is the yield of the
coupling pattern at h = 1. With the dark width fixed and Gamma(phi -> leptons) = h^2 gamma1,
Br_inv(h) = G_d / (G_d + h^2 gamma1) (gamma1: the visible width of the pattern summed over its
lepton channels), so N(h) = n_up has the closed-form solution

    h^2 = n_up G_d / (N1 eff G_d - n_up gamma1)

(infinite when no coupling reaches n_up: the visible decay then wins over the invisible one).
n_up is the upper limit on the signal mean from `leptoportal.stats`.

With a channel whose events are computed at the point (the annihilations on atomic
electrons: their line shape depends on the total width), or a beam-energy scan, the yield is
not of this form, and N(h) = n_up is solved numerically: the
iteration h <- h (n_up / N(h))^(1/2), exact in one step for N ~ h^2, then bisection in ln h
if it does not settle; the smallest excluded h is returned.

Example:

    point = ModelPoint(0.5, dark=DarkSector.default(0.5))
    limit_point(get_preset("na64e-2016-2018"), point, n_up=4.36).h_limit
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from leptoportal import decays
from leptoportal.experiments.channels import default_numerics, setup_channels
from leptoportal.experiments.presets import ExperimentConfig
from leptoportal.experiments.yields import (
    closed_form,
    events_by_channel,
    invisible_fraction,
    point_events,
    require_signal,
    scaled_events_unit,
    summed,
    unit_yield,
    with_point_errors,
)
from leptoportal.model import COUPLING_MAX, ModelPoint
from leptoportal.numerics import Numerics
from leptoportal.results import Result, quantity

#: relative tolerance of the numerical limit solve
H_TOLERANCE = 1e-6
#: where the iteration h <- h (n_up / N(h))^(1/2) starts, and its largest number of steps
H_START, MAX_STEPS = 1e-3, 40
#: a solution is accepted when N(h) = n_up within this relative tolerance
EVENTS_TOLERANCE = 1e-4
#: the bisection fallback scans h on a log grid from H_GRID_LO to COUPLING_MAX in
#: H_GRID_POINTS points (~0.3 decades apart: N(h) is smooth in ln h) for the first excluded h
H_GRID_LO, H_GRID_POINTS = 1e-9, 31
#: largest number of bisection steps in ln h
MAX_BISECTIONS = 60


@dataclass(frozen=True)
class LimitResult(Result):
    """The upper limit on h at one mass, with its Monte-Carlo error."""

    title = "coupling limit"

    m_phi: float = quantity("GeV", "scalar mass")
    h_limit: float = quantity("", "upper limit on h (null: no coupling is excluded)",
                              nullable=True)
    h_limit_err: float = quantity("", "Monte-Carlo error of the yield propagated to h_limit",
                                  nullable=True)
    n_up: float = quantity("events", "upper limit on the signal mean")
    events_by_channel: dict[str, float] | None = quantity(
        "events", "signal events at h_limit of each production channel of the set-up (given "
        "when it has more than one, or an energy scan)", optional=True)
    experiment: str = quantity("", "name of the set-up", default="")


def _h_limit(cfg: ExperimentConfig, point: ModelPoint, n_up: float, unit: float) -> float:
    n1 = unit * cfg.efficiency_at(point.m_phi) * cfg.eot
    if n1 <= 0:
        return math.inf
    if point.br_invisible is not None:
        b = point.br_invisible
        return math.sqrt(n_up / (n1 * b)) if b > 0 else math.inf
    g_d = float(decays.gamma_dark(point.m_phi, point.dark))
    gamma1 = float(decays.gamma_visible(point.m_phi, point.pattern))
    denom = n1 * g_d - n_up * gamma1
    if denom <= 0:
        return math.inf
    return math.sqrt(n_up * g_d / denom)


def limit_point(cfg: ExperimentConfig, point: ModelPoint, n_up: float,
                numerics: Numerics | None = None) -> LimitResult:
    """The upper limit on h at the point's mass (its h is not used).

    Parameters
    ----------
    cfg
        The experiment set-up.
    point
        m_phi, the coupling pattern that h multiplies and the dark sector.
    n_up
        Upper limit on the signal mean (events, `leptoportal.stats.upper_limit()`).
    numerics
        Settings of the cross-sections (default 1%).

    Returns
    -------
    LimitResult
        h_limit and h_limit_err: the Monte-Carlo error of the yield propagated to the limit
        (h ~ N^(-1/2): dh/h = dN/(2N), exact when Br_inv does not depend on h).
    """
    numerics = default_numerics(numerics)
    require_signal(cfg, point.pattern)
    if not closed_form(cfg):
        return _solved_limit(cfg, point, n_up, numerics)
    unit, unit_err = unit_yield(cfg, point, numerics)
    h = _h_limit(cfg, point, n_up, unit)
    h_err = h * unit_err / (2.0 * unit) if math.isfinite(h) and unit > 0 else math.inf
    return LimitResult(point.m_phi, h, h_err, n_up, experiment=cfg.name)


def _solved_limit(cfg: ExperimentConfig, point: ModelPoint, n_up: float,
                  numerics: Numerics) -> LimitResult:
    """N(h) = n_up by iteration (module docstring); conversion errors propagated."""
    unit_point = point.with_(h=1.0)
    channels = setup_channels(cfg)
    scaled = scaled_events_unit(channels, cfg, unit_point, numerics)
    conv1, conv1_err = summed(scaled)
    eff = cfg.efficiency_at(point.m_phi)
    g_d = float(decays.gamma_dark(point.m_phi, point.dark))
    gamma1 = float(decays.gamma_visible(point.m_phi, point.pattern))

    def br(h: float) -> float:
        if point.br_invisible is not None:
            return invisible_fraction(unit_point)
        tot = g_d + h * h * gamma1
        return g_d / tot if tot > 0 else 0.0

    @functools.cache  # the solve and the final row ask for the same h
    def at_point(h: float) -> dict[str, tuple[float, float]]:
        return point_events(channels, cfg, point.with_(h=h), numerics)

    def parts(h: float) -> tuple[float, float]:
        """(scaled, computed at the point) events at coupling h."""
        conv = conv1 * h * h * eff * br(h)
        return conv, summed(at_point(h))[0] * eff

    def events(h: float) -> float:
        return sum(parts(h))

    def none() -> LimitResult:
        return LimitResult(point.m_phi, math.inf, math.inf, n_up, experiment=cfg.name)

    h = H_START
    for _ in range(MAX_STEPS):
        n = events(h)
        if n <= 0:
            return none()
        new = h * math.sqrt(n_up / n)
        if new > COUPLING_MAX:
            break
        if abs(new - h) <= H_TOLERANCE * h:
            h = new
            break
        h = new
    else:
        h = math.nan
    if not math.isfinite(h) or h > COUPLING_MAX or abs(events(h) / n_up - 1) > EVENTS_TOLERANCE:
        h = _bisect_limit(events, n_up)
    if not math.isfinite(h):
        return none()
    conv = parts(h)[0]
    err_n = with_point_errors(conv * conv1_err / conv1 if conv1 > 0 else 0.0, at_point(h), eff)
    # dN/dh ~ 2N/h near the solution: dh/h = dN / (2N)
    return LimitResult(point.m_phi, h, h * err_n / (2.0 * n_up), n_up, experiment=cfg.name,
                       events_by_channel=events_by_channel(channels, scaled, at_point(h),
                                                           (h, h, eff, br(h)), eff))


def _bisect_limit(events: Callable[[float], float], n_up: float) -> float:
    """Smallest h on a log grid up to COUPLING_MAX with events(h) >= n_up, refined by
    bisection in ln h; inf if there is none."""
    grid = np.geomspace(H_GRID_LO, COUPLING_MAX, H_GRID_POINTS)
    vals = [events(h) for h in grid]
    above = [i for i, v in enumerate(vals) if v >= n_up]
    if not above:
        return math.inf
    i = above[0]
    if i == 0:
        return float(grid[0])
    lo, hi = math.log(grid[i - 1]), math.log(grid[i])
    for _ in range(MAX_BISECTIONS):
        mid = 0.5 * (lo + hi)
        if events(math.exp(mid)) >= n_up:
            hi = mid
        else:
            lo = mid
        if hi - lo < H_TOLERANCE:
            break
    return math.exp(hi)


__all__ = [
    "EVENTS_TOLERANCE", "H_TOLERANCE", "MAX_BISECTIONS", "limit_point", "LimitResult",
]


def __dir__() -> list[str]:
    return __all__
