"""One entry point for all cross-section methods, plus the form-factor systematic."""

from __future__ import annotations

from leptoportal.errors import require_choice
from leptoportal.production.etl import XsecResult, sigma_etl
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


def form_factor_spread(proc: Process, method: str = "etl", precision: float = 0.005,
                       seed: int | None = 1) -> dict[str, float]:
    """sigma (pb) for every form-factor variant; the spread is the form-factor systematic."""
    return {ff: cross_section(proc.with_(form_factor=ff), method, precision, seed).sigma_pb
            for ff in FORM_FACTORS}
