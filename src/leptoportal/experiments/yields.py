"""Signal yields of a model point at an experiment: the events of the set-up's production
channels (`channels`; the conversion, the annihilations on atomic electrons), summed.

N = eff x [h^2 Br_inv sum_c N1_c + sum_c' N_c'(point)]: the channels c whose events scale as
h^2 Br_inv (conversion, `conversion`) are computed (and cached) once for the coupling pattern
at h = 1 (N1) and scaled; the others (the annihilations, `annihilation`) are computed at the
point. A beam-energy scan (``energy_scan``) sums the runs.

Examples
--------

>>> from leptoportal.experiments import get_preset
>>> from leptoportal.model import DarkSector
>>> point = ModelPoint(0.3, h=1e-3, dark=DarkSector.default(0.3))
>>> y = signal_yield(get_preset("na64mu"), point, Numerics(precision=0.05))
>>> 15 < y.n_signal < 20, y.experiment
(True, 'na64mu')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from leptoportal import decays
from leptoportal.errors import DomainError
from leptoportal.experiments.channels import (
    YIELD_PRECISION,
    ProductionChannel,
    default_numerics,
    setup_channels,
)
from leptoportal.experiments.conversion import yield_per_eot_unit
from leptoportal.experiments.presets import ExperimentConfig
from leptoportal.model import (
    CouplingMatrix,
    Couplings,
    ModelPoint,
    as_matrix,
    describe_couplings,
)
from leptoportal.numerics import Numerics
from leptoportal.results import Result, quantity


@dataclass(frozen=True)
class YieldResult(Result):
    """Expected signal events with their Monte-Carlo error and the inputs behind them."""

    title = "signal yield"

    n_signal: float = quantity("events", "expected signal events")
    n_signal_err: float = quantity("events", "their Monte-Carlo error")
    per_eot: float = quantity("", "signal events per beam particle")
    eot: float = quantity("", "beam particles on target (all runs)")
    m_phi: float = quantity("GeV", "scalar mass")
    br_invisible: float = quantity("", "Br(phi -> invisible)")
    efficiency: float = quantity("", "signal efficiency at m_phi")
    experiment: str = quantity("", "name of the set-up")
    prompt_decay: bool = quantity("", "phi decays within the detector length at E0/2")
    events_by_channel: dict[str, float] | None = quantity(
        "events", "expected signal events of each production channel of the set-up (given "
        "when it has more than one, or an energy scan)", optional=True)
    h: float = quantity("", "coupling normalisation h", default=1.0)


def require_signal(cfg: ExperimentConfig, pattern: Couplings | CouplingMatrix) -> None:
    """A `DomainError` naming the flavour pairs and the couplings when the pattern gives
    none of the set-up's channels a signal (never a silent zero)."""
    matrix = as_matrix(pattern)
    channels = setup_channels(cfg)
    if not any(c.has_signal(cfg, matrix) for c in channels):
        pairs = " or ".join(c.needs(cfg, matrix) for c in channels)
        raise DomainError(f"the couplings {describe_couplings(pattern)} give no signal at "
                          f"{cfg.name}: its signature needs the pair {pairs}, whose coupling "
                          "is zero", parameters=("model", "couplings", "experiment"))


def closed_form(cfg: ExperimentConfig) -> bool:
    """True if every channel of the set-up scales as h^2 Br_inv and it has one run: the
    yield is then (events per beam particle at h = 1) h^2 eff Br_inv EOT, and the limit has
    a closed form."""
    return all(c.scales_as_h2 for c in setup_channels(cfg)) and not cfg.energy_scan


def unit_yield(cfg: ExperimentConfig, point: ModelPoint,
               numerics: Numerics) -> tuple[float, float]:
    """Events per beam particle at h = 1 (before Br_inv and the efficiency) of a
    `closed_form()` set-up, summed over its channels, with the Monte-Carlo error."""
    total, var = 0.0, 0.0
    for channel in setup_channels(cfg):
        if channel.has_signal(cfg, point.matrix):
            value, err = channel.per_particle(cfg, point, numerics)
            total += value
            var += err * err
    return total, math.sqrt(var)


def scaled_events_unit(channels: list[ProductionChannel], cfg: ExperimentConfig,
                       point: ModelPoint, numerics: Numerics) -> dict[str, tuple[float, float]]:
    """Channel -> events of all runs at h = 1 (before Br_inv and the efficiency) with their
    Monte-Carlo error, for the channels that scale as h^2 Br_inv."""
    return {c.name: c.unit_events(cfg, point, numerics) for c in channels if c.scales_as_h2}


def point_events(channels: list[ProductionChannel], cfg: ExperimentConfig,
                 point: ModelPoint, numerics: Numerics) -> dict[str, tuple[float, float]]:
    """Channel -> events of all runs at the point (before the efficiency) with their
    Monte-Carlo error, for the channels computed at the point."""
    return {c.name: c.events(cfg, point, numerics) for c in channels if not c.scales_as_h2}


def summed(parts: dict[str, tuple[float, float]]) -> tuple[float, float]:
    """The sum of the channels' events and their errors added in quadrature."""
    total, var = 0.0, 0.0
    for value, err in parts.values():
        total += value
        var += err * err
    return total, math.sqrt(var)


def with_point_errors(err: float, at_point: dict[str, tuple[float, float]],
                      eff: float) -> float:
    """``err`` with the Monte-Carlo errors of the channels computed at the point (times the
    efficiency) added in quadrature (exact quadratures add 0; the shower table its error)."""
    for _, point_err in at_point.values():
        err = math.hypot(err, point_err * eff)
    return err


def events_by_channel(channels: list[ProductionChannel],
                      scaled: dict[str, tuple[float, float]],
                      at_point: dict[str, tuple[float, float]],
                      factors: tuple[float, ...], eff: float) -> dict[str, float]:
    """Each channel's events in the set-up's order: a scaled channel's unit events times
    ``factors`` (h^2, Br_inv and the efficiency, multiplied in that order), a channel computed
    at the point times the efficiency."""
    out: dict[str, float] = {}
    for name, (value, _) in scaled.items():
        for factor in factors:
            value *= factor
        out[name] = value
    out.update({name: value * eff for name, (value, _) in at_point.items()})
    return {c.name: out[c.name] for c in channels}


def invisible_fraction(point: ModelPoint) -> float:
    """Br(phi -> invisible) of a point: its fixed ``br_invisible``, else from the widths."""
    if point.br_invisible is not None:
        return point.br_invisible
    return decays.widths(point.portal, point.dark).br_invisible


def signal_yield(cfg: ExperimentConfig, point: ModelPoint,
                 numerics: Numerics | None = None) -> YieldResult:
    """Expected signal events of a model point at an experiment.

    Parameters
    ----------
    cfg
        The experiment set-up (a preset or the user's).
    point
        m_phi, the coupling pattern and h, the dark sector (Br_inv from the widths unless the
        point fixes it).
    numerics
        Precision, seed and cache of the conversion cross-sections (default 1%).

    Returns
    -------
    YieldResult
        n_signal and its Monte-Carlo error (events), with the inputs.
    """
    numerics = default_numerics(numerics)
    require_signal(cfg, point.pattern)
    h2 = point.h ** 2
    if h2 * point.matrix.norm2 <= 0:
        raise DomainError("the couplings are zero (h = 0 or an empty pattern): no signal",
                          parameters=("h",))
    w = decays.widths(point.portal, point.dark)
    br = point.br_invisible if point.br_invisible is not None else w.br_invisible
    eff = cfg.efficiency_at(point.m_phi)
    # phi carries a sizeable fraction of E0: check the decay at E0/2 against the detector
    prompt = decays.warn_if_not_prompt(w, 0.5 * cfg.energy, cfg.detector_length_m)
    if closed_form(cfg):
        unit, unit_err = unit_yield(cfg, point, numerics)
        per = unit * h2 * eff * br
        return YieldResult(per * cfg.eot, unit_err * h2 * eff * br * cfg.eot, per, cfg.eot,
                           point.m_phi, br, eff, cfg.name, bool(prompt), h=point.h)
    channels = setup_channels(cfg)
    scaled = scaled_events_unit(channels, cfg, point, numerics)
    at_point = point_events(channels, cfg, point, numerics)
    conv, conv_err = summed(scaled)
    conv, conv_err = conv * h2 * eff * br, conv_err * h2 * eff * br
    res = summed(at_point)[0] * eff
    conv_err = with_point_errors(conv_err, at_point, eff)
    eot = cfg.total_eot
    return YieldResult(conv + res, conv_err, (conv + res) / eot, eot, point.m_phi, br, eff,
                       cfg.name, bool(prompt), h=point.h,
                       events_by_channel=events_by_channel(channels, scaled, at_point,
                                                           (h2, eff, br), eff))


__all__ = [
    "YIELD_PRECISION", "closed_form", "default_numerics", "events_by_channel",
    "invisible_fraction", "with_point_errors", "point_events", "require_signal",
    "scaled_events_unit", "signal_yield", "summed", "unit_yield", "yield_per_eot_unit",
    "YieldResult",
]


def __dir__() -> list[str]:
    return __all__
