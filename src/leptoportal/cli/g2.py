"""Commands ``g2`` and ``g2-band``: the portal's anomalous magnetic moments."""

from __future__ import annotations

from typing import Annotated

import typer

from leptoportal.cli._options import (
    Coupling,
    CouplingsFile,
    Cp,
    Cs,
    H,
    Json,
    Model,
    MPhi,
    MPhiList,
    parse_float_list,
    read_couplings_file,
)
from leptoportal.cli._output import emit, emit_points
from leptoportal.model import Portal, as_matrix, resolve_couplings


def g2(m_phi: MPhi, h: H = None, coupling: Coupling = "chiral", cs: Cs = None, cp: Cp = None,
       model: Model = None, couplings: CouplingsFile = None, as_json: Json = False) -> None:
    """One-loop Delta a_e, Delta a_mu (and Delta a_tau) from the portal scalar, summed over
    the internal leptons (--h, or --cs/--cp, required)."""
    from leptoportal import g2 as g2m

    c = resolve_couplings(h, coupling, cs, cp, model, read_couplings_file(couplings))
    portal = Portal(m_phi, c)
    out = {"m_phi": portal.m_phi}
    if model is None and couplings is None:
        out.update({"c_s": c.c_s, "c_p": c.c_p})
    else:
        out["couplings"] = as_matrix(c).as_dict()
    out["delta_a_mu"] = g2m.delta_a_mu(portal.m_phi, c)
    out["delta_a_e"] = g2m.delta_a_e(portal.m_phi, c)
    tau = g2m.delta_a_lepton("tau", portal.m_phi, c)
    if tau != 0.0:
        out["delta_a_tau"] = tau
    emit(out, as_json, "portal contributions to g-2")


def g2_band(
    m_phi: MPhiList,
    dataset: Annotated[
        str, typer.Option("--dataset", help="fnal2021 | fnal2023 | fnal2025.")
    ] = "fnal2021",
    coupling: Coupling = "chiral",
    cs: Cs = None,
    cp: Cp = None,
    cl: Annotated[float, typer.Option("--cl", help="CL of the upper limit (no anomaly).")] = 0.9,
    model: Model = None,
    couplings: CouplingsFile = None,
    as_json: Json = False,
) -> None:
    """Coupling band h(m_phi) explaining Delta a_mu (or its upper limit)."""
    from leptoportal import g2 as g2m
    from leptoportal import tasks

    masses = parse_float_list("m_phi", m_phi)
    matrix = read_couplings_file(couplings)
    pattern = resolve_couplings(None, coupling, cs, cp, model, matrix, need_h=False)
    ds = g2m.get_dataset(dataset, "mu")
    points = [tasks.g2_band(m, dataset, coupling, cs, cp, cl, model, matrix) for m in masses]
    if model is not None or matrix is not None:
        described = model or as_matrix(pattern).as_dict()
    elif cs is None and cp is None:
        described = coupling
    else:
        described = [pattern.c_s, pattern.c_p]
    extra = {
        "dataset": dataset,
        "delta_a_mu": ds.delta,
        "sigma": ds.sigma,
        "reference": f"{ds.a_exp}; {ds.a_sm}",
        "coupling": described,
    }
    emit_points(points, as_json, extra, "g-2 coupling band")
