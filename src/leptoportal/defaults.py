"""The package's defaults, each decided once, with its reason (as vegas' ``Integrator.defaults``
table): the numerics of the Monte Carlos, the coupling pattern and the dark sector, the
statistics of a limit. Requests, library functions and the command line read them from here;
the command line shows them in its help and passes None where an option is not given, so that
the request fills in the value of this table.

What "not given" means, the same for every command and function:

* no coupling choice: the paper's chiral e-mu pattern, C_S = C_P = h/2 (`COUPLING`);
* no dark sector (neither alpha_D nor g_D): the paper's benchmark, alpha_D = `ALPHA_DARK`
  = 0.1 with m_chi = m_phi / `MASS_RATIO` (Gninenko & Krasnikov, arXiv:2202.04410), in
  ``widths``, ``lfv``, ``xsec`` of an annihilation channel, ``yield``, ``limit``, ``relic``,
  ``generate`` and the reproduction alike; alpha_D = 0 (or g_D = 0) is a model without a dark
  sector (no invisible decay).

This module imports nothing, so that the command line can show the defaults in its help
without loading the physics.

Examples
--------

>>> from leptoportal.defaults import ALPHA_DARK, PRECISION
>>> ALPHA_DARK, PRECISION["xsec"], PRECISION["yield"]
(0.1, 0.003, 0.01)
"""

from __future__ import annotations

from typing import Final

# --- the model --------------------------------------------------------------------------------
#: the coupling pattern of the paper's benchmark, the default everywhere (C_S = C_P = h/2)
COUPLING: Final = "chiral"
#: m_phi / m_chi of the benchmark dark sector (Gninenko & Krasnikov, arXiv:2202.04410)
MASS_RATIO: Final = 3.0
#: alpha_D of the benchmark dark sector: the dark sector of every command that is given none
ALPHA_DARK: Final = 0.1
#: coupling of generated events unless h is given (sets sigma and the branching fractions)
EVENT_H: Final = 1e-3

# --- the Monte Carlos -------------------------------------------------------------------------
#: requested relative Monte-Carlo error of an ETL cross-section, by who asks:
#: "library" (`Numerics()` of a Python call: 0.5%), "xsec" (the command: 0.3%, so that the
#: diagonal channels, whose integrand is more peaked, also reach <= 0.3%), "yield" and
#: "limit" (1%: far below the experiments' systematics)
PRECISION: Final = {"library": 0.005, "xsec": 0.003, "yield": 0.01, "limit": 0.01}
#: the seed of every Monte Carlo (same seed, same result)
SEED: Final = 1
#: |M|^2 of ETL: "numba" (compiled) in library calls, which run many points; "auto" for one
#: point of a command (the numpy reference where it is faster than loading the compiled
#: kernel, see `leptoportal.tasks.resolve_backend`)
BACKEND: Final = {"library": "numba", "command": "auto"}
#: the phase-space map of ETL ("sx"; "lab" is the independent cross-check)
ROUTE: Final = "sx"

# --- statistics and data sets -----------------------------------------------------------------
#: confidence level of limits and of the g-2 upper limit without an anomaly
CL: Final = 0.9
#: the limit's statistical method (the modified frequentist CLs)
LIMIT_METHOD: Final = "cls"
#: the g-2 data set of the coupling band (the paper's)
G2_DATASET: Final = "fnal2021"
#: the g_*(T) table of the relic density
GSTAR_TABLE: Final = "borsanyi2016"

__all__ = ["ALPHA_DARK", "BACKEND", "CL", "COUPLING", "EVENT_H", "G2_DATASET", "GSTAR_TABLE",
           "LIMIT_METHOD", "MASS_RATIO", "PRECISION", "ROUTE", "SEED"]


def __dir__() -> list[str]:
    return __all__
