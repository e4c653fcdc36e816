"""Production of phi in l N -> l' N phi: ETL (exact tree level), WW and IWW (SPEC 5).

Public API::

    proc = Process("e-", 100.0, "Pb", 0.2, Couplings.chiral(1.0))
    cross_section(proc, "etl", precision=0.005)      # XsecResult (pb, with error)
    spectra(proc, {"x": edges})                      # dsigma/dx etc. from ETL
    xsec_table("e-", "Pb", energies, masses)         # cached table, log-log interpolation
"""

from leptoportal.production.etl import (
    OBSERVABLES,
    Spectrum,
    XsecResult,
    adapted_integrator,
    default_edges,
    make_selection,
    observables,
    point_weights,
    sigma_etl,
    spectra,
    spectrum_2d,
)
from leptoportal.production.formfactors import FORM_FACTORS, form_factor
from leptoportal.production.kinematics import BEAMS, Process, map_lab, map_sx
from leptoportal.production.tables import XsecTable, xsec_table
from leptoportal.production.targets import Target, get_target, targets
from leptoportal.production.ww import dsigma_dx_dtheta_ww, dsigma_dx_iww, sigma_iww, sigma_ww
from leptoportal.production.xsec import (
    METHODS,
    cached_cross_section,
    cross_section,
    form_factor_spread,
)

__all__ = [
    "BEAMS", "FORM_FACTORS", "METHODS", "OBSERVABLES", "Process", "Spectrum", "Target",
    "XsecResult", "XsecTable", "adapted_integrator", "cached_cross_section", "cross_section",
    "default_edges", "make_selection",
    "dsigma_dx_dtheta_ww", "dsigma_dx_iww", "form_factor", "form_factor_spread", "get_target",
    "map_lab", "map_sx", "observables", "point_weights", "sigma_etl", "sigma_iww", "sigma_ww",
    "spectra", "spectrum_2d", "targets", "xsec_table",
]
