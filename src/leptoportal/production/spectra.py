"""Differential cross-sections of l N -> l' N phi from the adapted ETL integrator.

dsigma/dx, dsigma/dcos(theta_phi), dsigma/dE_out, dsigma/dE_phi, dsigma/dtheta_out and the
double-differential dsigma/dx dcos(theta_phi) are histograms of weighted events drawn from the
vegas map adapted to the route-1 integrand (:func:`leptoportal.production.etl.adapted_integrator`),
with per-bin errors from the spread of independent batches.
"""

from __future__ import annotations

import math
import time

import numpy as np

from leptoportal.errors import require_choice, require_range
from leptoportal.production.etl import adapted_integrator, point_weights
from leptoportal.production.phasespace import OBSERVABLES, map_sx, observables
from leptoportal.production.process import Process
from leptoportal.production.results import Spectrum, XsecResult


def default_edges(proc: Process, observable: str, bins: int) -> np.ndarray:
    """Natural binning of each observable."""
    require_choice("observable", observable, OBSERVABLES)
    bins = int(require_range("bins", bins, 1, 10_000))
    if observable == "x":
        return np.linspace(proc.m_phi / proc.energy, 1.0, bins + 1)
    if observable == "e_out":
        return np.linspace(0.0, proc.energy, bins + 1)
    # the phi is emitted within ~ m/E of the beam: bin 1 - cos(theta) logarithmically
    lo = max(1e-12, 1e-3 * (proc.m_phi / proc.energy) ** 2)
    one_minus = np.geomspace(lo, 2.0, bins + 1)
    edges = np.concatenate([[1.0], 1.0 - one_minus[1:]])[::-1]
    edges[0] = -1.0
    return edges


def _weighted_batches(proc: Process, n_events: int, seed: int | None, n_batches: int):
    """Yield (batch index, observables, dsigma weights in pb) from the adapted route-1 map."""
    integ, _ = adapted_integrator(proc, seed)
    integ.set(neval=max(1000, n_events // n_batches))
    for b in range(n_batches):
        for y, wgt in integ.random_batch():
            pts = map_sx(proc, np.asarray(y))
            yield b, observables(proc, pts), point_weights(proc, pts) * wgt


def _total_from_batches(proc: Process, totals: np.ndarray, seed, n_events: int,
                        t0: float) -> XsecResult:
    return XsecResult.of(
        proc, "etl", float(totals.mean()), float(totals.std(ddof=1) / math.sqrt(len(totals))),
        {"route": "sx", "n_events": n_events, "seed": seed, "time_s": time.perf_counter() - t0},
    )


def spectra(proc: Process, edges: dict[str, np.ndarray], n_events: int = 400_000,
            seed: int | None = 1, n_batches: int = 8) -> tuple[dict[str, Spectrum], XsecResult]:
    """Differential cross-sections from the adapted route-1 integrator.

    ``n_events`` weighted points are drawn in ``n_batches`` independent batches, each binned by
    its lab observables; per-bin errors come from the spread of the batch sums. Also returns
    the total of the same sample (all events, including those outside the bins).
    """
    for name in edges:
        require_choice("observable", name, OBSERVABLES)
    n_events = int(require_range("n_events", n_events, 1000, 1e9))
    t0 = time.perf_counter()
    sums = {name: np.zeros((n_batches, len(e) - 1)) for name, e in edges.items()}
    totals = np.zeros(n_batches)
    for b, obs, w in _weighted_batches(proc, n_events, seed, n_batches):
        totals[b] += w.sum()
        for name, e in edges.items():
            sums[name][b] += np.histogram(obs[name], bins=e, weights=w)[0]
    total = _total_from_batches(proc, totals, seed, n_events, t0)
    out = {}
    for name, e in edges.items():
        widths = np.diff(e)
        mean = sums[name].mean(axis=0)
        err = sums[name].std(axis=0, ddof=1) / math.sqrt(n_batches)
        out[name] = Spectrum(name, e, mean / widths, err / widths, total)
    return out, total


def spectrum_2d(proc: Process, x_edges: np.ndarray, cos_edges: np.ndarray,
                n_events: int = 400_000, seed: int | None = 1, n_batches: int = 8):
    """Double-differential dsigma/dx dcos(theta_phi) in pb, with per-cell errors.

    Returns (dsigma (n_x, n_cos), error, total XsecResult).
    """
    n_events = int(require_range("n_events", n_events, 1000, 1e9))
    t0 = time.perf_counter()
    sums = np.zeros((n_batches, len(x_edges) - 1, len(cos_edges) - 1))
    totals = np.zeros(n_batches)
    for b, obs, w in _weighted_batches(proc, n_events, seed, n_batches):
        totals[b] += w.sum()
        sums[b] += np.histogram2d(obs["x"], obs["cos_theta"], bins=(x_edges, cos_edges),
                                  weights=w)[0]
    area = np.outer(np.diff(x_edges), np.diff(cos_edges))
    mean = sums.mean(axis=0) / area
    err = sums.std(axis=0, ddof=1) / math.sqrt(n_batches) / area
    return mean, err, _total_from_batches(proc, totals, seed, n_events, t0)
