"""Production of phi in l N -> l' N phi: exact tree level (ETL), WW and IWW, and the resonance
l+ e- -> phi on atomic electrons.

The chain inside the package: `targets` and `formfactors` (the nucleus) ->
`process` (the central `Process`) -> `phasespace` (two maps) and
`amplitude` (|M|^2, compiled in `kernels`) -> `etl` (vegas integration),
`spectra` (differential distributions), `ww` (WW/IWW) -> `xsec` (one entry
point, cached points); `resonance` (l+ e- -> phi); results in `results`.

The names below are loaded on first use, so that a command imports only the modules it runs.

Example:

    proc = Process("e-", 100.0, "Pb", 0.2, Couplings.chiral(1.0))
    cross_section(proc, "etl", Numerics(precision=0.005))    # XsecResult (pb, with error)
    spectra(proc, {"x": default_edges(proc, "x", 40)})        # dsigma/dx from ETL
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> the module that defines it
_EXPORTS = {
    "BEAMS": "process", "Process": "process",
    "FORM_FACTORS": "formfactors",
    "OBSERVABLES": "phasespace",
    "Material": "targets", "Target": "targets", "get_material": "targets",
    "get_target": "targets", "targets": "targets", "material_names": "targets",
    "sigma_etl": "etl",
    "Spectrum": "results", "Spectrum2D": "results", "XsecResult": "results",
    "ResonanceResult": "results",
    "default_edges": "spectra", "spectra": "spectra", "spectrum_2d": "spectra",
    "sigma_iww": "ww", "sigma_ww": "ww",
    "METHODS": "xsec", "cached_cross_section": "xsec", "cross_section": "xsec",
    "form_factor_spread": "xsec",
    "ANNIHILATING_BEAMS": "resonance", "Resonance": "resonance",
}
__all__ = [
    "BEAMS", "FORM_FACTORS", "METHODS", "OBSERVABLES", "ANNIHILATING_BEAMS", "Material",
    "Process", "Resonance", "ResonanceResult", "Spectrum", "Spectrum2D", "Target",
    "XsecResult", "cached_cross_section", "cross_section", "default_edges",
    "form_factor_spread", "get_material", "get_target", "material_names", "sigma_etl",
    "sigma_iww", "sigma_ww", "spectra", "spectrum_2d", "targets",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from leptoportal.production.etl import sigma_etl
    from leptoportal.production.formfactors import FORM_FACTORS
    from leptoportal.production.phasespace import OBSERVABLES
    from leptoportal.production.process import BEAMS, Process
    from leptoportal.production.resonance import ANNIHILATING_BEAMS, Resonance
    from leptoportal.production.results import (
        ResonanceResult,
        Spectrum,
        Spectrum2D,
        XsecResult,
    )
    from leptoportal.production.spectra import default_edges, spectrum_2d
    from leptoportal.production.targets import (
        Material,
        Target,
        get_material,
        get_target,
        material_names,
    )
    from leptoportal.production.ww import sigma_iww, sigma_ww
    from leptoportal.production.xsec import (
        METHODS,
        cached_cross_section,
        cross_section,
        form_factor_spread,
    )


# functions named as their modules: bound now, since importing the module later would bind the
# package attribute to the module instead
from leptoportal.production.spectra import spectra  # noqa: E402
from leptoportal.production.targets import targets  # noqa: E402


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'leptoportal.production' has no attribute {name!r}")
    module = importlib.import_module(f"leptoportal.production.{_EXPORTS[name]}")
    return getattr(module, name)


def __dir__() -> list[str]:
    return __all__
