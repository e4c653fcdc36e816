"""Command ``lfv``: charged-lepton-flavour-violating decays of the coupling matrix."""

from __future__ import annotations

from leptoportal.cli._options import (
    AlphaDark,
    Coupling,
    CouplingsFile,
    Cp,
    Cs,
    H,
    Json,
    Model,
    MPhiList,
    Quiet,
)
from leptoportal.cli._run import run_points


def lfv(m_phi: MPhiList, h: H = None, coupling: Coupling = None, cs: Cs = None,
        cp: Cp = None, model: Model = None, couplings: CouplingsFile = None,
        alpha_dark: AlphaDark = None, quiet: Quiet = False, as_json: Json = False) -> None:
    """Branching ratios of mu -> e gamma, tau -> l gamma, l -> 3l' and l -> l' phi for the
    coupling matrix (times --h, default 1), each with its experimental 90% CL limit, and the
    largest h that every limit allows. A channel without a diagram is exactly zero ("no
    diagram")."""
    run_points("lfv", locals(), "charged lepton flavour violation")
