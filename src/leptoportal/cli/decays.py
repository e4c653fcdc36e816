"""Command ``widths``: decay widths, branching fractions and c tau of phi."""

from __future__ import annotations

from leptoportal.cli._options import (
    AlphaDark,
    Coupling,
    CouplingsFile,
    Cp,
    Cs,
    GDark,
    H,
    Json,
    MChi,
    Model,
    MPhi,
)
from leptoportal.cli._run import run_one


def widths(m_phi: MPhi, h: H = None, g_dark: GDark = None, alpha_dark: AlphaDark = None,
           m_chi: MChi = None, coupling: Coupling = None, cs: Cs = None, cp: Cp = None,
           model: Model = None, couplings: CouplingsFile = None, as_json: Json = False) -> None:
    """Decay widths (GeV), invisible branching fraction and c*tau (m) of phi."""
    run_one("widths", locals())
