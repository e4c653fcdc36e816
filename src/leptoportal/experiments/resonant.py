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

Approximations (docs, "Resonant production"): the bound electrons' motion in the impulse
approximation with their Hartree-Fock Compton profiles and binding energies
(``electron_motion="compton"``, the default: `compton_kernel()`); ``"shells"`` replaces the
profiles by a Gaussian spread of the resonance energy per subshell (`shell_spreads()`, the
model up to 0.2.0) and ``"rest"`` takes the electrons at rest; mean energy loss (radiative
straggling moves the exit energy; it matters only at the low edge of the window, which the
beam spread washes out); muon energies between 1 GeV and 1 TeV kinetic (the energy-loss table).

Example:

    res = Resonance("mu+", 0.418, Couplings.chiral(1e-3), DarkSector.default(0.418))
    resonant_yield(res, "Pb", 160.0, 40.0, spread=0.0)   # phi per muon, all final states
"""

from __future__ import annotations

import dataclasses
import math
from functools import cache
from typing import Any

import numpy as np
from scipy import special

from leptoportal._typing import FloatArray
from leptoportal.config import data_table
from leptoportal.constants import M_E, M_MU, N_A, PB_TO_CM2
from leptoportal.errors import InputError, require_choice, require_range
from leptoportal.experiments.presets import ELECTRON_MOTION
from leptoportal.experiments.stopping import T_RANGE_GEV, stopping_power_per_cm
from leptoportal.experiments.tracklength import depth_nodes, tsai_track_length_density
from leptoportal.production import Material, get_material
from leptoportal.production.resonance import Resonance

#: beam spread: the Gaussian is followed to this many standard deviations
SPREAD_SIGMAS = 7.0
#: Gauss-Hermite nodes of the positron beam-spread average
N_HERMITE = 24
#: the default model of the target electrons (of ELECTRON_MOTION)
DEFAULT_ELECTRON_MOTION = ELECTRON_MOTION[0]
#: grid step in ln E of the Compton smearing (the kernel in ln k and the weights in ln E)
COMPTON_STEP = 2e-4
#: the smeared weights are cut below this fraction of their largest value
WEIGHT_FLOOR = 1e-12
#: panels in ln E of the line integral over the smeared weights (beside the line's own)
PANEL_STEP = 0.01
#: showers of the positron track-length table of a thick electron target
SHOWERS = 100_000
#: one atomic unit of momentum, alpha m_e (GeV)
AU_MOMENTUM_GEV = M_E / 137.035999084
#: the Compton profiles are continued beyond their last tabulated momentum (100 a.u.) by the
#: hydrogenic form J ~ (1 + (p/p0)^2)^-3 (the p^-6 of s electrons at large p) matched in value
#: and log-slope to the fit of their last TAIL_POINTS points, and integrated to TAIL_END_AU
#: (then normalised to 1/2 per electron and side); the kernel uses them up to the momentum
#: where k = (E_e - p_z)/m_e reaches K_MIN (a bound electron's p_z cannot exceed its energy;
#: below K_MIN it resonates beyond 1/K_MIN of the line's beam energy)
TAIL_POINTS, TAIL_END_AU, K_MIN = 3, 1e4, 0.05
#: points per decade of the continued tail
TAIL_DENSITY = 400


def electron_density(material: str | Material | dict[str, Any]) -> float:
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


@cache
def _inverse_stopping(material_key: str) -> np.ndarray:
    """1/S(E) (cm/GeV) on the energies of `_range_table()` (interpolated in between: 1/S
    is smooth on the 4001 log-spaced nodes to ~1e-7)."""
    e, _ = _range_table(material_key)
    return 1.0 / np.asarray(stopping_power_per_cm(material_key, e))


def _material_key(material: str | Material | dict[str, Any]) -> str:
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


@cache
def compton_shells(element: str) -> tuple[tuple[float, float, np.ndarray, np.ndarray], ...]:
    """(electrons, binding energy in GeV, p_z in GeV, cumulative profile C(p_z)) of every
    subshell of ``element`` from its Hartree-Fock Compton profile J(p_z) (Biggs, Mendelsohn &
    Mann, At. Data Nucl. Data Tables 16 (1975) 201, as xraylib tabulates them;
    data/compton_profiles.csv), C(p) = Int_0^p J per electron (0.5 at infinity). The tables
    end at 100 a.u. (0.73 m_e), where 9% of lead's K shell still lies beyond: the profile is
    continued with the s electrons' asymptotic form (`TAIL_POINTS`), and each profile is
    normalised to its electron (C = 1/2 at infinity; the tabulated part integrates to 0.4997
    for hydrogen)."""
    rows = [r for r in data_table("compton_profiles.csv") if r["element"] == element]
    if not rows:
        raise InputError(f"target element {element!r} has no Compton-profile table (use "
                         f"electron_motion = 'shells' or 'rest')")
    keys = [k for k in rows[0] if k.startswith("J_")]
    pz_au = np.array([float(k[2:]) for k in keys])
    # the profiles on a fine grid (log-linear between the tabulated points, a power law
    # beyond the last), integrated
    p_last = pz_au[-1]
    tail = np.geomspace(p_last, TAIL_END_AU, int(TAIL_DENSITY * np.log10(TAIL_END_AU / p_last)))
    fine = np.unique(np.concatenate([pz_au, np.linspace(0.0, p_last, 4001), tail]))
    beyond = fine > p_last
    out = []
    for r in rows:
        j = np.array([float(r[k]) for k in keys])
        log_j = np.log(np.maximum(j, 1e-300))
        jf = np.exp(np.interp(fine, pz_au, log_j))
        jf[beyond] = j[-1] * _tail_shape(fine[beyond], p_last, log_j[-TAIL_POINTS:],
                                         np.log(pz_au[-TAIL_POINTS:]))
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (jf[1:] + jf[:-1]) * np.diff(fine))])
        cum *= 0.5 / cum[-1]  # one electron: 1/2 on each side of p_z = 0
        out.append((float(r["electrons"]), float(r["binding_eV"]) * 1e-9,
                    fine * AU_MOMENTUM_GEV, cum))
    return tuple(out)


def _tail_shape(p: FloatArray, p_last: float, log_j: FloatArray,
                log_p: FloatArray) -> FloatArray:
    """J(p)/J(p_last) beyond the table: (1 + (p/p0)^2)^-3 with p0 set by the log-slope s of
    the table's last points ``log_j`` at ``log_p`` (s = 6 p^2/(p0^2 + p^2) at p_last; a
    steeper s is kept as a power law)."""
    s = -float(np.polyfit(log_p, log_j, 1)[0])
    if s >= 6.0:
        returned: FloatArray = (p / p_last) ** -s
        return returned
    p0_sq = p_last**2 * (6.0 / max(s, 1e-3) - 1.0)
    returned = ((1.0 + p_last**2 / p0_sq) / (1.0 + p**2 / p0_sq)) ** 3
    return returned


@cache
def compton_kernel(material_key: str, binding: bool = True,
                   step: float = COMPTON_STEP) -> tuple[np.ndarray, np.ndarray]:
    """(ln k, weight) of the target's electrons on a uniform grid of ``step`` in ln k.

    An electron of binding energy B and momentum p_z along the beam (energy E_e = m_e - B in
    the impulse approximation) gives s = m_l^2 + m_e'^2 + 2 E (E_e - p_z) ~ s_rest(k E) with
    k = (E_e - p_z)/m_e: the line of a beam energy E sits at the at-rest line of k E. The flux
    factor of the moving electron, 1 - p_z/E_e = k m_e/E_e, turns the rate per electron into
    (m_e/E_e) sigma_rest(E'), E' = k E, so a shell contributes its share of the electrons times
    m_e/E_e times the probability of its k (from the Compton profile); summed over the
    subshells of every element weighted by its share of the electrons. ``binding=False`` sets
    B = 0 (then the weights sum to the profiles' coverage up to k = `K_MIN`: 0.9995 of
    lead's electrons, a test)."""
    mat = get_material(material_key)
    per_el = [(w * t.Z / t.A, t.name) for t, w in mat.components]
    norm = sum(x for x, _ in per_el)
    pieces = []
    for share, name in per_el:
        shells = compton_shells(name)
        total = sum(n for n, _, _, _ in shells)
        for n, b, p, cum in shells:
            e_e = M_E - (b if binding else 0.0)
            # |p_z| up to E_e - K_MIN m_e (k >= K_MIN; no bound electron has p_z > E_e)
            inside = p <= e_e - K_MIN * M_E
            p, cum = p[inside], cum[inside]
            # k at the edges of the ln-k bins of this shell: p = E_e - m_e k, both signs of p
            lo = math.floor(math.log((e_e - p[-1]) / M_E) / step) - 1
            hi = math.ceil(math.log((e_e + p[-1]) / M_E) / step) + 1
            edges = np.exp((np.arange(lo, hi + 1) - 0.5) * step) * M_E
            signed = e_e - edges  # p_z at the bin edges (decreasing)
            c = np.sign(signed) * np.interp(np.abs(signed), p, cum, right=cum[-1])
            prob = c[:-1] - c[1:]  # probability of each bin (k increasing, p decreasing)
            pieces.append((np.arange(lo, hi), share / norm * n / total * M_E / e_e * prob))
    lo = min(int(i[0]) for i, _ in pieces)
    hi = max(int(i[-1]) for i, _ in pieces)
    weight = np.zeros(hi - lo + 1)
    for idx, w in pieces:
        weight[idx - lo] += w
    return (np.arange(lo, hi + 1) * step), weight


#: the Fourier transforms of the cached kernels, per (kernel, size)
_KERNEL_FFT: dict[tuple[int, int], np.ndarray] = {}


def compton_weight(kernel: tuple[np.ndarray, np.ndarray], ln_e: np.ndarray,
                   w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The weight of the at-rest line, Sum_k kernel(k) W(E'/k), on the grid ln E' (the
    convolution of W, given on the uniform grid ``ln_e`` of the kernel's step, with the
    kernel)."""
    ln_k, kw = kernel
    if len(kw) > 64 and len(w) > 64:  # by FFT: lead's K shell spans ~10^4 steps
        n = len(w) + len(kw) - 1
        size = 1 << (n - 1).bit_length()
        key = (id(kw), size)
        if key not in _KERNEL_FFT:  # the kernels are cached: their transforms too
            _KERNEL_FFT[key] = np.fft.rfft(kw, size)
        out = np.fft.irfft(np.fft.rfft(w, size) * _KERNEL_FFT[key], size)[:n]
        out = np.maximum(out, 0.0)  # round-off around zero
    else:
        out = np.convolve(w, kw)
    return ln_e[0] + ln_k[0] + np.arange(len(out)) * (ln_e[1] - ln_e[0]), out


def electron_spreads(material: str | Material | dict[str, Any],
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


def resonant_yield(res: Resonance, material: str | Material | dict[str, Any], e0: float,
                   thickness_x0: float,
                   spread: float = 0.0, final: str = "all",
                   electron_motion: str = DEFAULT_ELECTRON_MOTION,
                   binding: bool = True, e_min: float = 0.0) -> float:
    """Resonant scalars per beam particle (final state ``final``, see
    `sigma_pb()`) on a target of ``thickness_x0`` radiation lengths, nominal beam energy
    ``e0`` (GeV) with relative Gaussian spread ``spread``.

    ``electron_motion="compton"`` (the default): the bound electrons in the impulse
    approximation with the Hartree-Fock Compton profiles of their subshells, each shell's
    binding energy in s (``binding=False`` drops it) and the flux factor of a moving target
    (`compton_kernel()`); ``"shells"``: a Gaussian spread of the resonance energy per
    subshell (virial estimate, added to the beam spread in quadrature); ``"rest"``: the
    electrons at rest.

    ``e_min``: the smallest energy of phi that is counted (GeV; the set-up's missing-energy
    cut): phi takes the annihilating lepton's energy (plus m_e; the electrons' motion shifts
    it by their momentum, below 1 MeV for most of them, which is neglected), so the beam's
    track length is counted above ``e_min``. It matters for thick positron targets, where
    the primary positron annihilates anywhere below E0; a muon beam resonates at its own
    energy, within its energy loss of E0: the cut applies to its Compton line (where the
    energy is the muon's), while the "shells" and "rest" models, whose Gaussian spread
    mixes the electrons' motion into the beam energy, keep the whole line."""
    require_range("beam_energy_spread", spread, 0.0, 0.5)
    require_range("thickness_x0", thickness_x0, 0.0, 1000.0, lo_open=True)
    require_choice("electron_motion", electron_motion, ELECTRON_MOTION)
    mat = get_material(material)
    length = thickness_x0 * mat.X0_cm
    n_e = electron_density(material)
    if electron_motion == "compton":
        kernel = compton_kernel(_material_key(material), binding)
        if res.flavour == "mu":
            w = _above(_muon_track_weights(_material_key(material), e0, length, spread), e_min)
            return n_e * PB_TO_CM2 * _compton_line(res, kernel, w, final)
        w = _above(_positron_track_weights(e0, thickness_x0, spread), e_min)
        return n_e * mat.X0_cm * PB_TO_CM2 * _compton_line(res, kernel, w, final)
    mix = tuple((w, math.hypot(spread, sig)) for w, sig in electron_spreads(material,
                                                                             electron_motion))
    if res.flavour == "mu":  # the spread of these models is not the muon's energy: no cut
        return n_e * PB_TO_CM2 * _muon_line(res, _material_key(material), e0, length, mix,
                                            final)
    return n_e * mat.X0_cm * PB_TO_CM2 * _positron_line(res, e0, thickness_x0, mix, final,
                                                        e_min)


def _above(weights: tuple[np.ndarray, np.ndarray], e_min: float
           ) -> tuple[np.ndarray, np.ndarray]:
    """Track weights (ln E, W) counted above ``e_min`` only: each cell of the ln E grid
    times the fraction of it above ln e_min."""
    x, w = weights
    if e_min <= 0:
        return x, w
    step = x[1] - x[0]
    inside = np.clip((x + step / 2 - math.log(e_min)) / step, 0.0, 1.0)
    return x, w * inside


def _muon_line(res: Resonance, material: str, e0: float, length: float,
               mix: tuple[tuple[float, float], ...], final: str) -> float:
    """Int sigma / S over the energies crossed, for a mixture (weight, relative spread) of
    Gaussian spreads of E0 - E_R."""
    e_grid, r_grid = _range_table(_material_key(material))

    def inv_s(e: FloatArray) -> FloatArray:
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

    def weight(e: FloatArray) -> FloatArray:
        e_up = np.interp(np.interp(e, e_grid, r_grid) + length, r_grid, e_grid,
                         right=np.inf)
        # all spreads at once: (spreads, points)
        prob = np.sum(weights * (special.ndtr((e_up - e0) / sig_e)
                                 - special.ndtr((e - e0) / sig_e)), axis=0)
        if at_rest:
            prob = prob + at_rest * ((e >= e_exit) & (e <= e0))
        returned: FloatArray = prob * inv_s(e)
        return returned

    return res.line_integral(e_lo, hi, weight, final, extra_edges=(e_exit, e0))


def _ln_grid(e_lo: float, e_hi: float, step: float = COMPTON_STEP) -> np.ndarray:
    """ln E from below ``e_lo`` to above ``e_hi`` on the multiples of ``step``."""
    return np.arange(math.floor(math.log(e_lo) / step) - 1,
                     math.ceil(math.log(e_hi) / step) + 2) * step


def _muon_track_weights(material: str, e0: float, length: float,
                        spread: float) -> tuple[np.ndarray, np.ndarray]:
    """(ln E, W) with W(E) = P(E <= E0' <= E_up(E)) / S(E) of the muons of the beam (per GeV
    of muon energy, cm/GeV), cell averages on the grid of `compton_kernel()`."""
    e_grid, r_grid = _range_table(material)
    _check_muon_energy(e0)
    sig = spread * e0
    lo = max(e0 - SPREAD_SIGMAS * sig, e_grid[0])
    hi = min(e0 + SPREAD_SIGMAS * sig, e_grid[-1])
    e_lo = muon_window(material, lo, length)[0] if lo > e_grid[0] else e_grid[0]
    x = _ln_grid(e_lo, hi)
    e = np.exp(x)
    inv_s = np.interp(e, e_grid, _inverse_stopping(material))
    if sig == 0.0:  # the fraction of each cell inside [E_exit, E0]
        e_exit = muon_window(material, e0, length)[0]
        step = x[1] - x[0]
        inside = (np.minimum(x + step / 2, math.log(e0))
                  - np.maximum(x - step / 2, math.log(e_exit)))
        return x, np.clip(inside / step, 0.0, 1.0) * inv_s
    e_up = np.interp(np.interp(e, e_grid, r_grid) + length, r_grid, e_grid, right=np.inf)
    prob = special.ndtr((e_up - e0) / sig) - special.ndtr((e - e0) / sig)
    return x, prob * inv_s


def _positron_track_weights(e0: float, thickness_x0: float,
                            spread: float) -> tuple[np.ndarray, np.ndarray]:
    """(ln E, W) with W(E) = T(E0, E), the primary positron's track length (X0 per GeV),
    averaged over the Gaussian beam spread (Gauss-Hermite)."""
    if spread == 0.0:
        beams, weights = np.array([e0]), np.array([1.0])
    else:
        xh, wh = np.polynomial.hermite_e.hermegauss(N_HERMITE)
        beams, weights = e0 * (1.0 + spread * xh), wh / math.sqrt(2.0 * math.pi)
        keep = beams > 0
        beams, weights = beams[keep], weights[keep]
    x = _ln_grid(1e-3 * e0, float(beams.max()))
    e = np.exp(x)
    w = sum(wt * positron_track_length(b, e, thickness_x0)
            for b, wt in zip(beams, weights, strict=True))
    return x, np.asarray(w)


@cache
def motion_kernel(material_key: str, motion: str,
                  step: float = COMPTON_STEP) -> tuple[np.ndarray, np.ndarray]:
    """(ln k, weight) of the target electrons for ``motion``: the Compton kernel
    (`compton_kernel()`), Gaussians in ln k of the subshells' relative spreads
    (`shell_spreads()`), or all at k = 1 (at rest)."""
    require_choice("electron_motion", motion, ELECTRON_MOTION)
    if motion == "compton":
        return compton_kernel(material_key, True, step)
    if motion == "rest":
        return np.array([0.0]), np.array([1.0])
    mix = electron_spreads(material_key, "shells")
    reach = SPREAD_SIGMAS * max(sig for _, sig in mix)
    n = int(math.ceil(reach / step))
    ln_k = np.arange(-n, n + 1) * step
    edges = np.append(ln_k - step / 2, ln_k[-1] + step / 2)
    weight = np.zeros(len(ln_k))
    for w, sig in mix:
        if sig > 0:
            weight += w * np.diff(special.ndtr(edges / sig))
        else:
            weight[n] += w
    return ln_k, weight


def shower_positron_yield(res: Resonance, material: str | Material | dict[str, Any], e0: float,
                          thickness_x0: float,
                          cut: float = 0.0, final: str = "all",
                          electron_motion: str = DEFAULT_ELECTRON_MOTION,
                          n_showers: int = SHOWERS, seed: int = 1) -> tuple[float, float]:
    """Resonant scalars per beam electron from the positrons of its electromagnetic shower
    annihilating on the target's electrons (`~.cascade.positron_track_lengths()`), with the
    scalar's energy (the positron's, up to the electron's mass) above ``cut`` (GeV):
    n_e X0 Int dE' sigma_rest(E') Sum_k kernel(k) T_+(E'/k) 1(E'/k > cut); returns it with
    its Monte-Carlo error: the spread of the same yield from each independent batch of
    showers of the table (`~.cascade.batch_error()`)."""
    from leptoportal.experiments.cascade import batch_error, positron_track_lengths

    if res.beam != "e+":
        raise InputError("shower positrons annihilate through the e+ e- resonance (an "
                         "electron-diagonal coupling)")
    mat = get_material(material)
    e_min = max(cut, 1e-3 * e0)
    table = positron_track_lengths(_material_key(material), e0, thickness_x0, e_min,
                                   n_showers, seed)
    x = _ln_grid(e_min, e0)
    e = np.exp(x)
    inside = e >= cut
    kernel = motion_kernel(_material_key(material), electron_motion)
    scale = electron_density(material) * mat.X0_cm * PB_TO_CM2
    value = _compton_line(res, kernel, (x, table.positron_density(e) * inside), final)
    per_batch = [_compton_line(res, kernel, (x, dataclasses.replace(table, positron=b)
                                              .positron_density(e) * inside), final)
                 for b in table.positron_batches]
    return scale * value, scale * batch_error(per_batch)


def _compton_line(res: Resonance, kernel: tuple[np.ndarray, np.ndarray],
                  track: tuple[np.ndarray, np.ndarray], final: str) -> float:
    """Int dE' sigma_rest(E') Sum_k kernel(k) W(E'/k): the at-rest line against the track
    weights W smeared by the electrons' k (`compton_kernel()`)."""
    x, w = compton_weight(kernel, *track)
    if not w.max() > 0:
        return 0.0
    keep = np.flatnonzero(w > WEIGHT_FLOOR * w.max())
    x, w = x[keep[0]:keep[-1] + 1], w[keep[0]:keep[-1] + 1]

    def weight(e: FloatArray) -> FloatArray:
        returned: FloatArray = np.interp(np.log(e), x, w, left=0.0, right=0.0)
        return returned

    # the smeared weight reaches far from the line, where its tail still counts (the weight
    # there is large): panels every PANEL_STEP in ln E beside the line's own
    edges = np.exp(np.arange(x[0], x[-1], PANEL_STEP))
    return res.line_integral(math.exp(x[0]), math.exp(x[-1]), weight, final,
                             extra_edges=tuple(edges))


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
                   mix: tuple[tuple[float, float], ...], final: str,
                   e_min: float = 0.0) -> float:
    """Int sigma T over the line above ``e_min``, T averaged over the mixture of Gaussian
    spreads of E0 (Gauss-Hermite)."""
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

    def weight(e: FloatArray) -> FloatArray:
        total: FloatArray = sum((w * positron_track_length(b, e, thickness_x0)
                                 for b, w in zip(beams, weights, strict=True)),
                                np.zeros_like(np.asarray(e, dtype=float)))
        return total

    top = float(max(beams))
    if e_min >= top:
        return 0.0
    return res.line_integral(max(1e-3 * e0, e_min), top, weight, final, extra_edges=(e0,))


__all__ = [
    "AU_MOMENTUM_GEV", "COMPTON_STEP", "SHOWERS", "motion_kernel", "shower_positron_yield",
    "DEFAULT_ELECTRON_MOTION", "ELECTRON_MOTION", "N_HERMITE", "SPREAD_SIGMAS", "compton_kernel",
    "compton_shells", "compton_weight", "electron_density", "electron_spreads", "muon_window",
    "positron_track_length", "resonant_yield", "shell_spreads",
]


def __dir__() -> list[str]:
    return __all__
