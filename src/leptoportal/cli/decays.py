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
    read_couplings_file,
)
from leptoportal.cli._output import emit
from leptoportal.model import Portal, dark_sector, resolve_couplings


def widths(m_phi: MPhi, h: H = None, g_dark: GDark = None, alpha_dark: AlphaDark = None,
           m_chi: MChi = None, coupling: Coupling = "chiral", cs: Cs = None, cp: Cp = None,
           model: Model = None, couplings: CouplingsFile = None, as_json: Json = False) -> None:
    """Decay widths (GeV), invisible branching fraction and c*tau (m) of phi."""
    from leptoportal import decays

    portal = Portal(m_phi, resolve_couplings(h, coupling, cs, cp, model,
                                             read_couplings_file(couplings)))
    dark = dark_sector(portal.m_phi, g_dark, alpha_dark, m_chi)
    out = decays.widths(portal, dark).as_dict()
    if dark is not None:
        out["m_chi"] = dark.m_chi
        out["g_dark"] = dark.g_dark
    emit(out, as_json, "phi decays")
