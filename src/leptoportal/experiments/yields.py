"""Signal yields of a model point at an experiment.

Yield for N_EOT beam leptons, per target atom column n0 = N_A X0 / A (atoms/cm^2 per X0):

* thin target of T radiation lengths: N = N_EOT n0 T sigma_sel(E0) eff Br_inv;
* thick electron target (active ECAL): N = N_EOT n0 Int_0^T dt Int dE I_e(E0, E, t)
  sigma_sel(E) eff Br_inv with Tsai's track length (`tracklength`);
* muon beams: energy loss neglected, thin target of the full length;
* positive beams with ``resonant``: plus the annihilation l+ e- -> phi on the target's
  electrons (`resonant`), computed at the model point; a beam-energy scan
  (``energy_scan``) sums the runs.

sigma_sel(E) is the ETL cross-section of the events that pass the set-up's cuts on the
outgoing lepton (energy, angle) and on E_phi: the selection acts on the event-level integrand
of the production module. The conversion cross-sections scale exactly as h^2: they are
computed (and cached) once for the coupling pattern of the `ModelPoint`
and multiplied by h^2.

Example:

    point = ModelPoint(0.3, Couplings.chiral(1.0), h=1e-3, dark=DarkSector.default(0.3))
    signal_yield(get_preset("na64mu"), point).n_signal
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from leptoportal import decays, defaults
from leptoportal.constants import LEPTON_MASS, M_E, PB_TO_CM2
from leptoportal.errors import DomainError
from leptoportal.experiments.presets import ExperimentConfig
from leptoportal.experiments.resonant import resonant_yield, shower_positron_yield
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
from leptoportal.production.resonance import RESONANT_BEAMS, Resonance
from leptoportal.production.xsec import cached_cross_section
from leptoportal.results import Result, quantity

#: requested relative MC error of the cross-sections behind a yield (`leptoportal.defaults`)
YIELD_PRECISION = defaults.PRECISION["yield"]
#: effort cap (integrand evaluations) per energy node of a thick-target yield
NODE_MAX_EVALS = 300_000
#: the seed of energy node j is seed + NODE_SEED_STRIDE j (independent streams per node)
NODE_SEED_STRIDE = 7919


@dataclass
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
    n_conversion: float | None = quantity("events", "conversion events (l N -> l' N phi)",
                                          optional=True)
    n_resonant: float | None = quantity("events", "resonant events (l+ e- -> phi)",
                                        optional=True)
    h: float = quantity("", "coupling normalisation h", default=1.0)


def default_numerics(numerics: Numerics | None) -> Numerics:
    """The settings of a yield: ``numerics``, or the defaults at `YIELD_PRECISION`."""
    return numerics if numerics is not None else Numerics(precision=YIELD_PRECISION)


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

    Example: ``yield_per_eot_unit(get_preset("na64mu"), 0.3)``.
    """
    numerics = default_numerics(numerics)
    pattern = pattern or default_pattern()
    m_phi = validate_m_phi(m_phi, as_matrix(pattern))
    channels = signal_channels(cfg, pattern)
    if not channels:
        raise _no_signal(cfg, pattern)
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


def _no_signal(cfg: ExperimentConfig, pattern) -> DomainError:
    pairs = ", ".join(f"{cfg.beam_flavour}-{f}" for f in cfg.channels(pattern)) or "none"
    extra = (f" or e-{RESONANT_BEAMS[cfg.beam]} (resonance)" if cfg.resonant else "")
    extra += " or e-e (shower positrons)" if cfg.shower_positrons else ""
    return DomainError(f"the couplings {describe_couplings(pattern)} give no signal at "
                       f"{cfg.name}: its signature needs the pair {pairs}{extra}, whose "
                       "coupling is zero", parameters=("model", "couplings", "experiment"))


def require_signal(cfg: ExperimentConfig, pattern: Couplings | CouplingMatrix) -> None:
    """A `DomainError` naming the flavour pair and the couplings
    when the pattern gives the set-up no signal (never a silent zero)."""
    conversion = cfg.conversion and signal_channels(cfg, pattern)
    resonance = cfg.resonant and as_matrix(pattern).vertex(
        "e", RESONANT_BEAMS[cfg.beam]).norm2 > 0
    showers = cfg.shower_positrons and as_matrix(pattern).vertex("e", "e").norm2 > 0
    if not (conversion or resonance or showers):
        raise _no_signal(cfg, pattern)


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

    The conversion cross-sections are computed (and cached) for the pattern at h = 1 and
    scaled by h^2; the resonance on atomic electrons (``cfg.resonant``, positive beams) is
    computed at the point.

    >>> from leptoportal.experiments import get_preset
    >>> from leptoportal.model import DarkSector
    >>> point = ModelPoint(0.3, h=1e-3, dark=DarkSector.default(0.3))
    >>> y = signal_yield(get_preset("na64mu"), point, Numerics(precision=0.05))
    >>> 15 < y.n_signal < 20, y.experiment
    (True, 'na64mu')
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
    if not (cfg.resonant or cfg.energy_scan or cfg.shower_positrons):
        unit, unit_err = yield_per_eot_unit(cfg, point.m_phi, point.pattern, numerics)
        per = unit * h2 * eff * br
        return YieldResult(per * cfg.eot, unit_err * h2 * eff * br * cfg.eot, per, cfg.eot,
                           point.m_phi, br, eff, cfg.name, bool(prompt), h=point.h)
    conv, conv_err = conversion_events_unit(cfg, point, numerics)
    conv, conv_err = conv * h2 * eff * br, conv_err * h2 * eff * br
    res = resonant_events(cfg, point) * eff
    if cfg.shower_positrons:  # the Monte-Carlo error of the shower table
        conv_err = math.hypot(conv_err, shower_events(cfg, point)[1] * eff)
    eot = cfg.total_eot
    return YieldResult(conv + res, conv_err, (conv + res) / eot, eot, point.m_phi, br, eff,
                       cfg.name, bool(prompt), n_conversion=conv, n_resonant=res, h=point.h)


def conversion_events_unit(cfg: ExperimentConfig, point: ModelPoint,
                           numerics: Numerics | None = None) -> tuple[float, float]:
    """Conversion events (l N -> l' N phi) of all runs for the point's pattern at h = 1,
    before efficiency and Br_inv: (value, Monte-Carlo error); (0, 0) when the set-up has no
    conversion channel."""
    if not (cfg.conversion and signal_channels(cfg, point.pattern)):
        return 0.0, 0.0
    total, var = 0.0, 0.0
    for energy, n in cfg.beam_points():
        run = cfg if energy == cfg.energy else cfg.model_copy(update={"energy": energy})
        unit, err = yield_per_eot_unit(run, point.m_phi, point.pattern, numerics)
        total += n * unit
        var += (n * err) ** 2
    return total, math.sqrt(var)


def resonant_events(cfg: ExperimentConfig, point: ModelPoint) -> float:
    """Resonant l+ e- -> phi events of all runs that decay invisibly (exact line shape with
    the running invisible width; with the point's ``br_invisible`` fixed: all final states
    times it), before the efficiency; 0 when the set-up has no resonant channel."""
    if cfg.shower_positrons:
        return shower_events(cfg, point)[0]
    if not cfg.resonant:
        return 0.0
    flavour = RESONANT_BEAMS[cfg.beam]
    if (point.matrix.vertex("e", flavour).norm2 == 0
            or point.m_phi <= LEPTON_MASS[flavour] + M_E):
        return 0.0  # no e-l coupling, or below the l+ e- threshold
    res = Resonance(cfg.beam, point.m_phi, point.couplings, point.dark, cfg.polarisation)
    fixed = point.br_invisible
    final = "all" if fixed is not None else "invisible"
    total = 0.0
    for energy, n in cfg.beam_points():
        total += n * resonant_yield(res, cfg.target, energy, cfg.thickness_x0,
                                    cfg.beam_energy_spread, final, cfg.electron_motion)
    return total * (fixed if fixed is not None else 1.0)


def shower_events(cfg: ExperimentConfig, point: ModelPoint) -> tuple[float, float]:
    """Resonant e+ e- -> phi events of the shower positrons of an electron beam that decay
    invisibly (as `resonant_events()`), with the scalar's energy above the set-up's
    e_conv_min (its missing energy); 0 without an electron-diagonal coupling or below the
    e+ e- threshold; returned with their Monte-Carlo error (of the shower table)."""
    if point.matrix.vertex("e", "e").norm2 == 0 or point.m_phi <= 2.0 * M_E:
        return 0.0, 0.0
    res = Resonance("e+", point.m_phi, point.couplings, point.dark)
    fixed = point.br_invisible
    final = "all" if fixed is not None else "invisible"
    total = total_err = 0.0
    for energy, n in cfg.beam_points():
        value, err = shower_positron_yield(res, cfg.target, energy, cfg.thickness_x0,
                                           max(cfg.e_conv_min, cfg.e_phi_min), final,
                                           cfg.electron_motion)
        total, total_err = total + n * value, total_err + n * err
    scale = fixed if fixed is not None else 1.0
    return total * scale, total_err * scale


__all__ = [
    "NODE_MAX_EVALS", "NODE_SEED_STRIDE", "YIELD_PRECISION", "conversion_events_unit",
    "default_numerics", "invisible_fraction", "require_signal", "resonant_events", "shower_events",
    "signal_channels", "signal_yield", "yield_per_eot_unit", "YieldResult",
]


def __dir__() -> list[str]:
    return __all__
