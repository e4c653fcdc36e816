"""Mean energy loss of muons in the target: -dE/dx = a(E) + b(E) E.

* a(E), ionisation: the Bethe equation with the maximum energy transfer to a free electron,
  the Sternheimer density-effect correction delta(beta gamma), the spin-1/2 term
  (1/8)(W_max/E)^2 and the radiative correction to the ionisation of high-energy muons
  (PDG, Rev. Part. Phys., "Passage of particles through matter", eqs. 34.5, 34.7 and the
  muon section; Groom, Mokhov, Striganov, At. Data Nucl. Data Tables 78 (2001) 183,
  eq. 8). Mean excitation energies and density-effect parameters: Sternheimer, Berger,
  Seltzer, At. Data Nucl. Data Tables 30 (1984) 261, as in the PDG tables
  (``data/muon_sternheimer.csv``).
* b(E) E, radiative losses (bremsstrahlung, e+e- pair production, photonuclear): interpolated
  (linear in ln T) in a tabulation of the PDG format (``data/muon_energy_loss.csv``, see its
  SOURCE file), between kinetic energies of 1 GeV and 1 TeV.

The ionisation is computed, and checked against the tabulated ionisation column in the tests
(within 2% at 10, 100 and 160 GeV); the radiative part is the tabulation itself.

Example:

    stopping_power("Pb", 160.0)          # GeV cm^2/g, 4.24e-3 (ionisation 1.90e-3)
    stopping_power_per_cm("Pb", 160.0)    # GeV/cm, 4.82e-2
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from leptoportal._typing import AnyArray
from leptoportal.config import data_table
from leptoportal.constants import ALPHA, M_E, M_MU
from leptoportal.errors import InputError
from leptoportal.production import Material, get_material

#: K = 4 pi N_A r_e^2 m_e c^2 in GeV cm^2/mol (PDG)
K_BETHE = 0.307075e-3
#: kinetic-energy range (GeV) of the radiative-loss tabulation
T_RANGE_GEV = (1.0, 1000.0)


@dataclass(frozen=True)
class StoppingTable:
    """Ionisation parameters and the radiative-loss table of one element."""

    name: str
    z_over_a: float
    i_gev: float
    cbar: float
    x0: float
    x1: float
    a: float
    k: float
    delta0: float
    t_gev: np.ndarray
    radiative: np.ndarray        # brems + pair + photonuclear, GeV cm^2/g
    ionisation_ref: np.ndarray   # tabulated ionisation (validation only), GeV cm^2/g


@cache
def stopping_tables() -> dict[str, StoppingTable]:
    """The tabulated elements, by name (the target names of `leptoportal.production`)."""
    from leptoportal.production import get_target

    params = {r["material"]: r for r in data_table("muon_sternheimer.csv")}
    rows: dict[str, list[Any]] = {}
    for r in data_table("muon_energy_loss.csv"):
        rows.setdefault(r["material"], []).append(r)
    out = {}
    for name, p in params.items():
        t = get_target(name)
        rs = sorted(rows[name], key=lambda r: float(r["T_MeV"]))
        t_gev = np.array([float(r["T_MeV"]) for r in rs]) / 1000.0
        rad = np.array([float(r["brems"]) + float(r["pair"]) + float(r["photonuc"])
                        for r in rs]) / 1000.0
        ion = np.array([float(r["ionization"]) for r in rs]) / 1000.0
        out[name] = StoppingTable(name, t.Z / t.A, float(p["I_eV"]) * 1e-9, float(p["Cbar"]),
                                  float(p["x0"]), float(p["x1"]), float(p["a"]),
                                  float(p["k"]), float(p["delta0"]), t_gev, rad, ion)
    return out


def _table(element: str) -> StoppingTable:
    tables = stopping_tables()
    if element not in tables:
        raise InputError(f"target element {element!r} has no muon energy-loss table "
                         f"(tabulated: {', '.join(tables)})")
    return tables[element]


def density_effect(tab: StoppingTable, beta_gamma: np.ndarray) -> np.ndarray:
    """Sternheimer's delta(beta gamma) (PDG eq. 34.7)."""
    x = np.log10(beta_gamma)
    two_ln10 = 2.0 * math.log(10.0)
    returned: AnyArray = np.where(
        x >= tab.x1, two_ln10 * x - tab.cbar,
        np.where(x >= tab.x0, two_ln10 * x - tab.cbar + tab.a * np.abs(tab.x1 - x) ** tab.k,
                 tab.delta0 * 10.0 ** (2.0 * (x - tab.x0))))
    return returned


def ionisation_loss(element: str, energy: np.ndarray | float) -> np.ndarray | float:
    """a(E): mean ionisation loss (GeV cm^2/g) of a muon of total energy ``energy`` (GeV)."""
    tab = _table(element)
    e = np.asarray(energy, dtype=float)
    gamma = e / M_MU
    bg2 = gamma * gamma - 1.0
    beta2 = bg2 / (gamma * gamma)
    ratio = M_E / M_MU
    w_max = 2.0 * M_E * bg2 / (1.0 + 2.0 * gamma * ratio + ratio * ratio)
    delta = density_effect(tab, np.sqrt(bg2))
    bethe = (0.5 * np.log(2.0 * M_E * bg2 * w_max / tab.i_gev ** 2) - beta2 - 0.5 * delta
             + 0.125 * (w_max / e) ** 2)
    # radiative correction to the ionisation of muons (Groom et al. 2001, eq. 8)
    l_w = np.log(1.0 + 2.0 * w_max / M_E)
    rad = ALPHA / (2.0 * math.pi) * (np.log(2.0 * e / M_MU) - l_w / 3.0) * l_w ** 2
    out = K_BETHE * tab.z_over_a / beta2 * (bethe + 0.5 * beta2 * rad)
    return float(out) if out.ndim == 0 else out


def radiative_loss(element: str, energy: np.ndarray | float) -> np.ndarray | float:
    """b(E) E: mean radiative loss (GeV cm^2/g), interpolated linearly in ln T."""
    tab = _table(element)
    e = np.asarray(energy, dtype=float)
    t = e - M_MU
    lo, hi = T_RANGE_GEV
    if np.any(t < lo * (1 - 1e-9)) or np.any(t > hi * (1 + 1e-9)):
        raise InputError(f"muon energy {float(np.min(e)):.4g}..{float(np.max(e)):.4g} GeV is "
                         f"outside the energy-loss table (kinetic {lo:g} to {hi:g} GeV)")
    out = np.interp(np.log(t), np.log(tab.t_gev), tab.radiative)
    return float(out) if out.ndim == 0 else out


def stopping_power(element: str, energy: np.ndarray | float) -> np.ndarray | float:
    """-dE/dx = a(E) + b(E) E in GeV cm^2/g for a muon of total energy ``energy`` (GeV)."""
    return ionisation_loss(element, energy) + radiative_loss(element, energy)


def stopping_power_per_cm(material: str | Material | dict[str, Any],
                          energy: np.ndarray | float) -> np.ndarray | float:
    """-dE/dx in GeV/cm in a target material: elements directly; mixtures and sampling
    structures as the mass-fraction average of their elements (Bragg additivity, which
    neglects the change of the density effect in the mixture)."""
    mat = get_material(material)
    e = np.asarray(energy, dtype=float)
    total = np.zeros_like(e)
    for t, w in mat.components:
        total = total + w * stopping_power(t.name, e)
    out = total * mat.density_g_cm3
    return float(out) if out.ndim == 0 else out


def energy_after(material: str | Material | dict[str, Any], energy: float, length_cm: float,
                 steps: int = 400) -> float:
    """Mean energy (GeV) of a muon of energy ``energy`` after ``length_cm`` of material
    (continuous slowing down, classical 4th-order Runge-Kutta in x)."""
    if length_cm <= 0:
        return float(energy)
    h = length_cm / steps
    e = float(energy)
    floor = M_MU + T_RANGE_GEV[0]
    for _ in range(steps):
        k1 = float(stopping_power_per_cm(material, e))
        k2 = float(stopping_power_per_cm(material, max(e - 0.5 * h * k1, floor)))
        k3 = float(stopping_power_per_cm(material, max(e - 0.5 * h * k2, floor)))
        k4 = float(stopping_power_per_cm(material, max(e - h * k3, floor)))
        e -= h * (k1 + 2 * k2 + 2 * k3 + k4) / 6.0
        if e <= floor:
            raise InputError(f"the muon stops (below {floor:.3g} GeV) inside "
                             f"{length_cm:g} cm of the target")
    return e


__all__ = [
    "K_BETHE", "T_RANGE_GEV", "density_effect", "energy_after", "ionisation_loss",
    "radiative_loss", "stopping_power", "stopping_power_per_cm", "stopping_tables",
    "StoppingTable",
]


def __dir__() -> list[str]:
    return __all__
