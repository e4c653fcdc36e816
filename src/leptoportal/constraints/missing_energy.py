"""The missing-energy searches of NA64 as constraints: the limits the package computes
(`leptoportal.experiments.limits`) for the published data sets, at the point's coupling
pattern and dark sector.

The measured quantity is the number of signal events: its limit is n_up, the 90% CL upper
limit on the signal mean from the set-up's observed events and background (CLs,
`leptoportal.stats`); the prediction is the expected signal at the point's h
(`leptoportal.experiments.signal_yield()`), and h_limit the coupling where it reaches n_up
(`leptoportal.experiments.limit_point()`, exact with the h-dependent Br(phi -> invisible)).
A search applies where the package computes production: m_phi above the matrix's domain
edge (`CouplingMatrix.m_phi_min()`), and to the patterns that give its signature a signal
("no diagram" otherwise, with the pair it needs). The numbers carry the Monte-Carlo error of
the yield (1%), which the JSON of ``limit`` reports; here h_limit is its central value.

Examples
--------

>>> from leptoportal.constraints import CONSTRAINTS
>>> CONSTRAINTS["na64mu-2022-mumu"].measurement.unit
'events'
"""

from __future__ import annotations

import functools

from leptoportal import defaults, stats
from leptoportal.constraints.base import Constraint, Measurement, register
from leptoportal.errors import DomainError
from leptoportal.experiments.channels import setup_channels
from leptoportal.experiments.limits import limit_point
from leptoportal.experiments.presets import get_preset
from leptoportal.experiments.yields import require_signal, signal_yield
from leptoportal.model import ModelPoint

#: the published NA64 data sets kept as bounds (the presets that are not projections;
#: na64e-2016-2018 is left out: its data are part of na64e-2016-2022)
SEARCHES = ("na64e-2016-2022", "na64mu", "na64mu-2022-mumu", "na64e-2016-2022-ee",
            "na64e-plus-2022")


class MissingEnergy(Constraint):
    """The signal of one NA64 data set against its upper limit (module docstring)."""

    def __init__(self, preset: str) -> None:
        self.name = preset
        self.config = get_preset(preset)
        cfg = self.config
        n_up = stats.upper_limit(cfg.n_obs, cfg.background, defaults.CL,
                                 defaults.LIMIT_METHOD, cfg.background_err)
        source = cfg.sources.get("beam_energy_eot", cfg.description)
        self.measurement = Measurement("signal events", n_up, defaults.CL, "NA64", source,
                                       unit="events")

    def unavailable(self, point: ModelPoint) -> str | None:
        lo = point.matrix.m_phi_min()
        if point.m_phi <= lo:
            return (f"production is computed for m_phi > {lo:g} GeV (below it a lepton "
                    "decays into phi)")
        return super().unavailable(point)

    def _signal(self, point: ModelPoint) -> bool:
        try:
            require_signal(self.config, point.pattern)
        except DomainError:
            return False
        return True

    def predict(self, point: ModelPoint) -> float | None:
        if not self._signal(point):
            return None
        if point.h == 0:
            return 0.0
        return signal_yield(self.config, point).n_signal

    def h_limit(self, point: ModelPoint) -> float:
        return _h_limit(self.name, point.with_(h=1.0), self.measurement.limit)

    def no_diagram(self, point: ModelPoint) -> str:
        pairs = " or ".join(c.needs(self.config, point.matrix)
                            for c in setup_channels(self.config))
        return f"the signature needs the pair {pairs}, whose coupling is zero"


@functools.lru_cache(maxsize=1024)
def _h_limit(preset: str, point: ModelPoint, n_up: float) -> float:
    """`limit_point()`'s h_limit, once per point (inf where no coupling is excluded)."""
    h = limit_point(get_preset(preset), point, n_up).h_limit
    return float("inf") if h is None else h


for _name in SEARCHES:
    register(MissingEnergy(_name))

__all__ = ["SEARCHES", "MissingEnergy"]


def __dir__() -> list[str]:
    return __all__
