"""Commands ``experiments``, ``yield`` and ``limit``: presets, signal yields, coupling limits."""

from __future__ import annotations

from typing import Annotated

import typer

from leptoportal.cli._options import (
    AlphaDark,
    BeamSpread,
    BrInvisible,
    Config,
    Coupling,
    CouplingsFile,
    Cp,
    Cs,
    Efficiency,
    ElectronMotion,
    EnergyScan,
    Eot,
    Experiment,
    H,
    Json,
    Model,
    MPhi,
    MPhiList,
    NoCache,
    Polarisation,
    Precision,
)
from leptoportal.cli._output import emit, say, stdout
from leptoportal.cli._run import run_one, run_points
from leptoportal.model import DEFAULT_COUPLING


def _cut_text(p: dict) -> str:
    parts = []
    for key, label, op in (("e_conv_min", "E_conv", ">"), ("e_out_min", "E_out", ">"),
                           ("e_out_max", "E_out", "<"), ("theta_out_max", "th_out", "<"),
                           ("e_phi_min", "E_phi", ">")):
        if p.get(key):
            parts.append(f"{label}{op}{p[key]:g}")
    return " ".join(parts) or "-"


def experiments(as_json: Json = False) -> None:
    """List the experiment presets with their numbers and references."""
    from rich.table import Table
    from rich.text import Text

    from leptoportal import experiments as ex

    presets = {n: ex.get_preset(n).model_dump() for n in ex.preset_names()}
    if as_json:
        emit({"experiments": presets}, True)
        return
    table = Table(title="experiment presets")
    for col in ("name", "beam", "E0 [GeV]", "target", "T [X0]", "mode", "EOT", "cuts",
                "n_obs", "b", "projection"):
        table.add_column(col)
    for n, p in presets.items():
        table.add_row(*map(Text, (n, p["beam"], f"{p['energy']:g}", str(p["target"]),
                                  f"{p['thickness_x0']:g}", p["mode"], f"{p['eot']:.3g}",
                                  _cut_text(p), str(p["n_obs"]), f"{p['background']:g}",
                                  "yes" if p["projection"] else "no")))
    stdout.print(table)
    for n, p in presets.items():
        say(f"{n}: {p['description']}")
        for k, v in p["sources"].items():
            say(f"  source {k}: {v}")
        for a in p["assumptions"]:
            say(f"  assumption: {a}")


def yield_(
    m_phi: MPhi,
    h: H = None,
    experiment: Experiment = None,
    config: Config = None,
    beam: Annotated[str | None, typer.Option("--beam", help="e- | e+ | mu- | mu+ (overrides "
                                             "the preset).")] = None,
    energy: Annotated[float | None, typer.Option("--energy", help="E0 in GeV.")] = None,
    target: Annotated[str | None, typer.Option("--target", help="Target material.")] = None,
    thickness_x0: Annotated[
        float | None, typer.Option("--thickness-x0", help="Thickness in X0.")
    ] = None,
    mode: Annotated[str | None, typer.Option("--mode", help="thick | thin.")] = None,
    eot: Eot = None,
    e_conv_min: Annotated[
        float | None, typer.Option("--e-conv-min", help="Min. converting-lepton energy (GeV).")
    ] = None,
    efficiency: Efficiency = None,
    beam_energy_spread: BeamSpread = None,
    polarisation: Polarisation = None,
    energy_scan: EnergyScan = None,
    electron_motion: ElectronMotion = None,
    br_invisible: BrInvisible = None,
    alpha_dark: AlphaDark = None,
    coupling: Coupling = DEFAULT_COUPLING,
    cs: Cs = None,
    cp: Cp = None,
    precision: Precision = 0.01,
    no_cache: NoCache = False,
    model: Model = None,
    couplings: CouplingsFile = None,
    as_json: Json = False,
) -> None:
    """Expected signal events for a preset or a custom thin/thick target."""
    run_one("yield", locals())


def _limit_header(req) -> dict:
    from leptoportal import tasks

    return tasks.limit_setup(req)


def limit(
    m_phi: MPhiList,
    experiment: Experiment = None,
    config: Config = None,
    n_obs: Annotated[int | None, typer.Option("--n-obs", help="Observed events.")] = None,
    background: Annotated[
        float | None, typer.Option("--background", help="Expected background events.")
    ] = None,
    eot: Eot = None,
    efficiency: Efficiency = None,
    beam_energy_spread: BeamSpread = None,
    polarisation: Polarisation = None,
    energy_scan: EnergyScan = None,
    electron_motion: ElectronMotion = None,
    method: Annotated[str, typer.Option("--method", help="cls | fc | classical.")] = "cls",
    cl: Annotated[float, typer.Option("--cl", help="Confidence level.")] = 0.9,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", metavar="", help="Expected limit: n_obs = background.")
    ] = False,
    br_invisible: BrInvisible = None,
    alpha_dark: AlphaDark = None,
    coupling: Coupling = DEFAULT_COUPLING,
    precision: Precision = 0.01,
    no_cache: NoCache = False,
    model: Model = None,
    couplings: CouplingsFile = None,
    as_json: Json = False,
) -> None:
    """Upper limits (90% CL by default) on h versus m_phi for an experiment (h normalises
    the coupling pattern, named model or coupling matrix)."""
    run_points("limit", locals(), _limit_header, "limits")
