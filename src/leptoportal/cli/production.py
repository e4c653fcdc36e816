"""Command ``xsec``: total and differential cross-sections of l N -> l' N phi, and the
resonance l+ e- -> phi on atomic electrons."""

from __future__ import annotations

from typing import Annotated

import typer

from leptoportal.cli._options import (
    AlphaDark,
    Coupling,
    CouplingsFile,
    Cp,
    Cs,
    FinalLepton,
    Force,
    FormFactor,
    H,
    Json,
    Model,
    MPhi,
    Precision,
    Seed,
    Target,
)
from leptoportal.cli._run import run_one


def xsec(
    target: Target,
    m_phi: MPhi,
    energy: Annotated[float | None, typer.Option(
        "--energy", help="Beam energy E0 in GeV (not for --process resonant).")] = None,
    beam: Annotated[str, typer.Option("--beam", help="Beam lepton: e- | e+ | mu- | mu+ "
                                      "(resonant: mu+ | e+).")] = "e-",
    process: Annotated[str, typer.Option(
        "--process", help="conversion (l N -> l' N phi) | resonant (l+ e- -> phi on the "
        "target's electrons).")] = "conversion",
    alpha_dark: AlphaDark = None,
    polarisation: Annotated[float, typer.Option(
        "--polarisation", help="Beam helicity polarisation in [-1, 1] (resonant).")] = 0.0,
    method: Annotated[str, typer.Option("--method", help="etl | ww | iww.")] = "etl",
    h: H = None,
    coupling: Coupling = None,
    cs: Cs = None,
    cp: Cp = None,
    precision: Precision = 0.003,
    seed: Seed = 1,
    form_factor: FormFactor = "elastic",
    ff_systematic: Annotated[bool, typer.Option(
        "--ff-systematic", metavar="", help="Also compute every form-factor variant.")] = False,
    route: Annotated[str, typer.Option("--route", help="ETL phase-space map: sx | lab.")] = "sx",
    backend: Annotated[str, typer.Option(
        "--backend", help="|M|^2 of ETL: auto (the faster for the precision asked, default) | "
        "numba (compiled) | numpy (the reference).")] = "auto",
    spectrum: Annotated[str | None, typer.Option(
        "--spectrum", help="x | cos_theta | e_out | e_phi | theta_out | x:cos_theta (double "
        "differential; ETL only) | e_beam (the resonance's line shape).")] = None,
    bins: Annotated[int, typer.Option("--bins", help="Number of spectrum bins, at most 1000 "
                                      "(200 per axis for x:cos_theta).")] = 40,
    out: Annotated[str | None, typer.Option("--out", help="CSV file of --spectrum.")] = None,
    force: Force = False,
    final_lepton: FinalLepton = None,
    model: Model = None,
    couplings: CouplingsFile = None,
    as_json: Json = False,
) -> None:
    """Cross-section of l N -> l' N phi (pb; h = 1 unless --h): ETL (exact), WW or IWW;
    with --process resonant, the resonance l+ e- -> phi per target electron."""
    run_one("xsec", locals())
