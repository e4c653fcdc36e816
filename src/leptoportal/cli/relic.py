"""Commands ``relic`` and ``relic-target``: relic density and thermal targets."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from leptoportal.cli._options import (
    COUPLING_OPTIONS,
    AlphaDark,
    GDark,
    H,
    Json,
    MChi,
    MPhiList,
    Quiet,
    Ratio,
    Table,
    option_group,
)
from leptoportal.cli._run import run_one, run_points


@option_group("coupling_options", COUPLING_OPTIONS)
def relic(
    m_phi: Annotated[float | None, typer.Option("--m-phi", help="phi mass in GeV.")] = None,
    h: H = None,
    g_dark: GDark = None,
    alpha_dark: AlphaDark = None,
    m_chi: MChi = None,
    splitting: Annotated[
        float | None, typer.Option("--splitting", help="m_chi2 - m_chi1 in GeV "
                                   "(co-annihilation; default 0).")
    ] = None,
    ratio: Ratio = None,
    generic: Annotated[
        bool, typer.Option("--generic", metavar="", help="Generic particle mode.")
    ] = False,
    mass: Annotated[float | None, typer.Option("--mass", help="Generic: mass in GeV.")] = None,
    sigma_v: Annotated[
        float | None, typer.Option("--sigma-v", help="Generic: <sigma v> (or b) in cm^3/s.")
    ] = None,
    p_wave: Annotated[
        bool, typer.Option("--p-wave", metavar="", help="Generic: sigma v = b v^2.")
    ] = False,
    dm: Annotated[
        str | None, typer.Option("--dm", help="majorana (default) | dirac | complex-scalar | "
                                 "real-scalar.")
    ] = None,
    table: Table = None,
    systematic: Annotated[
        bool, typer.Option("--systematic", metavar="",
                           help="Also report the spread over g* tables.")
    ] = False,
    as_json: Json = False,
    coupling_options: dict[str, Any] | None = None,
) -> None:
    """Relic density Omega h^2 of the dark sector (the benchmark, alpha_D = 0.1, unless
    --alpha-dark or --g-dark), or of a generic particle."""
    from leptoportal.tasks.requests import RelicRequest

    run_one(RelicRequest, as_json, m_phi=m_phi, h=h, g_dark=g_dark, alpha_dark=alpha_dark,
            m_chi=m_chi, splitting=splitting, ratio=ratio, generic=generic, mass=mass,
            sigma_v=sigma_v, p_wave=p_wave, dm=dm, table=table,
            systematic=systematic, **(coupling_options or {}))


@option_group("coupling_options", COUPLING_OPTIONS)
def relic_target(
    m_phi: MPhiList,
    alpha_dark: Annotated[
        float | None, typer.Option("--alpha-dark", help="Fixed alpha_D; solve for h.")
    ] = None,
    h_on_g2_band: Annotated[
        str | None,
        typer.Option("--h-on-g2-band", help="Dataset (fnal2021...): h on the band; solve alpha_D."),
    ] = None,
    ratio: Ratio = None,
    table: Table = None,
    quiet: Quiet = False,
    as_json: Json = False,
    coupling_options: dict[str, Any] | None = None,
) -> None:
    """Couplings giving Omega h^2 = 0.120 (thermal target)."""
    from leptoportal.tasks.requests import RelicTargetRequest

    run_points(RelicTargetRequest, as_json, quiet, m_phi, "thermal targets",
               alpha_dark=alpha_dark, h_on_g2_band=h_on_g2_band, ratio=ratio, table=table,
               **(coupling_options or {}))
