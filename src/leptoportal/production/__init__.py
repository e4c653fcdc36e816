"""Production of phi in l N -> l' N phi: exact tree level (ETL), WW and IWW.

The chain inside the package: :mod:`~.targets` and :mod:`~.formfactors` (the nucleus) ->
:mod:`~.process` (the central :class:`Process`) -> :mod:`~.phasespace` (two maps) and
:mod:`~.amplitude` (|M|^2) -> :mod:`~.etl` (vegas integration), :mod:`~.spectra` (differential
distributions), :mod:`~.ww` (WW/IWW) -> :mod:`~.xsec` (one entry point, cached points).

Example::

    proc = Process("e-", 100.0, "Pb", 0.2, Couplings.chiral(1.0))
    cross_section(proc, "etl", precision=0.005)      # XsecResult (pb, with error)
    spectra(proc, {"x": default_edges(proc, "x", 40)})   # dsigma/dx from ETL
"""

from leptoportal.production.etl import sigma_etl
from leptoportal.production.formfactors import FORM_FACTORS
from leptoportal.production.phasespace import OBSERVABLES
from leptoportal.production.process import BEAMS, Process
from leptoportal.production.results import Spectrum, XsecResult
from leptoportal.production.spectra import default_edges, spectra, spectrum_2d
from leptoportal.production.targets import Material, Target, get_material, get_target, targets
from leptoportal.production.ww import sigma_iww, sigma_ww
from leptoportal.production.xsec import (
    METHODS,
    cached_cross_section,
    cross_section,
    form_factor_spread,
)

__all__ = [
    "BEAMS", "FORM_FACTORS", "METHODS", "OBSERVABLES", "Material", "Process", "Spectrum",
    "Target", "get_material",
    "XsecResult", "cached_cross_section", "cross_section", "default_edges",
    "form_factor_spread", "get_target", "sigma_etl", "sigma_iww", "sigma_ww", "spectra",
    "spectrum_2d", "targets",
]
