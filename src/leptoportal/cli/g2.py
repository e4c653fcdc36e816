"""Commands ``g2`` and ``g2-band``: the portal's anomalous magnetic moments."""

from __future__ import annotations

from typing import Annotated

import typer

from leptoportal.cli._options import Coupling, Cp, Cs, H, Json, MPhi, MPhiList, parse_float_list
from leptoportal.cli._output import emit, emit_points
from leptoportal.model import Couplings, Portal


def g2(m_phi: MPhi, h: H = None, coupling: Coupling = "chiral", cs: Cs = None, cp: Cp = None,
       as_json: Json = False) -> None:
    """One-loop Delta a_mu and Delta a_e from the portal scalar (h or --cs/--cp required)."""
    from leptoportal import g2 as g2m

    c = Couplings.resolve(h, coupling, cs, cp)
    portal = Portal(m_phi, c)
    emit({"m_phi": portal.m_phi, "c_s": c.c_s, "c_p": c.c_p,
          "delta_a_mu": g2m.delta_a_mu(portal.m_phi, c),
          "delta_a_e": g2m.delta_a_e(portal.m_phi, c)}, as_json, "portal contributions to g-2")


def g2_band(
    m_phi: MPhiList,
    dataset: Annotated[
        str, typer.Option("--dataset", help="fnal2021 | fnal2023 | fnal2025.")
    ] = "fnal2021",
    coupling: Coupling = "chiral",
    cs: Cs = None,
    cp: Cp = None,
    cl: Annotated[float, typer.Option("--cl", help="CL of the upper limit (no anomaly).")] = 0.9,
    as_json: Json = False,
) -> None:
    """Coupling band h(m_phi) explaining Delta a_mu (or its upper limit)."""
    from leptoportal import g2 as g2m
    from leptoportal import tasks

    masses = parse_float_list("m_phi", m_phi)
    pattern = Couplings.resolve(None, coupling, cs, cp, need_h=False)
    ds = g2m.get_dataset(dataset, "mu")
    points = [tasks.g2_band(m, dataset, coupling, cs, cp, cl) for m in masses]
    extra = {
        "dataset": dataset,
        "delta_a_mu": ds.delta,
        "sigma": ds.sigma,
        "reference": f"{ds.a_exp}; {ds.a_sm}",
        "coupling": coupling if cs is None and cp is None else [pattern.c_s, pattern.c_p],
    }
    emit_points(points, as_json, extra, "g-2 coupling band")
