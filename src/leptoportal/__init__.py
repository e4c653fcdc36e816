"""leptoportal: physics of the leptonic scalar portal.

A light complex scalar phi with the flavour-changing coupling
``phi * mubar (C_S + C_P gamma5) e + h.c.`` (Gninenko & Krasnikov, arXiv:2202.04410), and any
coupling matrix over the lepton flavours: anomalous magnetic moments, decays, production in
``l N -> l' N phi`` and on atomic electrons, yields and limits at fixed-target experiments, the
relic density of the dark sector behind the portal, and events.

The physics chain, one module or package per step: `model` ->
`g2` / `decays` -> `production` ->
`experiments` / `stats` -> `relic` ->
`generate` -> `tasks` (typed requests and results) ->
`reproduce` / `scan` -> `cli`.

Example:

    from leptoportal import Couplings, g2
    g2.delta_a_mu(0.3, Couplings.chiral(1e-3))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> the module that defines it (loaded on first use, to keep start-up short)
_EXPORTS = {
    "Couplings": "leptoportal.model", "CouplingMatrix": "leptoportal.model",
    "DarkSector": "leptoportal.model", "ModelPoint": "leptoportal.model",
    "Portal": "leptoportal.model",
    "Numerics": "leptoportal.numerics",
    "InputError": "leptoportal.errors", "DomainError": "leptoportal.errors",
    "LeptoportalError": "leptoportal.errors", "NoSolutionError": "leptoportal.errors",
    "OutputError": "leptoportal.errors", "CacheIntegrityError": "leptoportal.errors",
}
__all__ = [
    "CacheIntegrityError", "CouplingMatrix", "Couplings", "DarkSector", "DomainError",
    "InputError", "LeptoportalError", "ModelPoint", "NoSolutionError", "Numerics",
    "OutputError", "Portal", "__version__",
]

if TYPE_CHECKING:  # pragma: no cover
    from leptoportal.errors import (
        CacheIntegrityError,
        DomainError,
        InputError,
        LeptoportalError,
        NoSolutionError,
        OutputError,
    )
    from leptoportal.model import CouplingMatrix, Couplings, DarkSector, ModelPoint, Portal
    from leptoportal.numerics import Numerics

    __version__: str


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib import metadata

        try:
            return metadata.version("leptoportal")
        except metadata.PackageNotFoundError:  # pragma: no cover - an uninstalled tree
            return "0+unknown"
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'leptoportal' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
