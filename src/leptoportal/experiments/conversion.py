"""The conversion channel: l N -> l' N phi on the target's nuclei, for every beam.

Yield per beam lepton of nominal energy E0, per target atom column n0 = N_A X0 / A (atoms/cm^2
per X0), for the coupling pattern at h = 1 (the events scale exactly as h^2 Br_inv):

* thin target of T radiation lengths: n0 T sigma_sel(E0);
* thick electron target (active ECAL): n0 Int_0^T dt Int dE I_e(E0, E, t) sigma_sel(E) with
  Tsai's track length (`tracklength`);
* muon beams: energy loss neglected, thin target of the full length.

sigma_sel(E) is the ETL cross-section of the events that pass the set-up's cuts on the
outgoing lepton (energy, angle) and on E_phi: the selection acts on the event-level integrand
of the production module. The cross-sections are computed (and cached) once for the pattern.

Examples
--------

>>> from leptoportal.experiments import get_preset
>>> from leptoportal.numerics import Numerics
>>> unit, err = yield_per_eot_unit(get_preset("na64mu"), 0.3, numerics=Numerics(precision=0.05))
>>> 1e-3 < unit < 3e-3, err < 0.05 * unit
(True, True)
"""

from __future__ import annotations

import math

import numpy as np

from leptoportal.constants import PB_TO_CM2
from leptoportal.errors import DomainError
from leptoportal.experiments.channels import ProductionChannel, default_numerics
from leptoportal.experiments.presets import ExperimentConfig
from leptoportal.experiments.tracklength import (
    N_ENERGY_NODES,
    energy_nodes,
    track_length_weights,
)
from leptoportal.model import (
    CouplingMatrix,
    Couplings,
    ModelPoint,
    as_matrix,
    default_pattern,
    describe_couplings,
    validate_m_phi,
)
from leptoportal.numerics import Numerics
from leptoportal.production.process import Process
from leptoportal.production.xsec import cached_cross_section

#: effort cap (integrand evaluations) per energy node of a thick-target yield
NODE_MAX_EVALS = 300_000
#: the seed of energy node j is seed + NODE_SEED_STRIDE j (independent streams per node)
NODE_SEED_STRIDE = 7919


class Conversion(ProductionChannel):
    """l N -> l' N phi on the nuclei: events = h^2 Br_inv x (events per beam particle at
    h = 1, `yield_per_eot_unit()`) summed over the runs."""

    name = "conversion"
    scales_as_h2 = True

    def has_signal(self, cfg: ExperimentConfig, matrix: CouplingMatrix) -> bool:
        return bool(signal_channels(cfg, matrix))

    def needs(self, cfg: ExperimentConfig, matrix: CouplingMatrix) -> str:
        return ", ".join(f"{cfg.beam_flavour}-{f}" for f in cfg.channels(matrix)) or "none"

    def per_particle(self, cfg: ExperimentConfig, point: ModelPoint,
                     numerics: Numerics) -> tuple[float, float]:
        return yield_per_eot_unit(cfg, point.m_phi, point.pattern, numerics)


def yield_per_eot_unit(cfg: ExperimentConfig, m_phi: float,
                       pattern: Couplings | CouplingMatrix | None = None,
                       numerics: Numerics | None = None,
                       n_energies: int = N_ENERGY_NODES) -> tuple[float, float]:
    """Selected signal per beam lepton for the coupling pattern at h = 1, before the
    efficiency and Br_inv, summed over the set-up's channels (outgoing lepton flavours with a
    non-zero vertex) and over the elements of the target material.

    Parameters
    ----------
    cfg
        The experiment set-up.
    m_phi
        Scalar mass (GeV).
    pattern
        The couplings at h = 1 (default: the chiral e-mu pattern).
    numerics
        Precision, seed and cache of the cross-sections (default: 1%, seed 1, cached).

    Returns
    -------
    tuple
        (value, Monte-Carlo error), signal per beam particle.

    """
    numerics = default_numerics(numerics)
    pattern = pattern or default_pattern()
    m_phi = validate_m_phi(m_phi, as_matrix(pattern))
    channels = signal_channels(cfg, pattern)
    if not channels:
        raise DomainError(f"the couplings {describe_couplings(pattern)} give no conversion "
                          f"at {cfg.name}: its signature needs the pair "
                          f"{Conversion().needs(cfg, as_matrix(pattern))}, whose coupling is "
                          "zero", parameters=("model", "couplings", "experiment"))
    total, var = 0.0, 0.0
    for final in channels:
        for element, n0 in cfg.element_columns():
            proc = Process(cfg.beam, cfg.energy, element, m_phi, pattern, final_lepton=final)
            val, err = _channel_yield(cfg, proc, n0, numerics, n_energies)
            total += val
            var += err * err
    return total, math.sqrt(var)


def _node_seed(seed: int | None, j: int) -> int | None:
    """Independent seed of energy node j (node 0 keeps ``seed``)."""
    return None if seed is None else seed + NODE_SEED_STRIDE * j


def _channel_yield(cfg: ExperimentConfig, proc: Process, n0: float, numerics: Numerics,
                   n_energies: int) -> tuple[float, float]:
    """Yield of one channel on one element with n0 atoms per cm^2 per X0."""
    cuts = cfg.cuts()
    if cfg.mode == "thin" or cfg.muon_beam:
        sig, err = cached_cross_section(proc, "etl", cuts, numerics)
        fac = n0 * cfg.thickness_x0 * PB_TO_CM2
        return sig * fac, err * fac
    energies = energy_nodes(cfg, proc.m_phi, n_energies, proc.final_lepton, proc.target.name)
    node_sig, node_err = np.zeros(len(energies)), np.zeros(len(energies))
    for j, e in enumerate(energies):
        # nodes where the selection keeps little get a capped effort: their absolute error is
        # small compared with the yield, and it is propagated below. Each node has its own
        # seed: with one seed for all, their fluctuations were correlated and the quadrature
        # sum understated the error by ~2x.
        node = numerics.with_(seed=_node_seed(numerics.seed, j), max_evals=NODE_MAX_EVALS)
        node_sig[j], node_err[j] = cached_cross_section(proc.with_(energy=float(e)), "etl",
                                                        cuts, node)
    w = track_length_weights(cfg.energy, energies, cfg.thickness_x0)
    fac = n0 * PB_TO_CM2
    return (float(np.sum(w * node_sig)) * fac,
            float(math.sqrt(np.sum((w * node_err) ** 2))) * fac)


def signal_channels(cfg: ExperimentConfig, pattern: Couplings | CouplingMatrix) -> list[str]:
    """The set-up's outgoing flavours (`ExperimentConfig.channels()`) that the coupling
    pattern produces from the beam (a non-zero vertex)."""
    matrix = as_matrix(pattern)
    return [f for f in cfg.channels(pattern) if matrix.vertex(cfg.beam_flavour, f).norm2 > 0]


__all__ = ["NODE_MAX_EVALS", "NODE_SEED_STRIDE", "Conversion", "signal_channels",
           "yield_per_eot_unit"]


def __dir__() -> list[str]:
    return __all__
