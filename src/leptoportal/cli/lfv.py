"""Command ``lfv``: charged-lepton-flavour-violating decays of the coupling matrix."""

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
def lfv(m_phi: MPhiList, h: H = None, alpha_dark: AlphaDark = None, quiet: Quiet = False,
        as_json: Json = False, coupling_options: dict[str, Any] | None = None) -> None:
    """Branching ratios of mu -> e gamma, tau -> l gamma, l -> 3l' and l -> l' phi for the
    coupling matrix (times --h, default 1), each with its experimental 90% CL limit, and the
    largest h that every limit allows. A channel without a diagram is exactly zero ("no
    diagram")."""
    from leptoportal.tasks.requests import LFVRequest

    run_points(LFVRequest, as_json, quiet, m_phi, "charged lepton flavour violation", h=h,
               alpha_dark=alpha_dark, **(coupling_options or {}))
