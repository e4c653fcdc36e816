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
    Ratio,
    Table,
    parse_float_list,
    read_couplings_file,
)
from leptoportal.cli._output import emit, emit_points, progress_bar
from leptoportal.errors import InputError
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
    coupling: Coupling = "chiral",
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
    from leptoportal import relic as rl
    from leptoportal import tasks, thermo

    if generic:
        if mass is None or sigma_v is None:
            raise InputError("--generic needs --mass and --sigma-v")
        model = rl.generic_model(mass, sigma_v, dm, p_wave)
        res = rl.solve_boltzmann(model, table)
        out = {**res.as_dict(), **model.inputs}
        if systematic:
            out["omega_h2_by_table"] = {tb: rl.solve_boltzmann(model, tb).omega_h2
                                        for tb in thermo.TABLES}
        emit(out, as_json, "relic density (generic)")
        return
    if m_phi is None or h is None:
        raise InputError("relic needs --m-phi and --h (or --generic)")
    out = tasks.relic(m_phi, h, alpha_dark, g_dark, m_chi, DEFAULT_MASS_RATIO, splitting,
                      coupling, table, systematic, model, read_couplings_file(couplings))
    emit(out, as_json, "relic density")


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
    coupling: Coupling = "chiral",
    table: Table = "borsanyi2016",
    model: Model = None,
    couplings: CouplingsFile = None,
    as_json: Json = False,
) -> None:
    """Couplings giving Omega h^2 = 0.120 (thermal target)."""
    from leptoportal import relic as rl
    from leptoportal import tasks

    masses = parse_float_list("m_phi", m_phi)
    matrix = read_couplings_file(couplings)
    if (alpha_dark is None) == (h_on_g2_band is None):
        raise InputError("give exactly one of --alpha-dark or --h-on-g2-band")
    points = []
    with progress_bar("thermal target", len(masses), enabled=not as_json) as advance:
        for i, m in enumerate(masses):
            points.append(tasks.relic_target(m, alpha_dark, h_on_g2_band, ratio, coupling,
                                             table, model, matrix))
            advance(i + 1, len(masses))
    extra = {"target_omega_h2": rl.OMEGA_H2_PLANCK, "ratio": ratio, "table": table,
             "coupling": model or ("couplings file" if matrix else coupling)}
    emit_points(points, as_json, extra, "thermal targets")
