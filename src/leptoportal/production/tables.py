"""Cross-section tables over (E0, m_phi), cached on disk and interpolated log-log.

A table is computed for a coupling *pattern* normalised to h = 1 (sigma scales as h^2). Its
file name is a hash of every input (beam, target, form factor, method, couplings, precision,
seed, grids, package version). Rows are saved atomically as they finish, so an interrupted
computation resumes where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import RegularGridInterpolator

from leptoportal.cache import cache_dir, input_hash, load_npz, save_npz
from leptoportal.errors import InputError
from leptoportal.model import Couplings
from leptoportal.production.kinematics import Process
from leptoportal.production.targets import get_target
from leptoportal.production.xsec import METHODS, cross_section


@dataclass
class XsecTable:
    """sigma(E0, m_phi) in pb for unit couplings, with errors; log-log interpolation."""

    energies: np.ndarray
    masses: np.ndarray
    sigma_pb: np.ndarray
    err_pb: np.ndarray
    inputs: dict

    def __post_init__(self) -> None:
        ok = self.sigma_pb > 0
        logs = np.log(np.where(ok, self.sigma_pb, 1e-300))
        self._interp = RegularGridInterpolator(
            (np.log(self.energies), np.log(self.masses)), logs, method="linear",
            bounds_error=False, fill_value=None,
        )

    def __call__(self, energy, m_phi) -> np.ndarray:
        """Interpolated sigma (pb); 0 below the first energy point with sigma > 0."""
        e = np.asarray(energy, dtype=float)
        m = np.asarray(m_phi, dtype=float)
        e, m = np.broadcast_arrays(e, m)
        if np.any(m < self.masses[0] * (1 - 1e-9)) or np.any(m > self.masses[-1] * (1 + 1e-9)):
            raise InputError(
                f"m_phi outside the table range [{self.masses[0]:g}, {self.masses[-1]:g}] GeV")
        if np.any(e > self.energies[-1] * (1 + 1e-9)):
            raise InputError(f"energy above the table range (max {self.energies[-1]:g} GeV)")
        pts = np.column_stack([np.log(np.clip(e.ravel(), self.energies[0], None)),
                               np.log(m.ravel())])
        val = np.exp(self._interp(pts)).reshape(e.shape)
        return np.where(e < self.energies[0], 0.0, val)


def table_inputs(beam: str, target: str, energies, masses, method: str,
                 couplings: Couplings, form_factor: str, precision: float,
                 seed: int | None) -> dict:
    return {
        "kind": "xsec-table", "beam": beam, "target": get_target(target).name,
        "energies": list(map(float, energies)), "masses": list(map(float, masses)),
        "method": method, "c_s": couplings.c_s, "c_p": couplings.c_p,
        "form_factor": form_factor, "precision": precision, "seed": seed,
    }


def xsec_table(beam: str, target: str, energies, masses, method: str = "etl",
               couplings: Couplings | None = None, form_factor: str = "elastic",
               precision: float = 0.005, seed: int | None = 1, use_cache: bool = True,
               progress=None) -> XsecTable:
    """Compute (or load) a table sigma(E0_i, m_j). Points below threshold get sigma = 0.

    ``progress``: optional callable(done, total) for progress reporting.
    """
    if method not in METHODS:
        raise InputError(f"method = {method!r} is not one of: {', '.join(METHODS)}")
    couplings = couplings or Couplings.chiral(1.0)
    energies = np.asarray(sorted(map(float, energies)))
    masses = np.asarray(sorted(map(float, masses)))
    inputs = table_inputs(beam, target, energies, masses, method, couplings, form_factor,
                          precision, seed)
    path = cache_dir() / f"xsec-{input_hash(inputs)}.npz"
    stored = load_npz(path) if use_cache else None
    shape = (len(energies), len(masses))
    if stored is not None and stored["sigma"].shape == shape:
        sigma, err, done = stored["sigma"], stored["err"], stored["done"]
    else:
        sigma, err, done = np.zeros(shape), np.zeros(shape), np.zeros(shape, dtype=bool)
    total = done.size
    for i, e in enumerate(energies):
        for j, m in enumerate(masses):
            if done[i, j]:
                continue
            try:
                proc = Process(beam, float(e), target, float(m), couplings, form_factor)
            except InputError:
                sigma[i, j], err[i, j] = 0.0, 0.0  # below threshold
            else:
                r = cross_section(proc, method, precision=precision, seed=seed)
                sigma[i, j], err[i, j] = r.sigma_pb, r.sigma_err_pb
            done[i, j] = True
            if progress is not None:
                progress(int(done.sum()), total)
        if use_cache:
            save_npz(path, sigma=sigma, err=err, done=done, energies=energies, masses=masses)
    return XsecTable(energies, masses, sigma, err, inputs)


def log_grid(lo: float, hi: float, n: int) -> np.ndarray:
    """n log-spaced values from lo to hi."""
    return np.geomspace(lo, hi, n) if n > 1 else np.array([lo])


def threshold_safe_masses(masses, energy_min: float, beam: str, target: str) -> np.ndarray:
    """Masses kinematically open at ``energy_min`` (helper for table grids)."""
    out = []
    for m in masses:
        try:
            Process(beam, energy_min, target, float(m))
        except InputError:
            continue
        out.append(float(m))
    return np.asarray(out)


__all__ = ["XsecTable", "log_grid", "threshold_safe_masses", "xsec_table"]
