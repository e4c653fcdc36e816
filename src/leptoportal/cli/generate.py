"""Command ``generate``: unweighted signal events to LHE, HepMC3 or Parquet."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from leptoportal.cli._options import (
    COUPLING_OPTIONS,
    AlphaDark,
    Beam,
    Config,
    EConvMin,
    FinalLepton,
    Force,
    FormFactor,
    Json,
    MPhi,
    Quiet,
    Seed,
    SetupEnergy,
    SetupTarget,
    ThicknessX0,
    option_group,
)
from leptoportal.cli._output import emit, progress_bar
from leptoportal.cli._run import request_fields

#: the help of --h here: generated events need a coupling (1e-3 unless given)
EventH = Annotated[float | None, typer.Option(
    "--h", help="Coupling normalisation h (default 1e-3; chiral: C_S = C_P = h/2).")]


@option_group("coupling_options", COUPLING_OPTIONS)
def generate(
    m_phi: MPhi,
    n: Annotated[int, typer.Option("--n", help="Number of unweighted events (at most 1e8; "
                                   "written in chunks, ~56 bytes per event of temporary "
                                   "disk space beside the output).")],
    out: Annotated[str, typer.Option("--out", help="Output file: .lhe, .lhe.gz, .hepmc, "
                                     ".hepmc3 or .parquet (the format follows the name).")],
    energy: SetupEnergy = None,
    target: SetupTarget = None,
    beam: Beam = None,
    force: Force = False,
    format: Annotated[str | None, typer.Option(
        "--format", help="lhe | lhe.gz | hepmc3 | parquet (default: from the file name).")
    ] = None,
    seed: Seed = None,
    h: EventH = None,
    alpha_dark: AlphaDark = None,
    decay: Annotated[str | None, typer.Option(
        "--decay", help="auto (default) | none (phi decays).")] = None,
    thick_target: Annotated[
        str | None, typer.Option("--thick-target", help="Experiment preset whose set-up the "
                                 "events follow: its beam, energy, target and cuts; a thick "
                                 "electron target's converting energy and depth from the track "
                                 "length.")
    ] = None,
    config: Config = None,
    thickness_x0: ThicknessX0 = None,
    e_conv_min: EConvMin = None,
    form_factor: FormFactor = None,
    final_lepton: FinalLepton = None,
    quiet: Quiet = False,
    as_json: Json = False,
    coupling_options: dict[str, Any] | None = None,
) -> None:
    """Unweighted l N -> l' N phi events from the exact tree-level |M|^2 (h = 1e-3 unless
    --h): at --energy on --target, or following a set-up (--config FILE or --thick-target
    PRESET: its beam, energy, target and cuts)."""
    from leptoportal import tasks
    from leptoportal.tasks.requests import GenerateRequest, build

    req = build(GenerateRequest, request_fields(dict(
        energy=energy, target=target, m_phi=m_phi, n=n, out=out, beam=beam, force=force,
        format=format, seed=seed, h=h, alpha_dark=alpha_dark, decay=decay,
        thick_target=thick_target, config=config, thickness_x0=thickness_x0,
        e_conv_min=e_conv_min, form_factor=form_factor, final_lepton=final_lepton,
        **(coupling_options or {}))))
    with progress_bar("generating", req.n, enabled=not (as_json or quiet)) as advance:
        result = tasks.generate(req, progress=advance)
    emit(result, as_json)
