"""Track length of the primary beam lepton in a thick target (Tsai's approximation).

Tsai, Rev. Mod. Phys. 46 (1974) 815: the primary electron of energy E0 has, at depth t (in
radiation lengths), the energy spectrum

    I_e(E0, E, t) = (1/E0) [ln(E0/E)]^(4t/3 - 1) / Gamma(4t/3),

i.e. y = ln(E0/E) follows a Gamma(b = 4t/3) distribution. With a cross-section piecewise
linear in y through a set of energy nodes, Int dE I_e sigma(E) is exact in terms of regularised
incomplete gamma functions; the depth integral is a composite Gauss-Legendre rule.

Shower secondaries: the formula follows the primary only. Secondary e+ e- carry energy below
E0/2 after the first radiation length, so a selection that needs the converting lepton above
E0/2 (NA64: E_conv > 50 GeV at E0 = 100 GeV) receives them only from the first ~X0, at the
per-cent level; they are not included.

Weights W_j (X0) with Int_0^T dt Int dE I_e sigma(E) = sum_j W_j sigma(E_j); their sum is the
track length of the primary above the last node:

>>> float(track_length_weights(100.0, np.geomspace(100, 50, 9), 40.0).sum())   # X0 above 50 GeV
0.86999...
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import special

from leptoportal._typing import AnyArray, FloatArray
from leptoportal.constants import LEPTON_MASS
from leptoportal.errors import InputError
from leptoportal.experiments.presets import ExperimentConfig
from leptoportal.numerics import gauss_legendre_panels
from leptoportal.production import get_target
from leptoportal.production.process import threshold_energy

#: energy nodes of a thick-target yield between E0 and the selection threshold
N_ENERGY_NODES = 9


def tsai_track_length_density(e0: float, e: np.ndarray, t: float) -> np.ndarray:
    """I_e(E0, E, t) = (1/E0) [ln(E0/E)]^(4t/3 - 1) / Gamma(4t/3), per GeV per X0."""
    b = 4.0 * t / 3.0
    y = np.log(e0 / np.asarray(e, dtype=float))
    returned: AnyArray = np.exp((b - 1.0) * np.log(y) - special.gammaln(b)) / e0
    return returned


def depth_nodes(thickness: float, n: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes/weights in depth t over [0, T], panels denser near t = 0."""
    edges = np.unique(np.clip([0.0, 0.05, 0.25, 1.0, 3.0, 8.0, 20.0, 50.0, 200.0, 1000.0],
                              0.0, thickness))
    return gauss_legendre_panels(edges, n)


def track_length_weights(e0: float, energies: np.ndarray, thickness: float) -> np.ndarray:
    """Weights W_j (X0) with Int_0^T dt Int dE I_e sigma(E) = sum_j W_j sigma(E_j) for sigma
    piecewise linear in y = ln(E0/E) through the nodes ``energies`` (descending from E0) and
    zero below the last node."""
    energies = np.asarray(energies, dtype=float)
    if not (abs(energies[0] - e0) < 1e-9 * e0 and np.all(np.diff(energies) < 0)):
        raise InputError("energy nodes must start at E0 and decrease")
    y = np.log(e0 / energies)
    ts, wts = depth_nodes(thickness)
    weights = np.zeros(len(y))
    dy = np.diff(y)
    for t, wt in zip(ts, wts, strict=True):
        b = 4.0 * t / 3.0
        f0 = special.gammainc(b, y)  # P(b, y): probability mass below y
        f1 = b * special.gammainc(b + 1.0, y)  # partial first moment
        d0, d1 = np.diff(f0), np.diff(f1)
        slope_part = (d1 - y[:-1] * d0) / dy
        w = np.zeros(len(y))
        w[:-1] += d0 - slope_part
        w[1:] += slope_part
        w[0] += f0[0]  # mass at y = 0 exactly (only for b -> 0)
        weights += wt * w
    return weights


def energy_nodes(cfg: ExperimentConfig, m_phi: float, n: int = N_ENERGY_NODES,
                 final_lepton: str | None = None, element: str | None = None) -> np.ndarray:
    """Descending energies from E0 to the lowest energy that can pass the selection (for the
    outgoing ``final_lepton``, default the set-up's first channel, on the nuclei of
    ``element``, default the target material's first element)."""
    e0 = cfg.energy
    m_out = LEPTON_MASS[final_lepton or cfg.channels()[0]]
    target = get_target(element) if element else cfg.element_columns()[0][0]
    thr = threshold_energy(LEPTON_MASS[cfg.beam_flavour], m_out, m_phi, target.nucleus_mass)
    # below E_phi_min + E_out_min (+ m_out) nothing can pass the selection
    lo = max(cfg.e_conv_min, cfg.e_phi_min + max(cfg.e_out_min, m_out), 1.02 * thr)
    if lo >= e0:
        raise InputError(
            f"selection needs E > {lo:.4g} GeV but the beam has E0 = {e0:g} GeV")
    return np.geomspace(e0, lo, n)


def track_length_sampler(cfg: ExperimentConfig, m_phi: float, rng: np.random.Generator,
                         final_lepton: str | None = None, element: str | None = None
                         ) -> tuple[Callable[[int], tuple[FloatArray, FloatArray]],
                                    FloatArray, float]:
    """Sampler of (depth t in X0, energy E) from Tsai's density restricted to E >= E_min.

    Returns (draw, nodes, norm): ``draw(n) -> (t, E)``, the energy nodes of
    `energy_nodes()` (E_min is the last) and the track length above E_min in X0.
    """
    nodes = energy_nodes(cfg, m_phi, final_lepton=final_lepton, element=element)
    e0 = cfg.energy
    y_max = math.log(e0 / nodes[-1])
    ts = np.linspace(0.0, cfg.thickness_x0, 8001)
    marg = np.ones_like(ts)  # P(E > E_min at depth t); P(b -> 0, y) = 1 at t = 0
    marg[1:] = special.gammainc(4.0 * ts[1:] / 3.0, y_max)
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (marg[1:] + marg[:-1]) * np.diff(ts))])
    norm = float(cdf[-1])

    def draw(n: int) -> tuple[np.ndarray, np.ndarray]:
        u = rng.random(n) * norm
        t = np.interp(u, cdf, ts)
        b = 4.0 * t / 3.0
        v = rng.random(n) * special.gammainc(b, y_max)
        y = special.gammaincinv(b, v)
        return t, e0 * np.exp(-y)

    return draw, nodes, norm


__all__ = [
    "N_ENERGY_NODES", "depth_nodes", "energy_nodes", "track_length_sampler",
    "track_length_weights", "tsai_track_length_density",
]


def __dir__() -> list[str]:
    return __all__
