"""Command ``constraints``: every bound on the coupling matrix, in one table."""

from __future__ import annotations

from typing import Any

from leptoportal.cli._options import (
    COUPLING_OPTIONS,
    AlphaDark,
    H,
    Json,
    MPhiList,
    Quiet,
    option_group,
)
from leptoportal.cli._run import run_points


@option_group("coupling_options", COUPLING_OPTIONS)
def constraints(m_phi: MPhiList, h: H = None, alpha_dark: AlphaDark = None,
                quiet: Quiet = False, as_json: Json = False,
                coupling_options: dict[str, Any] | None = None) -> None:
    """Every bound on the coupling matrix (times --h, default 1) at each mass: the g-2 of
    the muon and the electron, the EDMs, the cLFV decays (mu -> e phi included, for masses
    below m_mu - m_e), muonium and the NA64 missing-energy limits, each with its prediction,
    limit, ratio, largest allowed h and source, and the combined bound. A bound without a
    diagram is exactly zero ("no diagram")."""
    from leptoportal.tasks.requests import ConstraintsRequest

    run_points(ConstraintsRequest, as_json, quiet, m_phi, "bounds on the coupling matrix",
               h=h, alpha_dark=alpha_dark, **(coupling_options or {}))
