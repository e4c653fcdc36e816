"""Command ``xsec``: total and differential cross-sections of l N -> l' N phi, and the
resonance l+ e- -> phi on atomic electrons."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from leptoportal.cli._options import (
    COUPLING_OPTIONS,
    AlphaDark,
    FinalLepton,
    Force,
    FormFactor,
    H,
    Json,
    MPhi,
    Precision,
    Seed,
    Target,
    option_group,
)
from leptoportal.cli._run import run_one


@option_group("coupling_options", COUPLING_OPTIONS)
def xsec(
    target: Target,
    m_phi: MPhi,
    energy: Annotated[float | None, typer.Option(
        "--energy", help="Beam energy E0 in GeV (conversion).")] = None,
    beam: Annotated[str | None, typer.Option(
        "--beam", help="Beam lepton: e- (default) | e+ | mu- | mu+ (annihilation: mu+ | e+).")
    ] = None,
    process: Annotated[str | None, typer.Option(
        "--process", help="The production channel: conversion (l N -> l' N phi; default) or "
        "an annihilation on the target's electrons (leptoportal experiments channels lists "
        "them).")] = None,
    alpha_dark: AlphaDark = None,
    polarisation: Annotated[float | None, typer.Option(
        "--polarisation", help="Beam helicity polarisation in [-1, 1] (annihilation; default "
        "0).")
    ] = None,
    method: Annotated[str | None, typer.Option(
        "--method", help="etl (default) | ww | iww.")] = None,
    h: H = None,
    precision: Precision = None,
    seed: Seed = None,
    form_factor: FormFactor = None,
    ff_systematic: Annotated[bool, typer.Option(
        "--ff-systematic", metavar="", help="Also compute every form-factor variant.")] = False,
    route: Annotated[str | None, typer.Option(
        "--route", help="ETL phase-space map: sx (default) | lab.")] = None,
    backend: Annotated[str | None, typer.Option(
        "--backend", help="|M|^2 of ETL: auto (the faster for the precision asked, default) | "
        "numba (compiled) | numpy (the reference).")] = None,
    spectrum: Annotated[str | None, typer.Option(
        "--spectrum", help="x | cos_theta | e_out | e_phi | theta_out | x:cos_theta (double "
        "differential; ETL only) | e_beam (the resonance's line shape).")] = None,
    bins: Annotated[int | None, typer.Option(
        "--bins", help="Number of spectrum bins (default 40), at most 1000 (200 per axis for "
        "x:cos_theta).")] = None,
    out: Annotated[str | None, typer.Option("--out", help="CSV file of --spectrum.")] = None,
    force: Force = False,
    final_lepton: FinalLepton = None,
    as_json: Json = False,
    coupling_options: dict[str, Any] | None = None,
) -> None:
    """Cross-section of l N -> l' N phi (pb; h = 1 unless --h): ETL (exact), WW or IWW;
    or of another production channel (--process; leptoportal experiments channels lists
    them): the annihilation l+ e- -> phi per target electron."""
    from leptoportal.tasks.requests import XsecRequest

    run_one(XsecRequest, as_json, target=target, m_phi=m_phi, energy=energy, beam=beam,
            process=process, alpha_dark=alpha_dark, polarisation=polarisation, method=method,
            h=h, precision=precision, seed=seed, form_factor=form_factor,
            ff_systematic=ff_systematic, route=route, backend=backend, spectrum=spectrum,
            bins=bins, out=out, force=force, final_lepton=final_lepton, **(coupling_options or {}))
