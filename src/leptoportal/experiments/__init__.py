"""Experiments: set-ups and presets, track length, signal yields and coupling limits.

The chain: :mod:`~.presets` (what the experiment is) -> :mod:`~.tracklength` (how far the beam
lepton travels at each energy) -> :mod:`~.yields` (expected signal) -> :mod:`~.limits`
(excluded couplings).

Example::

    cfg = get_preset("na64e-2016-2018")
    signal_yield(cfg, Portal.from_kind(0.5, 1e-2)).n_signal
    limit_scan(cfg, [0.2, 0.5, 1.0])
"""

from leptoportal.experiments.limits import coupling_limit, limit_point, limit_scan
from leptoportal.experiments.presets import (
    EfficiencyTable,
    ExperimentConfig,
    get_preset,
    load_config,
    make_config,
    preset_names,
    read_config_file,
    resolve_config,
)
from leptoportal.experiments.tracklength import (
    energy_nodes,
    track_length_sampler,
    track_length_weights,
    tsai_track_length_density,
)
from leptoportal.experiments.yields import (
    YieldResult,
    br_invisible,
    signal_yield,
    yield_per_eot_unit,
)

__all__ = [
    "EfficiencyTable", "ExperimentConfig", "YieldResult", "br_invisible", "coupling_limit",
    "energy_nodes", "get_preset", "limit_point", "limit_scan", "load_config", "make_config",
    "preset_names", "read_config_file", "resolve_config", "signal_yield",
    "track_length_sampler", "track_length_weights", "tsai_track_length_density",
    "yield_per_eot_unit",
]
