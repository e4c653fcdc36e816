"""CLI: ``leptoportal generate`` (unweighted signal events)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leptoportal.cli import CouplingOpt, JsonOpt, app, emit, resolve_couplings
from leptoportal.cli_production import BeamOpt, EnergyOpt, FormFactorOpt, SeedOpt, TargetOpt


@app.command("generate")
def cmd_generate(
    energy: EnergyOpt,
    target: TargetOpt,
    m_phi: Annotated[float, typer.Option("--m-phi", help="phi mass in GeV.")],
    n: Annotated[int, typer.Option("--n", help="Number of unweighted events.")],
    out: Annotated[Path, typer.Option("--out", help="Output file.")],
    beam: BeamOpt = "e-",
    fmt: Annotated[str, typer.Option("--format", help="lhe | hepmc3 | parquet.")] = "lhe",
    seed: SeedOpt = 1,
    h: Annotated[float, typer.Option("--h", help="Coupling h_emu (sets sigma, Br).")] = 1e-3,
    coupling: CouplingOpt = "chiral",
    alpha_dark: Annotated[
        float, typer.Option("--alpha-dark", help="alpha_D of the benchmark dark sector.")
    ] = 0.1,
    decay: Annotated[str, typer.Option("--decay", help="auto | none (phi decays).")] = "auto",
    thick_target: Annotated[
        str | None, typer.Option("--thick-target", help="Experiment preset: sample the "
                                 "converting energy and depth from its track length.")
    ] = None,
    form_factor: FormFactorOpt = "elastic",
    as_json: JsonOpt = False,
) -> None:
    """Unweighted l N -> l' N phi events from the exact tree-level |M|^2."""
    from leptoportal import generate as gen
    from leptoportal.cli_progress import progress_bar
    from leptoportal.errors import require_choice
    from leptoportal.model import DarkSector
    from leptoportal.production import Process

    require_choice("format", fmt, gen.FORMATS)
    proc = Process(beam, energy, target, m_phi, resolve_couplings(h, coupling, None, None),
                   form_factor)
    cfg = None
    if thick_target is not None:
        from leptoportal import experiments as ex

        cfg = ex.get_preset(thick_target, energy=energy, target=target, beam=beam)
    dark = DarkSector.benchmark(proc.m_phi, alpha_dark=alpha_dark)
    with progress_bar("generating", n, enabled=not as_json) as advance:
        sample = gen.generate(proc, n, seed, cfg, dark, decay, progress=advance)
    gen.write_events(sample, proc, out, fmt)
    info = {k: v for k, v in sample.info.items() if k != "converting_energy"}
    emit({"out": str(out), "format": fmt, "n_events": len(sample),
          "sigma_pb": sample.sigma_pb, "sigma_err_pb": sample.sigma_err_pb,
          "unweighting_efficiency": sample.efficiency, **info}, as_json, "event generation")
