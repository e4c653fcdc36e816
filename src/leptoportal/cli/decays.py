"""Command ``widths``: decay widths, branching fractions and c tau of phi."""

from __future__ import annotations

from typing import Any

from leptoportal.cli._options import (
    COUPLING_OPTIONS,
    AlphaDark,
    GDark,
    H,
    Json,
    MChi,
    MPhi,
    option_group,
)
from leptoportal.cli._run import run_one


@option_group("coupling_options", COUPLING_OPTIONS)
def widths(m_phi: MPhi, h: H = None, g_dark: GDark = None, alpha_dark: AlphaDark = None,
           m_chi: MChi = None, as_json: Json = False,
           coupling_options: dict[str, Any] | None = None) -> None:
    """Decay widths (GeV), invisible branching fraction and c*tau (m) of phi (the benchmark
    dark sector, alpha_D = 0.1, unless --alpha-dark or --g-dark)."""
    from leptoportal.tasks.requests import WidthsRequest

    run_one(WidthsRequest, as_json, m_phi=m_phi, h=h, g_dark=g_dark, alpha_dark=alpha_dark,
            m_chi=m_chi, **(coupling_options or {}))
