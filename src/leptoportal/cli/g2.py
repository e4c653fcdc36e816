"""Commands ``g2`` and ``g2-band``: the portal's anomalous magnetic moments."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from leptoportal import defaults
from leptoportal.cli._options import (
    COUPLING_OPTIONS,
    H,
    Json,
    MPhi,
    MPhiList,
    Quiet,
    option_group,
)
from leptoportal.cli._run import run_one, run_points


@option_group("coupling_options", COUPLING_OPTIONS)
def g2(m_phi: MPhi, h: H = None, as_json: Json = False,
       coupling_options: dict[str, Any] | None = None) -> None:
    """One-loop Delta a_e, Delta a_mu (and Delta a_tau) from the portal scalar, summed over
    the internal leptons (--h, or --cs/--cp, required)."""
    from leptoportal.tasks.requests import G2Request

    run_one(G2Request, as_json, m_phi=m_phi, h=h, **(coupling_options or {}))


@option_group("coupling_options", COUPLING_OPTIONS)
def g2_band(
    m_phi: MPhiList,
    dataset: Annotated[str | None, typer.Option(
        "--dataset", help=f"fnal2021 | fnal2023 | fnal2025 (default {defaults.G2_DATASET}).")
    ] = None,
    cl: Annotated[float | None, typer.Option(
        "--cl", help=f"CL of the upper limit (no anomaly; default {defaults.CL:g}).")] = None,
    quiet: Quiet = False,
    as_json: Json = False,
    coupling_options: dict[str, Any] | None = None,
) -> None:
    """Coupling band h(m_phi) explaining Delta a_mu (or its upper limit)."""
    from leptoportal.tasks.requests import G2BandRequest

    run_points(G2BandRequest, as_json, quiet, m_phi, "g-2 coupling band", dataset=dataset,
               cl=cl, **(coupling_options or {}))
