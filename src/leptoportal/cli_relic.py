"""CLI: ``leptoportal relic`` and ``leptoportal relic-target`` (SPEC 7)."""

from __future__ import annotations

from typing import Annotated

import typer

from leptoportal.cli import (
    AlphaDarkOpt,
    CouplingOpt,
    GDarkOpt,
    JsonOpt,
    MChiOpt,
    app,
    dark_sector_from_options,
    emit,
    emit_points,
    parse_float_list,
    resolve_couplings,
)
from leptoportal.errors import InputError
from leptoportal.model import DarkSector, Portal

TableOpt = Annotated[str, typer.Option("--table", help="g* table: borsanyi2016 | idealgas.")]


@app.command("relic")
def cmd_relic(
    m_phi: Annotated[float | None, typer.Option("--m-phi", help="phi mass in GeV.")] = None,
    h: Annotated[float | None, typer.Option("--h", help="Portal coupling h_emu.")] = None,
    g_dark: GDarkOpt = None,
    alpha_dark: AlphaDarkOpt = None,
    m_chi: MChiOpt = None,
    splitting: Annotated[
        float, typer.Option("--splitting", help="m_chi2 - m_chi1 in GeV (co-annihilation).")
    ] = 0.0,
    coupling: CouplingOpt = "chiral",
    generic: Annotated[bool, typer.Option("--generic", help="Generic particle mode.")] = False,
    mass: Annotated[float | None, typer.Option("--mass", help="Generic: mass in GeV.")] = None,
    sigma_v: Annotated[
        float | None, typer.Option("--sigma-v", help="Generic: <sigma v> (or b) in cm^3/s.")
    ] = None,
    p_wave: Annotated[bool, typer.Option("--p-wave", help="Generic: sigma v = b v^2.")] = False,
    dm: Annotated[
        str, typer.Option("--dm", help="majorana | dirac | complex-scalar | real-scalar.")
    ] = "majorana",
    table: TableOpt = "borsanyi2016",
    systematic: Annotated[
        bool, typer.Option("--systematic", help="Also report the spread over g* tables.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Relic density Omega h^2 of the dark sector (or of a generic particle)."""
    from leptoportal import relic, thermo

    if generic:
        if mass is None or sigma_v is None:
            raise InputError("--generic needs --mass and --sigma-v")
        model = relic.generic_model(mass, sigma_v, dm, p_wave)
        res = relic.solve_boltzmann(model, table)
        out = {**res.as_dict(), **model.inputs}
        if systematic:
            out["omega_h2_by_table"] = {tb: relic.solve_boltzmann(model, tb).omega_h2
                                        for tb in thermo.TABLES}
        emit(out, as_json, "relic density (generic)")
        return
    if m_phi is None or h is None:
        raise InputError("relic needs --m-phi and --h (or --generic)")
    portal = Portal(m_phi, resolve_couplings(h, coupling, None, None))
    dark = dark_sector_from_options(portal.m_phi, g_dark, alpha_dark, m_chi, required=True)
    res = relic.omega_h2(portal, dark, table, splitting=splitting)
    out = {**res.as_dict(), "h": h, "coupling": coupling, "splitting": splitting}
    if systematic:
        out["omega_h2_by_table"] = relic.table_systematic(portal, dark, splitting=splitting)
    emit(out, as_json, "relic density")


@app.command("relic-target")
def cmd_relic_target(
    m_phi: Annotated[str, typer.Option("--m-phi", help="phi mass(es) in GeV: M[,M...].")],
    alpha_dark: Annotated[
        float | None, typer.Option("--alpha-dark", help="Fixed alpha_D; solve for h_emu.")
    ] = None,
    h_on_g2_band: Annotated[
        str | None,
        typer.Option("--h-on-g2-band", help="Dataset (fnal2021...): h on the band; solve alpha_D."),
    ] = None,
    ratio: Annotated[float, typer.Option("--ratio", help="m_phi / m_chi.")] = 3.0,
    coupling: CouplingOpt = "chiral",
    table: TableOpt = "borsanyi2016",
    as_json: JsonOpt = False,
) -> None:
    """Couplings giving Omega h^2 = 0.120 (thermal target)."""
    from leptoportal import g2, relic

    masses = parse_float_list("m_phi", m_phi)
    if (alpha_dark is None) == (h_on_g2_band is None):
        raise InputError("give exactly one of --alpha-dark or --h-on-g2-band")
    points = []
    for m in masses:
        if alpha_dark is not None:
            h = relic.h_for_relic(m, alpha_dark, ratio, coupling, table=table)
            dark = DarkSector.benchmark(m, alpha_dark=alpha_dark, ratio=ratio)
            om = relic.omega_h2(Portal.from_kind(m, h, coupling), dark, table).omega_h2
            points.append({"m_phi": m, "h_relic": h, "omega_h2": om})
        else:
            band = g2.coupling_band(m, h_on_g2_band, coupling)
            h = band.get("h_central", band.get("h_upper_90"))
            a = relic.alpha_dark_for_relic(m, h, ratio, coupling, table=table)
            dark = DarkSector.benchmark(m, alpha_dark=a, ratio=ratio)
            om = relic.omega_h2(Portal.from_kind(m, h, coupling), dark, table).omega_h2
            points.append({"m_phi": m, "h": h, "alpha_dark_relic": a, "omega_h2": om})
    extra = {"target_omega_h2": relic.OMEGA_H2_PLANCK, "ratio": ratio, "table": table,
             "coupling": coupling}
    emit_points(points, as_json, extra, "thermal targets")
