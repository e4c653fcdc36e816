"""One entry point for all cross-section methods, plus the form-factor systematic."""

from __future__ import annotations

import json
from pathlib import Path

from leptoportal.cache import atomic_write_text, cache_dir, input_hash
from leptoportal.errors import InputError, require_choice
from leptoportal.production.etl import XsecResult, make_selection, sigma_etl
from leptoportal.production.formfactors import FORM_FACTORS
from leptoportal.production.kinematics import Process
from leptoportal.production.ww import sigma_iww, sigma_ww

METHODS = ("etl", "ww", "iww")


def cross_section(proc: Process, method: str = "etl", precision: float = 0.005,
                  seed: int | None = 1, route: str = "sx") -> XsecResult:
    """Total cross-section (pb) of ``proc`` by ``method`` with its numerical uncertainty."""
    require_choice("method", method, METHODS)
    if method == "etl":
        return sigma_etl(proc, precision=precision, seed=seed, route=route)
    if method == "ww":
        return sigma_ww(proc)
    return sigma_iww(proc)


def point_cache_path(proc: Process, method: str, cuts: dict | None, precision: float,
                     seed: int | None, max_evals: int) -> Path:
    """Cache file of one cross-section point: a hash of every input."""
    key = input_hash({"kind": "xsec-point", "beam": proc.beam, "energy": proc.energy,
                      "target": proc.target.name, "m_phi": proc.m_phi,
                      "c_s": proc.couplings.c_s, "c_p": proc.couplings.c_p,
                      "form_factor": proc.form_factor, "method": method,
                      "cuts": cuts or {}, "precision": precision, "seed": seed,
                      "max_evals": max_evals})
    return cache_dir() / "points" / f"{key}.json"


def cached_cross_section(proc: Process, method: str = "etl", cuts: dict | None = None,
                         precision: float = 0.005, seed: int | None = 1,
                         use_cache: bool = True, max_evals: int = 4_000_000
                         ) -> tuple[float, float]:
    """(sigma_pb, err_pb) of ``proc`` with optional ETL cuts, cached per point on disk.

    The key hashes every input (process, couplings, form factor, method, cuts, precision,
    seed, package version); entries are written atomically, so scans resume point by point.
    """
    if cuts and method != "etl":
        raise InputError(f"cuts need the ETL method (got method = {method!r})")
    path = point_cache_path(proc, method, cuts, precision, seed, max_evals)
    if use_cache and path.exists():
        try:
            d = json.loads(path.read_text())
            return float(d["sigma_pb"]), float(d["err_pb"])
        except (ValueError, KeyError):
            pass
    if method == "etl":
        r = sigma_etl(proc, precision=precision, seed=seed, selection=make_selection(cuts),
                      max_evals=max_evals)
    else:
        r = cross_section(proc, method, precision, seed)
    if use_cache:
        atomic_write_text(path, json.dumps({"sigma_pb": r.sigma_pb, "err_pb": r.sigma_err_pb}))
    return r.sigma_pb, r.sigma_err_pb


def form_factor_spread(proc: Process, method: str = "etl", precision: float = 0.005,
                       seed: int | None = 1) -> dict[str, float]:
    """sigma (pb) for every form-factor variant; the spread is the form-factor systematic."""
    return {ff: cross_section(proc.with_(form_factor=ff), method, precision, seed).sigma_pb
            for ff in FORM_FACTORS}
