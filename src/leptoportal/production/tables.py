"""Cross-section tables over (E0, m_phi), interpolated log-log for yield integrals.

Each table point comes from :func:`cached_cross_section`, which caches it on disk under a hash
of every input (process, couplings, form factor, method, cuts, precision, seed, version) with
atomic writes; a table interrupted part-way therefore resumes point by point. Tables are for a
coupling *pattern* (sigma scales as h^2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import RegularGridInterpolator

from leptoportal.errors import InputError
from leptoportal.model import Couplings
from leptoportal.production.kinematics import Process
from leptoportal.production.targets import get_target
from leptoportal.production.xsec import METHODS, cached_cross_section


@dataclass
class XsecTable:
    """sigma(E0, m_phi) in pb for the table's couplings, with errors; log-log interpolation."""

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
        """Interpolated sigma (pb); 0 below the first energy point."""
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


def xsec_table(beam: str, target: str, energies, masses, method: str = "etl",
               couplings: Couplings | None = None, form_factor: str = "elastic",
               precision: float = 0.005, seed: int | None = 1, use_cache: bool = True,
               progress=None) -> XsecTable:
    """Table sigma(E0_i, m_j) from cached points; points below threshold get sigma = 0.

    ``progress``: optional callable(done, total).
    """
    if method not in METHODS:
        raise InputError(f"method = {method!r} is not one of: {', '.join(METHODS)}")
    couplings = couplings or Couplings.chiral(1.0)
    energies = np.asarray(sorted(map(float, energies)))
    masses = np.asarray(sorted(map(float, masses)))
    sigma = np.zeros((len(energies), len(masses)))
    err = np.zeros_like(sigma)
    total = sigma.size
    for i, e in enumerate(energies):
        for j, m in enumerate(masses):
            try:
                proc = Process(beam, float(e), target, float(m), couplings, form_factor)
            except InputError:
                pass  # below threshold: sigma = 0
            else:
                sigma[i, j], err[i, j] = cached_cross_section(proc, method, None, precision,
                                                              seed, use_cache)
            if progress is not None:
                progress(i * len(masses) + j + 1, total)
    inputs = {"kind": "xsec-table", "beam": beam, "target": get_target(target).name,
              "method": method, "c_s": couplings.c_s, "c_p": couplings.c_p,
              "form_factor": form_factor, "precision": precision, "seed": seed}
    return XsecTable(energies, masses, sigma, err, inputs)
