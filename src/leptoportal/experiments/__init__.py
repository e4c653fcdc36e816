"""Experiments: set-ups and presets, track length, signal yields and coupling limits.

The chain: `presets` (what the experiment is, and the production channels it may list) ->
`tracklength` (how far the beam lepton travels at each energy) and `stopping` (the muon's
energy loss, for the resonance on atomic electrons) -> the channels (`channels`: the
interface; `conversion`, `annihilation`) -> `yields` (expected signal) -> `limits`
(excluded couplings).

Example:

    cfg = get_preset("na64e-2016-2018")
    point = ModelPoint(0.5, h=1e-2, dark=DarkSector.default(0.5))
    signal_yield(cfg, point).n_signal
    limit_point(cfg, point, n_up=4.36).h_limit
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> the module that defines it (loaded on first use: a command imports only
#: what it runs)
_EXPORTS = {
    "LimitResult": "limits", "limit_point": "limits",
    "EfficiencyTable": "presets", "ExperimentConfig": "presets", "get_preset": "presets",
    "load_config": "presets", "make_config": "presets", "preset_names": "presets",
    "read_config_file": "presets", "resolve_config": "presets", "schema": "presets",
    "energy_nodes": "tracklength", "track_length_sampler": "tracklength",
    "track_length_weights": "tracklength", "tsai_track_length_density": "tracklength",
    "YIELD_PRECISION": "yields", "YieldResult": "yields", "invisible_fraction": "yields",
    "signal_yield": "yields", "yield_per_eot_unit": "conversion",
    "CHANNELS": "presets", "ChannelSpec": "presets", "ProductionChannel": "channels",
    "setup_channels": "channels",
}
__all__ = [
    "CHANNELS", "ChannelSpec", "ProductionChannel", "setup_channels",
    "YIELD_PRECISION", "EfficiencyTable", "ExperimentConfig", "LimitResult", "YieldResult",
    "energy_nodes", "get_preset", "invisible_fraction", "limit_point", "load_config",
    "make_config", "preset_names", "read_config_file", "resolve_config", "schema",
    "signal_yield",
    "track_length_sampler", "track_length_weights", "tsai_track_length_density",
    "yield_per_eot_unit",
]

if TYPE_CHECKING:  # pragma: no cover
    from leptoportal.experiments.channels import ProductionChannel, setup_channels
    from leptoportal.experiments.conversion import yield_per_eot_unit
    from leptoportal.experiments.limits import LimitResult, limit_point
    from leptoportal.experiments.presets import (
        CHANNELS,
        ChannelSpec,
        EfficiencyTable,
        ExperimentConfig,
        get_preset,
        load_config,
        make_config,
        preset_names,
        read_config_file,
        resolve_config,
        schema,
    )
    from leptoportal.experiments.tracklength import (
        energy_nodes,
        track_length_sampler,
        track_length_weights,
        tsai_track_length_density,
    )
    from leptoportal.experiments.yields import (
        YIELD_PRECISION,
        YieldResult,
        invisible_fraction,
        signal_yield,
    )


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'leptoportal.experiments' has no attribute {name!r}")
    return getattr(importlib.import_module(f"leptoportal.experiments.{_EXPORTS[name]}"), name)


def __dir__() -> list[str]:
    return __all__
