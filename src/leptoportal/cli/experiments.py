"""Commands ``experiments``, ``yield`` and ``limit``: presets, signal yields, coupling limits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leptoportal.cli._options import (
    AlphaDark,
    BeamSpread,
    BrInv,
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
    parse_energy_scan,
    parse_float_list,
    read_couplings_file,
)
from leptoportal.cli._output import emit, emit_points, progress_bar, stdout
from leptoportal.errors import InputError
from leptoportal.model import DEFAULT_ALPHA_DARK


def _config_mapping(config: Path | None) -> dict | None:
    from leptoportal.experiments import read_config_file

    return read_config_file(config) if config is not None else None


def _given(fields: dict) -> dict:
    """The experiment fields given on the command line (None: not given)."""
    return {k: v for k, v in fields.items() if v is not None}


def _resonance_fields(spread, polarisation, energy_scan, electron_motion) -> dict:
    """The experiment fields of the resonance flags (shared by yield and limit)."""
    return {"beam_energy_spread": spread, "polarisation": polarisation,
            "energy_scan": parse_energy_scan(energy_scan), "electron_motion": electron_motion}


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
    from leptoportal import experiments as ex

    presets = {n: ex.get_preset(n).model_dump() for n in ex.preset_names()}
    if as_json:
        emit({"experiments": presets}, True)
        return
    from rich.table import Table

    table = Table(title="experiment presets")
    for col in ("name", "beam", "E0 [GeV]", "target", "T [X0]", "mode", "EOT", "cuts",
                "n_obs", "b", "projection"):
        table.add_column(col)
    for n, p in presets.items():
        table.add_row(n, p["beam"], f"{p['energy']:g}", p["target"], f"{p['thickness_x0']:g}",
                      p["mode"], f"{p['eot']:.3g}", _cut_text(p), str(p["n_obs"]),
                      f"{p['background']:g}", "yes" if p["projection"] else "no")
    stdout.print(table)
    for n, p in presets.items():
        stdout.print(f"[bold]{n}[/bold]: {p['description']}")
        for k, v in p["sources"].items():
            stdout.print(f"  source {k}: {v}", markup=False)
        for a in p["assumptions"]:
            stdout.print(f"  assumption: {a}", markup=False)


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
    br_inv: BrInv = None,
    alpha_dark: AlphaDark = None,
    coupling: Coupling = "chiral",
    cs: Cs = None,
    cp: Cp = None,
    precision: Precision = 0.01,
    no_cache: NoCache = False,
    model: Model = None,
    couplings: CouplingsFile = None,
    as_json: Json = False,
) -> None:
    """Expected signal events for a preset or a custom thin/thick target."""
    from leptoportal import tasks

    fields = _given({"beam": beam, "energy": energy, "target": target,
                     "thickness_x0": thickness_x0, "mode": mode, "eot": eot,
                     "e_conv_min": e_conv_min, "efficiency": efficiency,
                     **_resonance_fields(beam_energy_spread, polarisation, energy_scan,
                                         electron_motion)})
    res = tasks.signal_yield(m_phi, h, experiment, _config_mapping(config), coupling, cs, cp,
                             alpha_dark, br_inv, precision, cache=not no_cache, model=model,
                             couplings=read_couplings_file(couplings), **fields)
    emit(res, as_json, f"signal yield ({res['experiment']})")


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
    br_inv: BrInv = None,
    alpha_dark: AlphaDark = None,
    coupling: Coupling = "chiral",
    precision: Precision = 0.01,
    no_cache: NoCache = False,
    model: Model = None,
    couplings: CouplingsFile = None,
    as_json: Json = False,
) -> None:
    """Upper limits (90% CL by default) on h versus m_phi for an experiment (h normalises
    the coupling pattern, named model or coupling matrix)."""
    from leptoportal import tasks
    from leptoportal.stats import METHODS

    if method not in METHODS:
        raise InputError(f"method = {method!r} is not one of: {', '.join(METHODS)}")
    masses = parse_float_list("m_phi", m_phi)
    mapping = _config_mapping(config)
    matrix = read_couplings_file(couplings)
    fields = _given({"n_obs": n_obs, "background": background, "eot": eot,
                     "efficiency": efficiency,
                     **_resonance_fields(beam_energy_spread, polarisation, energy_scan,
                                         electron_motion)})
    cfg = tasks.limit_config(experiment, mapping, sensitivity, **fields)
    points = []
    with progress_bar("limit scan", len(masses), enabled=not as_json) as advance:
        for i, m in enumerate(masses):
            points.append(tasks.limit(m, experiment, mapping, method, cl, sensitivity,
                                      coupling, alpha_dark, br_inv, precision,
                                      cache=not no_cache, model=model, couplings=matrix,
                                      **fields))
            advance(i + 1, len(masses))
    extra = {"experiment": cfg.name, "method": method, "cl": cl, "n_obs": cfg.n_obs,
             "background": cfg.background, "eot": cfg.total_eot,
             "alpha_dark": alpha_dark if alpha_dark is not None else DEFAULT_ALPHA_DARK,
             "br_invisible": br_inv, "model": model or ("couplings file" if matrix else
                                                         coupling)}
    emit_points(points, as_json, extra, f"limits ({cfg.name})")
