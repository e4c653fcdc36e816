"""One entry point for every cross-section method, the cached point used by yields, and the
form-factor systematic.

Example::

    proc = Process("e-", 100.0, "Pb", 0.2)
    cross_section(proc, "etl", precision=0.005)       # XsecResult, pb with MC error
    cached_cross_section(proc, cuts={"e_out": [5.0, None]})   # (sigma_pb, err_pb), on disk
"""

from __future__ import annotations

from leptoportal.cache import xsec_store
from leptoportal.errors import InputError, require_choice
from leptoportal.production.etl import make_selection, sigma_etl
from leptoportal.production.formfactors import FORM_FACTORS
from leptoportal.production.process import Process
from leptoportal.production.results import XsecResult
from leptoportal.production.ww import sigma_iww, sigma_ww

METHODS = ("etl", "ww", "iww")
#: default cap on the integrand evaluations of one ETL point
MAX_EVALS = 4_000_000


def cross_section(proc: Process, method: str = "etl", precision: float = 0.005,
                  seed: int | None = 1, route: str = "sx", backend: str = "numba") -> XsecResult:
    """Total cross-section (pb) of ``proc`` by ``method`` with its numerical uncertainty
    (``backend``: |M|^2 of ETL by the compiled kernel or the numpy reference)."""
    require_choice("method", method, METHODS)
    if method == "etl":
        return sigma_etl(proc, precision=precision, seed=seed, route=route, backend=backend)
    if method == "ww":
        return sigma_ww(proc)
    return sigma_iww(proc)


def cached_cross_section(proc: Process, method: str = "etl", cuts: dict | None = None,
                         precision: float = 0.005, seed: int | None = 1,
                         cache: bool = True, max_evals: int = MAX_EVALS) -> tuple[float, float]:
    """(sigma_pb, err_pb) of ``proc`` with optional ETL cuts, stored per point on disk.

    The key hashes every input (process, couplings, form factor, method, cuts, precision,
    seed, effort cap) and the cache schema; ``cache=False`` neither reads nor writes the store.
    """
    if cuts and method != "etl":
        raise InputError(f"cuts need the ETL method (got method = {method!r})")
    inputs = {"kind": "xsec-point", **proc.inputs(), "method": method, "cuts": cuts or {},
              "precision": precision, "seed": seed, "max_evals": max_evals}

    def compute() -> dict:
        if method == "etl":
            r = sigma_etl(proc, precision=precision, seed=seed,
                          selection=make_selection(cuts), max_evals=max_evals)
        else:
            r = cross_section(proc, method, precision, seed)
        return {"sigma_pb": r.sigma_pb, "err_pb": r.sigma_err_pb}

    rec = xsec_store().get_or_compute(inputs, compute, ("sigma_pb", "err_pb"), enabled=cache)
    return float(rec["sigma_pb"]), float(rec["err_pb"])


def form_factor_spread(proc: Process, method: str = "etl", precision: float = 0.005,
                       seed: int | None = 1) -> dict[str, float]:
    """sigma (pb) for every form-factor variant; the spread is the form-factor systematic."""
    return {ff: cross_section(proc.with_(form_factor=ff), method, precision, seed).sigma_pb
            for ff in FORM_FACTORS}
