"""Command ``generate``: unweighted signal events to LHE, HepMC3 or Parquet."""

from __future__ import annotations

from typing import Annotated

import typer

from leptoportal.cli._options import (
    AlphaDark,
    Beam,
    Config,
    Coupling,
    CouplingsFile,
    EConvMin,
    Energy,
    FinalLepton,
    Force,
    FormFactor,
    Json,
    Model,
    MPhi,
    Quiet,
    Seed,
    Target,
    ThicknessX0,
)
from leptoportal.cli._output import emit, progress_bar
from leptoportal.cli._run import request_options

#: the help of --h here: generated events need a coupling (1e-3 unless given)
EventH = Annotated[float | None, typer.Option(
    "--h", help="Coupling normalisation h (default 1e-3; chiral: C_S = C_P = h/2).")]


def generate(
    energy: Energy,
    target: Target,
    m_phi: MPhi,
    n: Annotated[int, typer.Option("--n", help="Number of unweighted events (at most 1e8; "
                                   "written in chunks, ~56 bytes per event of temporary "
                                   "disk space beside the output).")],
    out: Annotated[str, typer.Option("--out", help="Output file: .lhe, .lhe.gz, .hepmc, "
                                     ".hepmc3 or .parquet (the format follows the name).")],
    beam: Beam = "e-",
    force: Force = False,
    format: Annotated[str | None, typer.Option(
        "--format", help="lhe | lhe.gz | hepmc3 | parquet (default: from the file name).")
    ] = None,
    seed: Seed = 1,
    h: EventH = None,
    coupling: Coupling = None,
    alpha_dark: AlphaDark = None,
    decay: Annotated[str, typer.Option("--decay", help="auto | none (phi decays).")] = "auto",
    thick_target: Annotated[
        str | None, typer.Option("--thick-target", help="Experiment preset: sample the "
                                 "converting energy and depth from its track length.")
    ] = None,
    config: Config = None,
    thickness_x0: ThicknessX0 = None,
    e_conv_min: EConvMin = None,
    form_factor: FormFactor = "elastic",
    final_lepton: FinalLepton = None,
    model: Model = None,
    couplings: CouplingsFile = None,
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Unweighted l N -> l' N phi events from the exact tree-level |M|^2 (h = 1e-3 unless
    --h)."""
    options = request_options(locals())
    from leptoportal import tasks

    req = tasks.build(tasks.requests.GenerateRequest, options)
    with progress_bar("generating", req.n, enabled=not (as_json or quiet)) as advance:
        result = tasks.generate(req, progress=advance)
    emit(result, as_json)
