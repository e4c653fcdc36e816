"""Commands ``relic`` and ``relic-target``: relic density and thermal targets."""

from __future__ import annotations

from typing import Annotated

import typer

from leptoportal.cli._options import (
    AlphaDark,
    Coupling,
    CouplingsFile,
    GDark,
    H,
    Json,
    MChi,
    Model,
    MPhiList,
    Quiet,
    Ratio,
    Table,
)
from leptoportal.cli._run import run_one, run_points
from leptoportal.model import DEFAULT_MASS_RATIO


def relic(
    m_phi: Annotated[float | None, typer.Option("--m-phi", help="phi mass in GeV.")] = None,
    h: H = None,
    g_dark: GDark = None,
    alpha_dark: AlphaDark = None,
    m_chi: MChi = None,
    splitting: Annotated[
        float, typer.Option("--splitting", help="m_chi2 - m_chi1 in GeV (co-annihilation).")
    ] = 0.0,
    coupling: Coupling = None,
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
        str, typer.Option("--dm", help="majorana | dirac | complex-scalar | real-scalar.")
    ] = "majorana",
    table: Table = "borsanyi2016",
    systematic: Annotated[
        bool, typer.Option("--systematic", metavar="",
                           help="Also report the spread over g* tables.")
    ] = False,
    model: Model = None,
    couplings: CouplingsFile = None,
    as_json: Json = False,
) -> None:
    """Relic density Omega h^2 of the dark sector (or of a generic particle)."""
    run_one("relic", locals())


def relic_target(
    m_phi: MPhiList,
    alpha_dark: Annotated[
        float | None, typer.Option("--alpha-dark", help="Fixed alpha_D; solve for h.")
    ] = None,
    h_on_g2_band: Annotated[
        str | None,
        typer.Option("--h-on-g2-band", help="Dataset (fnal2021...): h on the band; solve alpha_D."),
    ] = None,
    ratio: Ratio = DEFAULT_MASS_RATIO,
    coupling: Coupling = None,
    table: Table = "borsanyi2016",
    model: Model = None,
    couplings: CouplingsFile = None,
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Couplings giving Omega h^2 = 0.120 (thermal target)."""
    run_points("relic-target", locals(), "thermal targets")
