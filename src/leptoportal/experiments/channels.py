"""Production channels: the ways a set-up makes phi, and the interface they implement.

A set-up lists its channels (``production: [conversion, shower-positrons]``); the yield and
the limit sum the channels' events without knowing which they are, and a channel's
cross-section is ``xsec --process NAME``. Each channel is

* a `ChannelSpec` in `leptoportal.experiments.presets.CHANNELS` (beside the set-up that
  lists it, and read by it): its name, its reaction, what it needs of the set-up (beams and
  target modes, and the set-up fields that apply to it only), and where its implementation
  lives;
* an implementation (a `ProductionChannel`, imported on first use): whether the couplings
  give it a signal, its events at a model point, and for a channel whose events scale as
  h^2 Br_inv, the events per beam particle at h = 1;
* a section of the docs page "Production channels" (docs/production-channels.md).

A new channel is one module with its `ProductionChannel`, one `ChannelSpec` here and its
section of the docs.

Examples
--------

>>> from leptoportal.experiments import get_preset
>>> [c.name for c in setup_channels(get_preset("na64e-2016-2022-ee"))]
['conversion', 'shower-positrons']
"""

from __future__ import annotations

import functools
import importlib
import math
from abc import ABC, abstractmethod
from typing import ClassVar

from leptoportal import defaults
from leptoportal.experiments.presets import CHANNELS, ExperimentConfig
from leptoportal.model import CouplingMatrix, ModelPoint
from leptoportal.numerics import Numerics

#: requested relative MC error of the cross-sections behind a yield (`leptoportal.defaults`)
YIELD_PRECISION = defaults.PRECISION["yield"]


def default_numerics(numerics: Numerics | None) -> Numerics:
    """The settings of a yield: ``numerics``, or the defaults at `YIELD_PRECISION`."""
    return numerics if numerics is not None else Numerics(precision=YIELD_PRECISION)


@functools.cache
def _implementation(path: str) -> ProductionChannel:
    module, _, cls = path.partition(":")
    made: ProductionChannel = getattr(importlib.import_module(module), cls)()
    return made


class ProductionChannel(ABC):
    """What a production channel computes for a set-up."""

    #: the channel's name (its `ChannelSpec`)
    name: ClassVar[str]
    #: True if its events are (events per beam particle at h = 1) x h^2 x Br_inv: the limit
    #: is then solved in closed form on a single run, and the yield scaled, not recomputed
    scales_as_h2: ClassVar[bool] = False

    @abstractmethod
    def has_signal(self, cfg: ExperimentConfig, matrix: CouplingMatrix) -> bool:
        """True if the couplings give the set-up this channel (a non-zero vertex, above
        threshold where that does not depend on the mass)."""

    @abstractmethod
    def needs(self, cfg: ExperimentConfig, matrix: CouplingMatrix) -> str:
        """The coupling entries it needs, for the error of a set-up without signal."""

    def events(self, cfg: ExperimentConfig, point: ModelPoint,
               numerics: Numerics) -> tuple[float, float]:
        """Channels whose events depend on h otherwise than as h^2 Br_inv: (events of all
        runs at the point, their Monte-Carlo error), before the set-up's efficiency."""
        raise NotImplementedError(f"{self.name}: its events scale as h^2 (per_particle)")

    def per_particle(self, cfg: ExperimentConfig, point: ModelPoint,
                     numerics: Numerics) -> tuple[float, float]:
        """Channels with ``scales_as_h2``: (events per beam particle of the set-up's run at
        h = 1, before Br_inv and the efficiency; its error)."""
        raise NotImplementedError(f"{self.name}: its events do not scale as h^2")

    def unit_events(self, cfg: ExperimentConfig, point: ModelPoint,
                    numerics: Numerics) -> tuple[float, float]:
        """Channels with ``scales_as_h2``: events of all runs (the energy scan, or the one
        run) at h = 1 before Br_inv and the efficiency, with their error; (0, 0) when the
        couplings give the channel no signal."""
        if not self.has_signal(cfg, point.matrix):
            return 0.0, 0.0
        total, var = 0.0, 0.0
        for energy, n in cfg.beam_points():
            run = cfg if energy == cfg.energy else cfg.model_copy(update={"energy": energy})
            unit, err = self.per_particle(run, point, numerics)
            total += n * unit
            var += (n * err) ** 2
        return total, math.sqrt(var)


def implementation(name: str) -> ProductionChannel:
    """The implementation of the registered channel ``name`` (imported on first use)."""
    return _implementation(CHANNELS[name].implementation)


def setup_channels(cfg: ExperimentConfig) -> list[ProductionChannel]:
    """The implementations of the set-up's channels, in its order."""
    return [implementation(name) for name in cfg.production]


__all__ = ["YIELD_PRECISION", "ProductionChannel", "default_numerics", "implementation",
           "setup_channels"]


def __dir__() -> list[str]:
    return __all__
