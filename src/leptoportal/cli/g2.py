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
    Quiet,
)
from leptoportal.cli._run import run_one, run_points


def g2(m_phi: MPhi, h: H = None, coupling: Coupling = None, cs: Cs = None,
       cp: Cp = None, model: Model = None, couplings: CouplingsFile = None,
       as_json: Json = False) -> None:
    """One-loop Delta a_e, Delta a_mu (and Delta a_tau) from the portal scalar, summed over
    the internal leptons (--h, or --cs/--cp, required)."""
    run_one("g2", locals())


def g2_band(
    m_phi: MPhiList,
    dataset: Annotated[
        str, typer.Option("--dataset", help="fnal2021 | fnal2023 | fnal2025.")
    ] = "fnal2021",
    coupling: Coupling = None,
    cs: Cs = None,
    cp: Cp = None,
    cl: Annotated[float, typer.Option("--cl", help="CL of the upper limit (no anomaly).")] = 0.9,
    model: Model = None,
    couplings: CouplingsFile = None,
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Coupling band h(m_phi) explaining Delta a_mu (or its upper limit)."""
    run_points("g2-band", locals(), "g-2 coupling band")
