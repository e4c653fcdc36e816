"""One entry point for every cross-section method, the cached point used by yields, and the
form-factor systematic.

Example:

    proc = Process("e-", 100.0, "Pb", 0.2)
    cross_section(proc, "etl", Numerics(precision=0.005))       # XsecResult, pb with MC error
    cached_cross_section(proc, cuts={"e_out": [5.0, None]})      # (sigma_pb, err_pb), on disk
"""

from __future__ import annotations

from typing import Any

from leptoportal.cache import xsec_store
from leptoportal.errors import InputError, require_choice
from leptoportal.numerics import Numerics
from leptoportal.production.etl import make_selection, sigma_etl
from leptoportal.production.formfactors import FORM_FACTORS
from leptoportal.production.process import Process
from leptoportal.production.results import XsecResult

METHODS = ("etl", "ww", "iww")


def cross_section(proc: Process, method: str = "etl",
                  numerics: Numerics | None = None) -> XsecResult:
    """Total cross-section of ``proc`` by ``method`` with its numerical uncertainty.

    Parameters
    ----------
    proc
        The process.
    method
        "etl" (exact tree level, Monte Carlo), "ww" or "iww" (quadrature).
    numerics
        Settings of ETL (precision, seed, route, backend); unused by WW / IWW.

    Returns
    -------
    XsecResult
        sigma_pb and sigma_err_pb in pb.

    >>> cross_section(Process("e-", 100.0, "Pb", 0.2), "ww").sigma_pb
    371229549.48...
    """
    require_choice("method", method, METHODS)
    if method == "etl":
        return sigma_etl(proc, numerics)
    from leptoportal.production.ww import sigma_iww, sigma_ww

    if method == "ww":
        return sigma_ww(proc)
    return sigma_iww(proc)


def cached_cross_section(proc: Process, method: str = "etl", cuts: dict[str, Any] | None = None,
                         numerics: Numerics | None = None) -> tuple[float, float]:
    """(sigma_pb, err_pb) of ``proc`` with optional ETL cuts, stored per point on disk.

    The key hashes every input (process, couplings, form factor, method, cuts, precision,
    seed, effort cap) and the cache schema; ``numerics.cache=False`` neither reads nor
    writes the store.
    """
    numerics = numerics or Numerics()
    if cuts and method != "etl":
        raise InputError(f"cuts need the ETL method (got method = {method!r})")
    inputs = {"kind": "xsec-point", **proc.inputs(), "method": method, "cuts": cuts or {},
              "precision": numerics.precision, "seed": numerics.seed,
              "max_evals": numerics.max_evals}

    def compute() -> dict[str, Any]:
        if method == "etl":
            r = sigma_etl(proc, numerics, selection=make_selection(cuts))
        else:
            r = cross_section(proc, method, numerics)
        return {"sigma_pb": r.sigma_pb, "err_pb": r.sigma_err_pb}

    rec = xsec_store().get_or_compute(inputs, compute, ("sigma_pb", "err_pb"),
                                      enabled=numerics.cache)
    return float(rec["sigma_pb"]), float(rec["err_pb"])


def form_factor_spread(proc: Process, method: str = "etl",
                       numerics: Numerics | None = None) -> dict[str, float]:
    """sigma (pb) for every form-factor variant; the spread is the form-factor systematic."""
    return {ff: cross_section(proc.with_(form_factor=ff), method, numerics).sigma_pb
            for ff in FORM_FACTORS}


__all__ = [
    "METHODS", "cached_cross_section", "cross_section", "form_factor_spread",
]


def __dir__() -> list[str]:
    return __all__
