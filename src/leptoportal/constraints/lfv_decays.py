"""The charged-lepton-flavour-violating decays as constraints: one `Constraint` per limit of
``data/lfv_limits.csv`` (its SOURCE gives each number's origin), computed by `leptoportal.lfv`
(one-loop dipoles, tree-level three-body decays with the exact phi propagator, l_i -> l_j phi
with phi invisible).

Examples
--------

>>> from leptoportal.constraints import CONSTRAINTS
>>> CONSTRAINTS["tau -> mu mu mu"].measurement.cl
0.9
"""

from __future__ import annotations

import functools
import math

from leptoportal import lfv
from leptoportal.constraints.base import Constraint, Measurement, h_max, register
from leptoportal.decays import widths
from leptoportal.model import CouplingMatrix, ModelPoint, Portal


class LFVDecay(Constraint):
    """The branching ratio of one cLFV channel against its packaged limit."""

    def __init__(self, limit: lfv.LFVLimit) -> None:
        self.name = limit.channel
        self.measurement = Measurement(f"BR({limit.channel})", limit.br_limit, limit.cl,
                                       limit.experiment, limit.reference, limit.m_phi_max)

    def _rate(self, point: ModelPoint) -> tuple[lfv.ChannelRate | None, float, float]:
        """The channel's rate at h = 1 (None: no diagram) and phi's visible width at h = 1
        and invisible width."""
        at_one = widths(Portal(point.m_phi, point.matrix, point.open_lepton_decays),
                        point.dark)
        gamma_phi = point.h**2 * at_one.gamma_visible + at_one.gamma_dark
        rates = _channel_rates(point.m_phi, point.matrix, gamma_phi, at_one.gamma_dark)
        rate = next((r for r in rates if r.channel == self.name), None)
        return rate, at_one.gamma_visible, at_one.gamma_dark

    def unavailable(self, point: ModelPoint) -> str | None:
        why = super().unavailable(point)
        if why is not None:
            return why
        rate = self._rate(point)[0]
        return rate.note if rate is not None and rate.note else None

    def predict(self, point: ModelPoint) -> float | None:
        rate, visible, dark = self._rate(point)
        if rate is None:
            return None
        return rate.br(point.h, point.h**2 * visible + dark)

    def h_limit(self, point: ModelPoint) -> float:
        rate, visible, dark = self._rate(point)
        if rate is None or rate.br(1.0, visible + dark) <= 0:
            return math.inf
        return lfv.h_limit_of(rate, self.measurement.limit,
                              lambda h: h**2 * visible + dark, h_max(point))


@functools.lru_cache(maxsize=64)
def _channel_rates(m_phi: float, matrix: CouplingMatrix, gamma_phi: float,
                   gamma_dark: float) -> tuple[lfv.ChannelRate, ...]:
    """`leptoportal.lfv.channel_rates()` once per model point for all the channels' bounds
    (pure: the arguments are the whole input)."""
    return tuple(lfv.channel_rates(m_phi, matrix, gamma_phi, gamma_dark))


for _limit in lfv.experimental_limits().values():
    register(LFVDecay(_limit))

__all__ = ["LFVDecay"]


def __dir__() -> list[str]:
    return __all__
