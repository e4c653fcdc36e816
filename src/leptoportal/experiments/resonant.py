"""Thick-target yield of the resonance l+ e- -> phi on the electrons of the target.

Per beam particle of nominal energy E0 (Gaussian energy spread sigma_E = spread * E0):

* mu+ beam (continuous slowing down with the mean stopping power S(E) of
  `stopping`): a muon entering with E0' crosses energy E if E_exit(E0') <= E <= E0',
  i.e. if E <= E0' <= E_up(E) with E_up(E) the entry energy that leaves E after the target
  length L (from the CSDA range R: R(E_up) = R(E) + L). Hence

      N / N_mu = n_e Int dE sigma(E) / S(E) * P(E <= E0' <= E_up(E)),

  n_e the electron density (Z rho N_A / A summed over the elements). Without spread the
  probability is 1 on [E_exit(E0), E0] and 0 elsewhere.
* e+ beam: the primary positron's track length of Tsai's approximation B
  (`tracklength`; positrons radiate as electrons do), N / N_e = n_e X0 Int dE
  sigma(E) T(E0, E), T = Int_0^T dt I_e(E0, E, t), averaged over the beam spread; positrons of
  the shower are not included.

The integral over the exact line shape is
`line_integral()`.

Approximations (docs, "Resonant production"): the bound electrons' motion as a Gaussian
spread of the resonance energy per subshell (`shell_spreads()`;
``electron_motion="rest"`` takes them at rest); mean energy loss (radiative straggling moves
the exit energy; it matters only at the low edge of the window, which the beam spread washes
out); muon energies between 1 GeV and 1 TeV kinetic (the energy-loss table).

Example:

    res = Resonance("mu+", 0.418, Couplings.chiral(1e-3), DarkSector.default(0.418))
    resonant_yield(res, "Pb", 160.0, 40.0, spread=0.0)   # phi per muon, all final states
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from scipy import special

from leptoportal.config import data_table
from leptoportal.constants import M_E, M_MU, N_A, PB_TO_CM2
from leptoportal.errors import InputError, require_choice, require_range
from leptoportal.experiments.stopping import T_RANGE_GEV, stopping_power_per_cm
from leptoportal.experiments.tracklength import depth_nodes, tsai_track_length_density
from leptoportal.production import Material, get_material
from leptoportal.production.resonance import Resonance

#: beam spread: the Gaussian is followed to this many standard deviations
SPREAD_SIGMAS = 7.0
#: Gauss-Hermite nodes of the positron beam-spread average
N_HERMITE = 24
#: models of the target electrons: at rest, or moving with the momenta of their subshells
ELECTRON_MOTION = ("shells", "rest")


def electron_density(material: str | Material | dict) -> float:
    """Electrons per cm^3 of a target material."""
    mat = get_material(material)
    return N_A * mat.density_g_cm3 * sum(w * t.Z / t.A for t, w in mat.components)


@cache
def _range_table(material_key: str) -> tuple[np.ndarray, np.ndarray]:
    """(E grid in GeV, CSDA range R(E) in cm from the lowest tabulated energy)."""
    mat = get_material(material_key)
    lo, hi = T_RANGE_GEV
    e = M_MU + np.geomspace(lo, hi, 4001)
    inv = 1.0 / np.asarray(stopping_power_per_cm(mat, e))
    r = np.concatenate([[0.0], np.cumsum(0.5 * (inv[1:] + inv[:-1]) * np.diff(e))])
    return e, r


def _material_key(material: str | Material | dict) -> str:
    if isinstance(material, str):
        return material
    raise InputError("resonant yields need a named target material")


def muon_window(material: str, e0: float, length_cm: float) -> tuple[float, float]:
    """(E_exit, E0): the energies a muon of energy E0 crosses in ``length_cm`` of target."""
    e, r = _range_table(_material_key(material))
    _check_muon_energy(e0)
    r0 = float(np.interp(e0, e, r))
    if r0 - length_cm <= 0:
        raise InputError(f"a {e0:g} GeV muon falls below the energy-loss table (kinetic "
                         f"energy {T_RANGE_GEV[0]:g} GeV) inside {length_cm:.4g} cm of target")
    return float(np.interp(r0 - length_cm, r, e)), float(e0)


def _check_muon_energy(e0: float) -> None:
    lo, hi = M_MU + T_RANGE_GEV[0], M_MU + T_RANGE_GEV[1]
    if not (lo <= e0 <= hi):
        raise InputError(f"muon energy {e0:.6g} GeV is outside the energy-loss table "
                         f"[{lo:.4g}, {hi:.4g}] GeV")


@cache
def shell_spreads(element: str) -> tuple[tuple[float, float], ...]:
    """(fraction of the atom's electrons, relative spread of the resonance energy) per
    subshell: q_z,rms / m_e with <q^2> = 2 m_e B (virial theorem of a Coulomb bound state,
    B the binding energy of ``data/atomic_shells.csv``), <q_z^2> = <q^2> / 3."""
    rows = [r for r in data_table("atomic_shells.csv") if r["element"] == element]
    if not rows:
        raise InputError(f"target element {element!r} has no atomic-shell table (for the "
                         f"electron motion; use electron_motion = 'rest')")
    total = sum(int(r["electrons"]) for r in rows)
    m_e_ev = M_E * 1e9
    return tuple((int(r["electrons"]) / total,
                  math.sqrt(2.0 * m_e_ev * float(r["binding_eV"]) / 3.0) / m_e_ev)
                 for r in rows)


def electron_spreads(material: str | Material | dict,
                     motion: str) -> tuple[tuple[float, float], ...]:
    """(weight, relative spread) of the target's electrons: one entry (1, 0) at rest, else
    the subshells of every element weighted by its share of the electrons."""
    require_choice("electron_motion", motion, ELECTRON_MOTION)
    if motion == "rest":
        return ((1.0, 0.0),)
    mat = get_material(material)
    per_el = [(w * t.Z / t.A, t.name) for t, w in mat.components]
    norm = sum(x for x, _ in per_el)
    return tuple((x / norm * f, sig) for x, name in per_el for f, sig in shell_spreads(name))


def resonant_yield(res: Resonance, material: str | Material | dict, e0: float,
                   thickness_x0: float,
                   spread: float = 0.0, final: str = "all",
                   electron_motion: str = "shells") -> float:
    """Resonant scalars per beam particle (final state ``final``, see
    `sigma_pb()`) on a target of
    ``thickness_x0`` radiation lengths, nominal beam energy ``e0`` (GeV) with relative
    Gaussian spread ``spread``. ``electron_motion="shells"`` smears the resonance energy of
    each subshell's electrons by their momentum along the beam (Gaussian, added to the beam
    spread in quadrature); ``"rest"`` takes the electrons at rest."""
    require_range("beam_energy_spread", spread, 0.0, 0.5)
    require_range("thickness_x0", thickness_x0, 0.0, 1000.0, lo_open=True)
    mat = get_material(material)
    length = thickness_x0 * mat.X0_cm
    n_e = electron_density(material)
    mix = tuple((w, math.hypot(spread, sig)) for w, sig in electron_spreads(material,
                                                                             electron_motion))
    if res.flavour == "mu":
        return n_e * PB_TO_CM2 * _muon_line(res, _material_key(material), e0, length, mix,
                                            final)
    return n_e * mat.X0_cm * PB_TO_CM2 * _positron_line(res, e0, thickness_x0, mix, final)


def _muon_line(res: Resonance, material: str, e0: float, length: float,
               mix: tuple[tuple[float, float], ...], final: str) -> float:
    """Int sigma / S over the energies crossed, for a mixture (weight, relative spread) of
    Gaussian spreads of E0 - E_R."""
    e_grid, r_grid = _range_table(_material_key(material))

    def inv_s(e):
        return 1.0 / np.asarray(stopping_power_per_cm(material, e))

    if all(sig == 0.0 for _, sig in mix):
        e_exit, _ = muon_window(material, e0, length)
        return res.line_integral(e_exit, e0, inv_s, final)
    _check_muon_energy(e0)
    widest = max(sig for _, sig in mix) * e0
    lo = max(e0 - SPREAD_SIGMAS * widest, e_grid[0])
    hi = min(e0 + SPREAD_SIGMAS * widest, e_grid[-1])
    e_lo = muon_window(material, lo, length)[0] if lo > e_grid[0] else e_grid[0]
    e_exit = muon_window(material, e0, length)[0]

    weights = np.array([w for w, sig in mix if sig > 0.0])[:, None]
    sig_e = np.array([sig for _, sig in mix if sig > 0.0])[:, None] * e0
    at_rest = sum(w for w, sig in mix if sig == 0.0)

    def weight(e):
        e_up = np.interp(np.interp(e, e_grid, r_grid) + length, r_grid, e_grid,
                         right=np.inf)
        # all spreads at once: (spreads, points)
        prob = np.sum(weights * (special.ndtr((e_up - e0) / sig_e)
                                 - special.ndtr((e - e0) / sig_e)), axis=0)
        if at_rest:
            prob = prob + at_rest * ((e >= e_exit) & (e <= e0))
        return prob * inv_s(e)

    return res.line_integral(e_lo, hi, weight, final, extra_edges=(e_exit, e0))


def positron_track_length(e0: float, e: np.ndarray, thickness_x0: float) -> np.ndarray:
    """T(E0, E) = Int_0^T dt I_e(E0, E, t): track length of the primary (X0 per GeV)."""
    ts, wts = depth_nodes(thickness_x0, 16)
    e = np.asarray(e, dtype=float)
    out = np.zeros_like(e)
    below = e < e0
    for t, wt in zip(ts, wts, strict=True):
        out[below] += wt * tsai_track_length_density(e0, e[below], t)
    return out


def _positron_line(res: Resonance, e0: float, thickness_x0: float,
                   mix: tuple[tuple[float, float], ...], final: str) -> float:
    """Int sigma T over the line, T averaged over the mixture of Gaussian spreads of E0
    (Gauss-Hermite)."""
    x, wx = np.polynomial.hermite_e.hermegauss(N_HERMITE)
    wx = wx / math.sqrt(2.0 * math.pi)
    beams, weights = [], []
    for w, sig in mix:
        if sig == 0.0:
            beams.append(e0)
            weights.append(w)
            continue
        b = e0 * (1.0 + sig * x)
        keep = b > 0
        beams.extend(b[keep])
        weights.extend(w * wx[keep])

    def weight(e):
        return sum(w * positron_track_length(b, e, thickness_x0)
                   for b, w in zip(beams, weights, strict=True))

    return res.line_integral(1e-3 * e0, float(max(beams)), weight, final,
                             extra_edges=(e0,))


__all__ = [
    "ELECTRON_MOTION", "N_HERMITE", "SPREAD_SIGMAS", "electron_density", "electron_spreads",
    "muon_window", "positron_track_length", "resonant_yield", "shell_spreads",
]


def __dir__() -> list[str]:
    return __all__
