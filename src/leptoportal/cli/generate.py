"""Command ``generate``: unweighted signal events to LHE, HepMC3 or Parquet."""

from __future__ import annotations

from typing import Annotated

import typer

from leptoportal.cache import check_output_file
from leptoportal.cli._options import (
    SEED_MAX,
    AlphaDark,
    Beam,
    Coupling,
    CouplingsFile,
    Energy,
    FinalLepton,
    FormFactor,
    H,
    Json,
    Model,
    MPhi,
    Seed,
    Target,
    read_couplings_file,
)
from leptoportal.cli._output import emit, progress_bar
from leptoportal.model import DEFAULT_ALPHA_DARK, DarkSector

#: coupling of generated events unless --h is given (sets sigma and the branching fractions)
DEFAULT_EVENT_H = 1e-3


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
    fmt: Annotated[str | None, typer.Option(
        "--format", help="lhe | lhe.gz | hepmc3 | parquet (default: from the file name).")
    ] = None,
    seed: Seed = 1,
    h: H = DEFAULT_EVENT_H,
    coupling: Coupling = "chiral",
    alpha_dark: AlphaDark = DEFAULT_ALPHA_DARK,
    decay: Annotated[str, typer.Option("--decay", help="auto | none (phi decays).")] = "auto",
    thick_target: Annotated[
        str | None, typer.Option("--thick-target", help="Experiment preset: sample the "
                                 "converting energy and depth from its track length.")
    ] = None,
    form_factor: FormFactor = "elastic",
    final_lepton: FinalLepton = None,
    model: Model = None,
    couplings: CouplingsFile = None,
    as_json: Json = False,
) -> None:
    """Unweighted l N -> l' N phi events from the exact tree-level |M|^2 (h = 1e-3 unless
    --h)."""
    from leptoportal import generate as gen
    from leptoportal import tasks
    from leptoportal.errors import require_range

    require_range("n", n, 1, gen.MAX_EVENTS)
    require_range("seed", seed, 0, SEED_MAX)
    out = check_output_file(out)
    fmt = gen.format_for(out, fmt)
    proc = tasks.xsec_process(energy, target, m_phi, beam, h, coupling, None, None, form_factor,
                              final_lepton, model, read_couplings_file(couplings))
    cfg = None
    if thick_target is not None:
        from leptoportal import experiments as ex

        cfg = ex.get_preset(thick_target, energy=energy, target=target, beam=beam,
                            final_leptons=[proc.final_lepton])
    dark = DarkSector.benchmark(proc.m_phi, alpha_dark=alpha_dark)
    with progress_bar("generating", n, enabled=not as_json) as advance, \
            gen.generated_events(proc, n, seed, cfg, dark, decay, progress=advance,
                                 workdir=out.parent) as stream:
        gen.write_stream(stream, proc, out, fmt)
    emit({"out": str(out), "format": fmt, "n_events": stream.n, "h": h,
          "sigma_pb": stream.sigma_pb, "sigma_err_pb": stream.sigma_err_pb,
          "unweighting_efficiency": stream.efficiency, **stream.info}, as_json,
         "event generation")
