"""Electromagnetic showers in a thick target: the track length of the shower's positrons
(and electrons) per unit energy, by a one-dimensional cascade Monte Carlo.

The shower of a beam electron of energy E0 in T radiation lengths of a material is followed
particle by particle (vectorised over the particles of many showers at once) with

* bremsstrahlung of e+- in complete screening (Tsai, Rev. Mod. Phys. 46 (1974) 815,
  eq. 3.83 without the small b-term): per X0, dN/dy = (4/3 - 4/3 y + y^2)/y, y = k/E. Photons
  with y > ``Y_CUT`` are emitted one by one; the softer ones are a continuous loss of
  (4/3 y_c - 2/3 y_c^2 + y_c^3/3) E per X0;
* pair production by photons in complete screening: per X0, dN/dx = 1 - 4/3 x (1 - x)
  (7/9 in total), x the energy fraction of the positron;
* ionisation of e+- as a continuous loss of the critical energy E_c per X0 (Rossi's
  definition; E_c = 610 MeV/(Z + 1.24) for solids and liquids, 710 MeV/(Z + 0.92) for
  gases, PDG Review "Passage of particles through matter"; mass-weighted for compounds);

and e+- are followed down to ``e_min`` (photons likewise). Between two emissions an e+-
loses energy at the rate dE/dt = -(a E + E_c), so it spends dt = dE/(a E + E_c) per unit
energy: the track length in each energy bin is recorded exactly for that law. Without
ionisation the e+- track length at E << E0 is Approximation A, c E0/E^2 X0 per GeV with
c = 0.4439 for these complete-screening cross-sections without Tsai's b-term (b = 0; Rossi's
0.437 belongs to b ~ 0.0135): a test at 0.5%; energy is conserved shower by shower (a test).

The table (`positron_track_lengths()`) is cached per material, beam energy, thickness and
statistics; its Monte-Carlo error comes from independent batches of showers: the error of any
quantity computed from the table (the track length above an energy, a yield) is the spread of
that quantity over the batches (the bins of one batch are correlated, so bin errors are not
added).

Examples
--------

>>> t = shower_track_lengths("Pb", 100.0, 40.0, n_showers=2000, e_min=10.0, seed=1)
>>> 0.0 < t.positron_above(50.0) < 0.2       # X0 of positrons above 50 GeV per electron
True
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from leptoportal._typing import AnyArray, FloatArray
from leptoportal.errors import InputError, require_range
from leptoportal.production import get_material

#: photons softer than this fraction of the e+- energy are a continuous loss
Y_CUT = 1e-3
#: pair-production rate per X0 in complete screening
PAIR_RATE = 7.0 / 9.0
#: independent batches of showers (the Monte-Carlo error)
BATCHES = 10
#: energy bins per decade of the track-length tables
BINS_PER_DECADE = 50
#: most showers of one table
MAX_SHOWERS = 2_000_000

_ELECTRON, _POSITRON, _PHOTON = 0, 1, 2


def _brem_continuous(y_c: float) -> float:
    """Fraction of the energy lost per X0 to photons with y < y_c."""
    return 4.0 / 3.0 * y_c - 2.0 / 3.0 * y_c**2 + y_c**3 / 3.0


def _brem_rate(y_c: float) -> float:
    """Photons with y > y_c per X0: Int_{y_c}^1 (4/3 - 4/3 y + y^2)/y dy."""
    return -4.0 / 3.0 * math.log(y_c) - 4.0 / 3.0 * (1.0 - y_c) + 0.5 * (1.0 - y_c**2)


def critical_energy(material: str) -> float:
    """E_c (GeV): 610 MeV/(Z + 1.24), or 710 MeV/(Z + 0.92) for a gas (PDG), mass-weighted
    over a compound's elements."""
    mat = get_material(material)
    total = 0.0
    for t, w in mat.components:
        gas = "gas" in t.description
        total += w * (0.710 / (t.Z + 0.92) if gas else 0.610 / (t.Z + 1.24))
    return total


def _sample_brem_y(rng: np.random.Generator, n: int, y_c: float) -> np.ndarray:
    """y in [y_c, 1] from (4/3 - 4/3 y + y^2)/y: proposals from 1/y (y = y_c^u), accepted with
    (4/3 - 4/3 y + y^2)/(4/3) (>= 3/4 of the proposals)."""
    out = np.empty(n)
    todo = np.arange(n)
    while len(todo):
        y = y_c ** rng.random(len(todo))
        ok = rng.random(len(todo)) * (4.0 / 3.0) <= 4.0 / 3.0 - 4.0 / 3.0 * y + y * y
        out[todo[ok]] = y[ok]
        todo = todo[~ok]
    return out


def _sample_pair_x(rng: np.random.Generator, n: int) -> np.ndarray:
    """x in [0, 1] from 1 - 4/3 x (1 - x) (uniform proposals, accepted with that, >= 2/3)."""
    out = np.empty(n)
    todo = np.arange(n)
    while len(todo):
        x = rng.random(len(todo))
        ok = rng.random(len(todo)) <= 1.0 - 4.0 / 3.0 * x * (1.0 - x)
        out[todo[ok]] = x[ok]
        todo = todo[~ok]
    return out


@dataclasses.dataclass
class ShowerTrackLengths:
    """Track lengths of a shower's positrons and electrons per beam electron: X0 per GeV in
    energy bins (``edges`` in GeV), with their Monte-Carlo errors."""

    material: str
    energy: float
    thickness_x0: float
    n_showers: int
    e_min: float
    edges: np.ndarray
    positron: np.ndarray
    positron_err: np.ndarray
    electron: np.ndarray
    electron_err: np.ndarray
    #: the positron density of each of the `BATCHES` independent batches of showers (X0 per
    #: GeV, shape (BATCHES, bins)): the Monte-Carlo error of anything computed from the table
    positron_batches: np.ndarray = dataclasses.field(repr=False, default=None)  # type: ignore
    #: energy balance of every shower: deposited + escaped + below e_min, over E0 (1 exactly)
    energy_balance: np.ndarray = dataclasses.field(repr=False, default=None)  # type: ignore

    def positron_above(self, energy: float) -> float:
        """X0 of positron track above ``energy`` (GeV), per beam electron."""
        return float(np.sum(self._above(self.positron, energy)))

    def positron_above_err(self, energy: float) -> float:
        """Its Monte-Carlo error: the spread of the batches' track lengths above ``energy``
        over sqrt(BATCHES)."""
        per_batch = [float(np.sum(self._above(b, energy))) for b in self.positron_batches]
        return batch_error(per_batch)

    def _above(self, density: np.ndarray, energy: float) -> np.ndarray:
        lo, hi = self.edges[:-1], self.edges[1:]
        frac = np.clip((hi - np.maximum(lo, energy)) / (hi - lo), 0.0, 1.0)
        returned: AnyArray = density * (hi - lo) * frac
        return returned

    def positron_density(self, e: np.ndarray) -> np.ndarray:
        """Positron track length per GeV at energies ``e`` (constant in each bin)."""
        idx = np.searchsorted(self.edges, e, side="right") - 1
        ok = (idx >= 0) & (idx < len(self.positron))
        out = np.zeros(np.shape(e))
        out[ok] = self.positron[idx[ok]]
        return out


def shower_track_lengths(material: str, energy: float, thickness_x0: float,
                         n_showers: int = 20_000, e_min: float | None = None, seed: int = 1,
                         ionisation: bool = True) -> ShowerTrackLengths:
    """The track lengths of the e+ and e- of ``n_showers`` showers of beam electrons of
    ``energy`` (GeV) in ``thickness_x0`` X0 of ``material``, followed down to ``e_min``
    (default E0/1000); ``ionisation=False`` is Rossi's Approximation A."""
    mat = get_material(material)
    e0 = require_range("energy", energy, 0.0, 1e5, lo_open=True, unit="GeV")
    depth = require_range("thickness_x0", thickness_x0, 0.0, 1000.0, lo_open=True)
    n_showers = int(require_range("n_showers", n_showers, BATCHES, MAX_SHOWERS))
    e_min = 1e-3 * e0 if e_min is None else require_range("e_min", e_min, 1e-6 * e0, e0,
                                                          lo_open=True, hi_open=True)
    eps = critical_energy(material) if ionisation else 0.0
    edges = np.geomspace(e_min, e0, int(math.ceil(BINS_PER_DECADE * math.log10(e0 / e_min)))
                         + 1)
    rng = np.random.default_rng(seed)
    per_batch = [np.zeros((2, len(edges) - 1)) for _ in range(BATCHES)]
    balance = np.zeros(n_showers)
    sizes = np.full(BATCHES, n_showers // BATCHES)
    sizes[: n_showers % BATCHES] += 1
    start = 0
    for b, size in enumerate(sizes):
        ids = np.arange(start, start + size)
        per_batch[b] = _showers(rng, ids, e0, depth, e_min, eps, edges, balance)
        start += size
    batches = np.array(per_batch) / sizes[:, None, None]  # per beam electron, each batch
    mean = np.sum(batches * sizes[:, None, None], axis=0) / n_showers
    err = np.std(batches, axis=0, ddof=1) / math.sqrt(BATCHES)
    width = np.diff(edges)
    return ShowerTrackLengths(mat.name, e0, depth, n_showers, e_min, edges,
                              mean[_POSITRON] / width, err[_POSITRON] / width,
                              mean[_ELECTRON] / width, err[_ELECTRON] / width,
                              batches[:, _POSITRON] / width, balance / e0)


def batch_error(values: list[float]) -> float:
    """The Monte-Carlo error of a mean over independent batches: their standard deviation
    over sqrt(number of batches)."""
    return float(np.std(values, ddof=1) / math.sqrt(len(values)))


def _record(track: np.ndarray, kind: np.ndarray, e_hi: np.ndarray, e_lo: np.ndarray,
            a: float, eps: float, edges: np.ndarray) -> None:
    """Add the track of e+- losing energy from e_hi to e_lo at dE/dt = -(a E + eps) to the
    energy bins: dt = dE/(a E + eps) (exact per bin; whole bins through a difference
    array)."""
    if not len(e_hi):
        return

    def f(e: FloatArray) -> FloatArray:  # Int dE / (a E + eps)
        return np.log(a * e + eps) / a if a > 0 else e / eps

    n = len(edges) - 1
    full = f(edges[1:]) - f(edges[:-1])
    i_hi = np.clip(np.searchsorted(edges, e_hi, side="right") - 1, 0, n - 1)
    i_lo = np.clip(np.searchsorted(edges, e_lo, side="right") - 1, 0, n - 1)
    for k in (_ELECTRON, _POSITRON):
        sel = kind == k
        if not sel.any():
            continue
        hi, lo, ih, il = e_hi[sel], e_lo[sel], i_hi[sel], i_lo[sel]
        same = ih == il
        np.add.at(track[k], ih[same], f(hi[same]) - f(lo[same]))
        d = ~same
        np.add.at(track[k], ih[d], f(hi[d]) - f(edges[ih[d]]))
        np.add.at(track[k], il[d], f(edges[il[d] + 1]) - f(lo[d]))
        cover = np.zeros(n + 1)
        np.add.at(cover, il[d] + 1, 1.0)
        np.add.at(cover, ih[d], -1.0)
        track[k] += np.cumsum(cover)[:n] * full


def _showers(rng: np.random.Generator, shower: np.ndarray, e0: float, depth_max: float,
             e_min: float, eps: float, edges: np.ndarray, balance: np.ndarray) -> np.ndarray:
    """Track lengths (2, bins) summed over the showers ``shower`` (ids into ``balance``,
    which receives each shower's deposited, escaped and cut energy)."""
    track = np.zeros((2, len(edges) - 1))
    a = _brem_continuous(Y_CUT)
    rate = _brem_rate(Y_CUT)
    energy = np.full(len(shower), e0)
    depth = np.zeros(len(shower))
    kind = np.full(len(shower), _ELECTRON)
    owner = shower.copy()
    while len(energy):
        charged = kind != _PHOTON
        step = rng.exponential(1.0, len(energy)) / np.where(charged, rate, PAIR_RATE)
        step = np.minimum(step, depth_max - depth)  # the target ends
        # charged: continuous loss over the step, E(t) = (E + eps/a) exp(-a t) - eps/a
        e_end = np.where(charged, (energy + eps / a) * np.exp(-a * step) - eps / a, energy)
        # a charged particle reaching e_min stops there: its step is cut
        stops = charged & (e_end <= e_min)
        e_end = np.where(stops, e_min, e_end)
        c = np.flatnonzero(charged)
        _record(track, kind[c], energy[c], e_end[c], a, eps, edges)
        # deposited: the continuous losses (soft photons and ionisation) are counted as
        # deposited energy here, as the soft photons are not followed
        np.add.at(balance, owner[c], energy[c] - e_end[c])
        depth = depth + np.where(stops, 0.0, step)
        escaped = (depth >= depth_max) & ~stops
        done = stops | escaped
        np.add.at(balance, owner[done], np.where(stops[done], e_min, e_end[done]))
        interacts = ~done
        ch = np.flatnonzero(interacts & charged)
        ph = np.flatnonzero(interacts & ~charged)
        y = _sample_brem_y(rng, len(ch), Y_CUT)
        k_gamma = y * e_end[ch]
        x = _sample_pair_x(rng, len(ph))
        e_pos, e_ele = x * energy[ph], (1.0 - x) * energy[ph]
        new_energy = np.concatenate([(1.0 - y) * e_end[ch], k_gamma, e_pos, e_ele])
        new_kind = np.concatenate([kind[ch], np.full(len(ch), _PHOTON),
                                   np.full(len(ph), _POSITRON), np.full(len(ph), _ELECTRON)])
        new_depth = np.concatenate([depth[ch], depth[ch], depth[ph], depth[ph]])
        new_owner = np.concatenate([owner[ch], owner[ch], owner[ph], owner[ph]])
        keep = new_energy > e_min
        np.add.at(balance, new_owner[~keep], new_energy[~keep])  # below the cut: dropped
        energy, kind = new_energy[keep], new_kind[keep]
        depth, owner = new_depth[keep], new_owner[keep]
    return track


def positron_track_lengths(material: str, energy: float, thickness_x0: float,
                           e_min: float, n_showers: int = 20_000, seed: int = 1,
                           cache: bool = True) -> ShowerTrackLengths:
    """`shower_track_lengths()` of positrons above ``e_min`` (GeV), stored in the package's
    cache (a record per material, energy, thickness, e_min, statistics and seed)."""
    from leptoportal.cache import PointStore, cache_dir

    inputs = {"kind": "shower-track-lengths", "material": get_material(material).name,
              "energy": float(energy), "thickness_x0": float(thickness_x0),
              "e_min": float(e_min), "n_showers": int(n_showers), "seed": int(seed),
              "y_cut": Y_CUT, "bins_per_decade": BINS_PER_DECADE,
              # 2: the batches are stored (the error of a quantity is their spread)
              "table_format": 2}

    def compute() -> dict[str, Any]:
        t = shower_track_lengths(material, energy, thickness_x0, n_showers, e_min, seed)
        return {"edges": t.edges.tolist(), "positron": t.positron.tolist(),
                "positron_err": t.positron_err.tolist(), "electron": t.electron.tolist(),
                "electron_err": t.electron_err.tolist(),
                "positron_batches": t.positron_batches.tolist()}

    store = PointStore(cache_dir() / "showers")
    rec = store.get_or_compute(inputs, compute, (), enabled=cache)
    try:
        arrays = {k: np.asarray(rec[k], dtype=float) for k in
                  ("edges", "positron", "positron_err", "electron", "electron_err",
                   "positron_batches")}
    except (KeyError, TypeError, ValueError):
        raise InputError("a shower table of the cache is unreadable; clear the cache "
                         "(leptoportal cache clear)") from None
    return ShowerTrackLengths(str(inputs["material"]), float(energy), float(thickness_x0),
                              int(n_showers), float(e_min), arrays["edges"],
                              arrays["positron"], arrays["positron_err"], arrays["electron"],
                              arrays["electron_err"], arrays["positron_batches"])


__all__ = [
    "BATCHES", "BINS_PER_DECADE", "MAX_SHOWERS", "PAIR_RATE", "Y_CUT", "ShowerTrackLengths",
    "batch_error", "critical_energy", "positron_track_lengths", "shower_track_lengths",
]


def __dir__() -> list[str]:
    return __all__
