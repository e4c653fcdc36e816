"""CLI: ``leptoportal yield``, ``leptoportal limit``, ``leptoportal experiments`` (SPEC 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leptoportal.cli import (
    CouplingOpt,
    CpOpt,
    CsOpt,
    JsonOpt,
    app,
    emit,
    emit_points,
    parse_float_list,
    resolve_couplings,
    stdout,
)
from leptoportal.errors import InputError
from leptoportal.model import DarkSector, Portal

ExperimentOpt = Annotated[
    str | None, typer.Option("--experiment", help="Preset name (see `leptoportal experiments`).")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="YAML config (experiment: NAME + overrides).")
]
EotOpt = Annotated[float | None, typer.Option("--eot", help="Beam leptons on target.")]
EfficiencyOpt = Annotated[float | None, typer.Option("--efficiency", help="Signal eff.")]
BrInvOpt = Annotated[
    float | None, typer.Option("--br-invisible", help="Fix Br(phi -> invisible).")
]
AlphaDarkBrOpt = Annotated[
    float | None, typer.Option("--alpha-dark", help="alpha_D for Br_inv (default 0.1).")
]
PrecisionOpt = Annotated[float, typer.Option("--precision", help="ETL precision.")]


def _cut_text(p: dict) -> str:
    parts = []
    for key, label, op in (("e_conv_min", "E_conv", ">"), ("e_out_min", "E_out", ">"),
                           ("e_out_max", "E_out", "<"), ("theta_out_max", "th_out", "<"),
                           ("e_phi_min", "E_phi", ">")):
        if p.get(key):
            parts.append(f"{label}{op}{p[key]:g}")
    return " ".join(parts) or "-"


@app.command("experiments")
def cmd_experiments(as_json: JsonOpt = False) -> None:
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


@app.command("yield")
def cmd_yield(
    m_phi: Annotated[float, typer.Option("--m-phi", help="phi mass in GeV.")],
    h: Annotated[float | None, typer.Option("--h", help="Coupling h_emu.")] = None,
    experiment: ExperimentOpt = None,
    config: ConfigOpt = None,
    beam: Annotated[str | None, typer.Option("--beam", help="e- | mu- (custom set-up).")] = None,
    energy: Annotated[float | None, typer.Option("--energy", help="E0 in GeV.")] = None,
    target: Annotated[str | None, typer.Option("--target", help="Target material.")] = None,
    thickness_x0: Annotated[
        float | None, typer.Option("--thickness-x0", help="Thickness in X0.")
    ] = None,
    mode: Annotated[str | None, typer.Option("--mode", help="thick | thin.")] = None,
    eot: EotOpt = None,
    e_conv_min: Annotated[
        float | None, typer.Option("--e-conv-min", help="Min. converting-lepton energy.")
    ] = None,
    efficiency: EfficiencyOpt = None,
    br_inv: BrInvOpt = None,
    alpha_dark: AlphaDarkBrOpt = None,
    coupling: CouplingOpt = "chiral",
    cs: CsOpt = None,
    cp: CpOpt = None,
    precision: PrecisionOpt = 0.01,
    as_json: JsonOpt = False,
) -> None:
    """Expected signal events for a preset or a custom thin/thick target."""
    from leptoportal import experiments as ex

    overrides = {"eot": eot, "e_conv_min": e_conv_min, "efficiency": efficiency}
    cfg = ex.resolve_config(experiment, config, **overrides)
    if cfg is None:
        if beam is None or energy is None or target is None or thickness_x0 is None:
            raise InputError("give --experiment NAME, or --beam, --energy, --target and "
                             "--thickness-x0")
        custom_mode = mode or ("thin" if thickness_x0 < 0.3 or beam == "mu-" else "thick")
        cfg = ex.make_config({"name": "custom", "beam": beam, "energy": energy,
                              "target": target, "thickness_x0": thickness_x0,
                              "mode": custom_mode}, **overrides)
    portal = Portal(m_phi, resolve_couplings(h, coupling, cs, cp))
    dark = DarkSector.benchmark(portal.m_phi, alpha_dark=alpha_dark) if alpha_dark else None
    res = ex.signal_yield(cfg, portal, dark, br_inv, precision=precision)
    emit({**res.as_dict(), "h": h}, as_json, f"signal yield ({cfg.name})")


@app.command("limit")
def cmd_limit(
    m_phi: Annotated[str, typer.Option("--m-phi", help="Masses in GeV: M[,M...].")],
    experiment: ExperimentOpt = None,
    config: ConfigOpt = None,
    n_obs: Annotated[int | None, typer.Option("--n-obs", help="Observed events.")] = None,
    background: Annotated[
        float | None, typer.Option("--background", help="Expected background.")
    ] = None,
    eot: EotOpt = None,
    efficiency: EfficiencyOpt = None,
    method: Annotated[str, typer.Option("--method", help="cls | fc | classical.")] = "cls",
    cl: Annotated[float, typer.Option("--cl", help="Confidence level.")] = 0.9,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Expected limit: n_obs = background.")
    ] = False,
    br_inv: BrInvOpt = None,
    alpha_dark: AlphaDarkBrOpt = None,
    coupling: CouplingOpt = "chiral",
    precision: PrecisionOpt = 0.01,
    as_json: JsonOpt = False,
) -> None:
    """90% CL (default) upper limits on h_emu versus m_phi for an experiment."""
    from leptoportal import experiments as ex
    from leptoportal.cli_progress import progress_bar
    from leptoportal.stats import METHODS

    if method not in METHODS:
        raise InputError(f"method = {method!r} is not one of: {', '.join(METHODS)}")
    masses = parse_float_list("m_phi", m_phi)
    cfg = ex.resolve_config(experiment, config, n_obs=n_obs, background=background, eot=eot,
                  efficiency=efficiency)
    if cfg is None:
        raise InputError("give --experiment NAME or --config FILE")
    if sensitivity:
        cfg = ex.make_config(cfg.model_dump(), n_obs=round(cfg.background))
    pattern = resolve_couplings(None, coupling, None, None, need_h=False)
    with progress_bar("limit scan", len(masses), enabled=not as_json) as advance:
        points = ex.limit_scan(cfg, masses, method, cl, pattern, alpha_dark, br_inv,
                               precision, progress=advance)
    extra = {"experiment": cfg.name, "method": method, "cl": cl, "n_obs": cfg.n_obs,
             "background": cfg.background, "eot": cfg.eot,
             "alpha_dark": alpha_dark if alpha_dark is not None else ex.DEFAULT_ALPHA_DARK,
             "br_invisible": br_inv}
    emit_points(points, as_json, extra, f"limits ({cfg.name})")
