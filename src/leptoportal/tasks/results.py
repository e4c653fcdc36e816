"""The results that the task boundary adds to those of the physics modules: an event run, and
what the points of a list share (the inputs printed once above the points of ``g2-band``,
``limit`` and ``relic-target``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leptoportal.results import Result, quantity


@dataclass(frozen=True)
class GenerateResult(Result):
    """An event file and the run that made it."""

    title = "event generation"

    out: str = quantity("", "the event file")
    format: str = quantity("", "lhe | lhe.gz | hepmc3 | parquet")
    n_events: int = quantity("", "unweighted events written")
    h: float = quantity("", "coupling normalisation h")
    sigma_pb: float = quantity("pb", "cross-section of the sample (per atom for a compound)")
    sigma_err_pb: float = quantity("pb", "its Monte-Carlo error")
    unweighting_efficiency: float = quantity("", "mean weight / maximum weight of the "
                                             "proposals (accepted / proposed events)")
    beam: str = quantity("", "beam lepton")
    energy: float = quantity("GeV", "beam energy E0 (thick target: the incident energy)")
    target: str = quantity("", "target element or material")
    m_phi: float = quantity("GeV", "phi mass")
    seed: int = quantity("", "random seed of the run")
    proposals: int = quantity("", "proposed events")
    w_max_raised: int = quantity("", "times the maximum weight was raised during the run "
                                 "(the events before are reweighted)")
    time_s: float = quantity("s", "wall time of the run")
    thick_target: str | None = quantity("", "the experiment whose thick target was sampled "
                                        "(null: a fixed energy)")
    track_length_above_emin_x0: float | None = quantity(
        "", "track length of the beam leptons above the lowest converting energy, in X0 "
        "(null: a fixed energy)")
    scalar: str = quantity("", "phi or phibar (the produced scalar)")
    cuts: dict[str, Any] = quantity(
        "", "the set-up's cuts every event passes, {observable: [lo, hi]} (GeV, rad; empty: "
        "none); sigma_pb is that of the selected events", default_factory=dict)
    elements: list[Any] | None = quantity("", "compound targets: per element the atom fraction, "
                                     "events and cross-section (pb)", optional=True)
    pythia_settings: str | None = quantity("", "LHE files: the Pythia 8 settings written "
                                           "beside it, which shower it as it is",
                                           optional=True)


@dataclass(frozen=True)
class BandInputs(Result):
    """What the points of ``g2-band`` share: the dataset and the coupling pattern."""

    title = "g-2 coupling band"

    dataset: str = quantity("", "muon g-2 dataset (fnal2021 | fnal2023 | fnal2025)")
    delta_a_mu: float = quantity("", "its Delta a_mu = a_mu(exp) - a_mu(SM)")
    sigma: float = quantity("", "its 1 sigma uncertainty")
    reference: str = quantity("", "the sources of a_mu(exp) and a_mu(SM)")
    coupling: str | dict[str, Any] | list[Any] = quantity(
        "", "the pattern that h multiplies: a named "
                                           "pattern or model, a matrix, or [C_S, C_P]")


@dataclass(frozen=True)
class LFVInputs(Result):
    """What the points of ``lfv`` share: the coupling matrix, its scale and the limits."""

    title = "charged lepton flavour violation"

    couplings: dict[str, Any] = quantity(
        "", "the coupling matrix at h = 1 (a named model or a file)")
    h: float = quantity("", "the scale that multiplies it")
    alpha_dark: float = quantity(
        "", "alpha_D of the dark sector (0: none)")
    limits: dict[str, Any] = quantity(
        "", "the packaged 90% CL limits: channel -> [limit, experiment]")


@dataclass(frozen=True)
class LimitSetup(Result):
    """What the points of ``limit`` share: the experiment, the statistics and the model."""

    title = "limits"

    experiment: str = quantity("", "preset or set-up name")
    method: str = quantity("", "cls | fc | classical")
    cl: float = quantity("", "confidence level")
    n_obs: int = quantity("", "observed events (the rounded background with --sensitivity)")
    background: float = quantity("", "expected background events")
    background_err: float = quantity("", "its 1 sigma uncertainty")
    eot: float = quantity("", "leptons on target (summed over an energy scan)")
    alpha_dark: float = quantity("", "alpha_D of the dark sector")
    br_invisible: float | None = quantity(
        "", "Br(phi -> invisible) if fixed, else null "
                                          "(from the widths)")
    model: str | dict[str, Any] | list[Any] = quantity(
        "", "the pattern that h multiplies: the set-up's "
                                        "model, a named model, a matrix or [C_S, C_P]")


@dataclass(frozen=True)
class TargetInputs(Result):
    """What the points of ``relic-target`` share: the target and the dark sector."""

    title = "thermal targets"

    target_omega_h2: float = quantity("", "Omega h^2 aimed at (Planck 2018)")
    ratio: float = quantity("", "m_phi / m_chi")
    table: str = quantity("", "g*(T) table")
    coupling: str | dict[str, Any] | list[Any] = quantity("", "the pattern that h multiplies")


@dataclass(frozen=True)
class ConstraintsInputs(Result):
    """What the points of ``constraints`` share: the coupling matrix, its scale and the dark
    sector (each bound carries its measurement)."""

    title = "bounds on the coupling matrix"

    couplings: dict[str, Any] = quantity(
        "", "the coupling matrix at h = 1 (a named model or a file)")
    h: float = quantity("", "the scale that multiplies it")
    alpha_dark: float = quantity("", "alpha_D of the dark sector (0: none)")


__all__ = ["BandInputs", "ConstraintsInputs", "GenerateResult", "LFVInputs", "LimitSetup",
           "TargetInputs"]


def __dir__() -> list[str]:
    return __all__
