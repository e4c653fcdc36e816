"""Signal yields of a model point at an experiment.

Yield for N_EOT beam leptons, per target atom column n0 = N_A X0 / A (atoms/cm^2 per X0):

* thin target of T radiation lengths: N = N_EOT n0 T sigma_sel(E0) eff Br_inv;
* thick electron target (active ECAL): N = N_EOT n0 Int_0^T dt Int dE I_e(E0, E, t)
  sigma_sel(E) eff Br_inv with Tsai's track length (:mod:`~.tracklength`);
* muon beams: energy loss neglected, thin target of the full length;
* positive beams with ``resonant``: plus the annihilation l+ e- -> phi on the target's
  electrons (:mod:`~.resonant`), computed at the model point; a beam-energy scan
  (``energy_scan``) sums the runs.

sigma_sel(E) is the ETL cross-section of the events that pass the preset's cuts on the
outgoing lepton (energy, angle) and on E_phi: the selection acts on the event-level integrand
of the production module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from leptoportal import decays
from leptoportal.constants import LEPTON_MASS, M_E, PB_TO_CM2
from leptoportal.errors import InputError
from leptoportal.experiments.presets import ExperimentConfig
from leptoportal.experiments.resonant import resonant_yield
from leptoportal.experiments.tracklength import (
    N_ENERGY_NODES,
    energy_nodes,
    track_length_weights,
)
from leptoportal.model import (
    CouplingMatrix,
    Couplings,
    DarkSector,
    Portal,
    as_matrix,
    validate_m_phi,
)
from leptoportal.production import Process, cached_cross_section
from leptoportal.production.resonance import RESONANT_BEAMS, Resonance

#: effort cap (integrand evaluations) per energy node of a thick-target yield
NODE_MAX_EVALS = 300_000


@dataclass
class YieldResult:
    """Expected signal events with their Monte-Carlo error and the inputs behind them."""

    n_signal: float
    n_signal_err: float
    per_eot: float
    eot: float
    m_phi: float
    br_invisible: float
    efficiency: float
    details: dict

    def as_dict(self) -> dict:
        return {"n_signal": self.n_signal, "n_signal_err": self.n_signal_err,
                "per_eot": self.per_eot, "eot": self.eot, "m_phi": self.m_phi,
                "br_invisible": self.br_invisible, "efficiency": self.efficiency,
                **self.details}


def yield_per_eot_unit(cfg: ExperimentConfig, m_phi: float,
                       pattern: Couplings | CouplingMatrix | None = None,
                       precision: float = 0.01, seed: int = 1,
                       n_energies: int = N_ENERGY_NODES, cache: bool = True
                       ) -> tuple[float, float]:
    """Selected signal per beam lepton for unit couplings (h = 1), before eff and Br_inv,
    summed over the preset's channels (outgoing lepton flavours with a non-zero vertex) and
    over the elements of the target material.

    Returns (value, Monte-Carlo error). ``cache=False`` bypasses the on-disk cross-section
    cache. Example: ``yield_per_eot_unit(get_preset("na64mu"), 0.3)``.
    """
    pattern = pattern or Couplings.chiral(1.0)
    m_phi = validate_m_phi(m_phi, as_matrix(pattern))
    total, var = 0.0, 0.0
    for final in cfg.channels():
        for element, n0 in cfg.element_columns():
            proc = Process(cfg.beam, cfg.energy, element, m_phi, pattern, final_lepton=final)
            if proc.vertex.norm2 == 0:
                break
            val, err = _channel_yield(cfg, proc, n0, precision, seed, n_energies, cache)
            total += val
            var += err * err
    return total, math.sqrt(var)


def _node_seed(seed: int | None, j: int) -> int | None:
    """Independent seed of energy node j (node 0 keeps ``seed``)."""
    return None if seed is None else seed + 7919 * j


def _channel_yield(cfg: ExperimentConfig, proc: Process, n0: float, precision: float,
                   seed: int, n_energies: int, cache: bool) -> tuple[float, float]:
    """Yield of one channel on one element with n0 atoms per cm^2 per X0."""
    cuts = cfg.cuts()
    if cfg.mode == "thin" or cfg.muon_beam:
        sig, err = cached_cross_section(proc, "etl", cuts, precision, seed, cache)
        fac = n0 * cfg.thickness_x0 * PB_TO_CM2
        return sig * fac, err * fac
    energies = energy_nodes(cfg, proc.m_phi, n_energies, proc.final_lepton, proc.couplings,
                            proc.target.name)
    sig = np.zeros(len(energies))
    err = np.zeros(len(energies))
    for j, e in enumerate(energies):
        # nodes where the selection keeps little get a capped effort: their absolute error is
        # small compared with the yield, and it is propagated below. Each node has its own
        # seed: with one seed for all, their fluctuations were correlated and the quadrature
        # sum understated the error by ~2x.
        sig[j], err[j] = cached_cross_section(proc.with_(energy=float(e)), "etl", cuts,
                                              precision, _node_seed(seed, j), cache,
                                              max_evals=NODE_MAX_EVALS)
    w = track_length_weights(cfg.energy, energies, cfg.thickness_x0)
    fac = n0 * PB_TO_CM2
    return float(np.sum(w * sig)) * fac, float(math.sqrt(np.sum((w * err) ** 2))) * fac


def br_invisible(portal: Portal, dark: DarkSector | None, fixed: float | None) -> float:
    """Br(phi -> invisible): ``fixed`` if given (checked to lie in [0, 1]), else from the
    widths with ``dark``."""
    if fixed is not None:
        if not (0.0 <= fixed <= 1.0):
            raise InputError(f"br_invisible = {fixed!r} is outside the allowed range [0, 1]")
        return float(fixed)
    return decays.widths(portal, dark).br_invisible


def signal_yield(cfg: ExperimentConfig, portal: Portal, dark: DarkSector | None = None,
                 br_inv: float | None = None, precision: float = 0.01,
                 seed: int = 1, cache: bool = True) -> YieldResult:
    """Expected signal events for a model point (Br_inv from the decays module unless fixed).

    ``dark``: the dark sector (default: the benchmark, :meth:`DarkSector.default`). The
    conversion cross-sections are computed (and cached unless ``cache=False``) for the
    unit-normalised coupling pattern and scaled by h^2 = 2(|C_S|^2 + |C_P|^2); the resonance
    on atomic electrons (``cfg.resonant``, positive beams) is computed at the model point.
    Example: ``signal_yield(get_preset("na64mu"), Portal.from_kind(0.3, 1e-3)).n_signal``.
    """
    h2 = 2.0 * portal.couplings.norm2
    if h2 <= 0:
        raise InputError("couplings are zero: no signal")
    dark = dark if dark is not None else DarkSector.default(portal.m_phi)
    w = decays.widths(portal, dark)
    br = br_invisible(portal, None, br_inv) if br_inv is not None else w.br_invisible
    eff = cfg.efficiency_at(portal.m_phi)
    # phi carries a sizeable fraction of E0: check the decay at E0/2 against the detector
    prompt = decays.warn_if_not_prompt(w, 0.5 * cfg.energy, cfg.detector_length_m)
    if not (cfg.resonant or cfg.energy_scan):
        pattern = portal.couplings.scaled(1.0 / math.sqrt(h2))
        unit, unit_err = yield_per_eot_unit(cfg, portal.m_phi, pattern, precision, seed,
                                            cache=cache)
        unit, unit_err = unit * h2, unit_err * h2
        per = unit * eff * br
        return YieldResult(per * cfg.eot, unit_err * eff * br * cfg.eot, per, cfg.eot,
                           portal.m_phi, br, eff,
                           {"experiment": cfg.name, "prompt_decay": bool(prompt)})
    conv, conv_err = conversion_events_unit(cfg, portal, precision, seed, cache)
    conv, conv_err = conv * h2 * eff * br, conv_err * h2 * eff * br
    res = resonant_events(cfg, portal, dark, br_inv) * eff
    eot = cfg.total_eot
    return YieldResult(conv + res, conv_err, (conv + res) / eot, eot, portal.m_phi, br, eff,
                       {"experiment": cfg.name, "prompt_decay": bool(prompt),
                        "n_conversion": conv, "n_resonant": res})


def conversion_events_unit(cfg: ExperimentConfig, portal: Portal, precision: float = 0.01,
                           seed: int = 1, cache: bool = True) -> tuple[float, float]:
    """Conversion events (l N -> l' N phi) of all runs for unit couplings h = 1 of the
    portal's pattern, before efficiency and Br_inv: (value, Monte-Carlo error); (0, 0) when
    the set-up has no conversion channel."""
    if not cfg.conversion:
        return 0.0, 0.0
    h2 = 2.0 * portal.couplings.norm2
    pattern = portal.couplings.scaled(1.0 / math.sqrt(h2))
    total, var = 0.0, 0.0
    for energy, n in cfg.beam_points():
        run = cfg if energy == cfg.energy else cfg.model_copy(update={"energy": energy})
        unit, err = yield_per_eot_unit(run, portal.m_phi, pattern, precision, seed,
                                       cache=cache)
        total += n * unit
        var += (n * err) ** 2
    return total, math.sqrt(var)


def resonant_events(cfg: ExperimentConfig, portal: Portal, dark: DarkSector | None,
                    br_inv: float | None = None) -> float:
    """Resonant l+ e- -> phi events of all runs that decay invisibly (exact line shape with
    the running invisible width; with ``br_inv`` fixed: all final states times br_inv),
    before the efficiency; 0 when the set-up has no resonant channel."""
    if not cfg.resonant:
        return 0.0
    flavour = RESONANT_BEAMS[cfg.beam]
    if (as_matrix(portal.couplings).vertex("e", flavour).norm2 == 0
            or portal.m_phi <= LEPTON_MASS[flavour] + M_E):
        return 0.0  # no e-l coupling, or below the l+ e- threshold
    res = Resonance(cfg.beam, portal.m_phi, portal.couplings, dark, cfg.polarisation)
    final = "all" if br_inv is not None else "invisible"
    total = sum(n * resonant_yield(res, cfg.target, energy, cfg.thickness_x0,
                                   cfg.beam_energy_spread, final, cfg.electron_motion)
                for energy, n in cfg.beam_points())
    return total * (br_inv if br_inv is not None else 1.0)
