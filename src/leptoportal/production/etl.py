"""Exact tree-level (ETL) cross-section of l N -> l' N phi with `vegas`.

Two independent routes (``route="sx"`` default, ``route="lab"`` the cross-check; see
:mod:`leptoportal.production.phasespace`) share only |M|^2; each returns the integral with its
Monte-Carlo error. Differential distributions live in :mod:`leptoportal.production.spectra`.
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import vegas

from leptoportal.constants import E2, GEV2_TO_PB
from leptoportal.errors import InputError, require_choice, require_range
from leptoportal.production.amplitude import (
    me2_averaged,
    spin_summed_current,
    stabilised_nucleus_current,
)
from leptoportal.production.kernels import mapped_weights_numba, point_weights_numba
from leptoportal.production.phasespace import (
    OBSERVABLES,
    PhaseSpacePoints,
    map_lab,
    map_sx,
    observables,
    point_invariants,
)
from leptoportal.production.process import Process
from leptoportal.production.results import XsecResult

ROUTES = ("sx", "lab")
#: evaluation of |M|^2: the compiled kernel (default) or the numpy reference
BACKENDS = ("numba", "numpy")


def point_weights(proc: Process, pts: PhaseSpacePoints, backend: str = "numba") -> np.ndarray:
    """dsigma (pb) per unit hypercube volume at each point (0 outside the physical region);
    ``backend`` "numba" (:mod:`~.kernels`) or "numpy" (:mod:`~.amplitude`, the reference)."""
    out = np.zeros(len(pts.t))
    v = pts.valid
    if not np.any(v):
        return out
    if backend == "numba":
        g2 = np.zeros(len(pts.t))
        g2[v] = proc.g2(pts.t[v])
        c = proc.vertex
        return point_weights_numba(pts.p, pts.pp, pts.k, pts.q, pts.t, pts.den_a, pts.den_b,
                                   pts.measure, v, g2, proc.m_in, proc.m_out,
                                   proc.nucleus_mass, c.c_s, c.c_p, proc.antiparticle,
                                   0.5 * E2 * E2 * GEV2_TO_PB)
    contract = stabilised_nucleus_current(pts.q[v], proc.nucleus_mass)
    args = (pts.p[v], pts.pp[v], pts.k[v], pts.q[v], contract, pts.den_a[v], pts.den_b[v],
            proc.m_in, proc.m_out)
    cur = spin_summed_current(*args, proc.vertex, proc.antiparticle)
    me2 = me2_averaged(pts.t[v], proc.g2(pts.t[v]), cur)
    out[v] = me2 * pts.measure[v] * GEV2_TO_PB
    return out


def mapped_weights(proc: Process, y: np.ndarray, energy: np.ndarray | None = None
                   ) -> np.ndarray:
    """``point_weights(proc, map_sx(proc, y, energy))`` in one compiled pass
    (:func:`~.kernels.mapped_weights_numba`) that keeps no momenta: the total cross-section
    and the unweighting of events need only the weights."""
    y = np.ascontiguousarray(y, dtype=float)
    c = proc.vertex
    w, t = mapped_weights_numba(y, *point_invariants(proc, len(y), energy), proc.m_in,
                                proc.m_out, proc.m_phi, proc.nucleus_mass, c.c_s, c.c_p,
                                proc.antiparticle, 0.5 * E2 * E2 * GEV2_TO_PB)
    return w * proc.g2(t)


def _integrand(proc: Process, route: str, selection=None, backend: str = "numba"):
    """vegas batch integrand; ``selection(observables) -> bool mask`` restricts it."""
    require_choice("backend", backend, BACKENDS)
    if selection is None and route == "sx" and backend == "numba":
        def f(y):
            return mapped_weights(proc, y)
    elif selection is not None:
        def f(y):
            pts = map_sx(proc, np.asarray(y), backend=backend)
            w = point_weights(proc, pts, backend)
            return w * selection(observables(proc, pts))
    elif route == "sx":
        def f(y):
            return point_weights(proc, map_sx(proc, np.asarray(y), backend=backend), backend)
    else:
        def f(y):
            return sum(point_weights(proc, pts, backend)
                       for pts in map_lab(proc, np.asarray(y)))
    return vegas.lbatchintegrand(f)


def _rng_generator(seed: int | None):
    rng = np.random.default_rng(seed)
    return lambda size: rng.random(size)


def make_selection(cuts: dict | None):
    """Selection callable from cuts {observable: [lo, hi]} (None = unbounded side)."""
    if not cuts:
        return None
    for name, bounds in cuts.items():
        require_choice("cut observable", name, OBSERVABLES)
        if len(bounds) != 2:
            raise InputError(f"cut {name} = {bounds!r} is not a [lo, hi] pair")

    def select(obs):
        mask = np.ones(len(next(iter(obs.values()))), dtype=bool)
        for name, (lo, hi) in cuts.items():
            if lo is not None:
                mask &= obs[name] >= lo
            if hi is not None:
                mask &= obs[name] <= hi
        return mask.astype(float)

    return select


def adapted_integrator(proc: Process, seed: int | None = 1, route: str = "sx",
                       neval: int = 6000, nitn: int = 6, selection=None,
                       backend: str = "numba"):
    """A vegas integrator whose grid is adapted to the ETL integrand, and the integrand."""
    check_route(route)
    integ = vegas.Integrator(4 * [[0.0, 1.0]], ran_array_generator=_rng_generator(seed))
    f = _integrand(proc, route, selection, backend)
    integ(f, nitn=nitn, neval=neval, alpha=0.5)  # adaptation only; results discarded
    return integ, f


def _pooled_mean(means: list[float], errs: list[float],
                 nevals: list[int]) -> tuple[float, float]:
    """Average of independent iterations weighted by their number of points (the estimate of
    all points pooled) and its error. Inverse-variance weights would favour iterations that
    missed a peak, whose mean and error are both low, and bias the result low."""
    if not any(means):  # nothing passes (e.g. a selection that removes every event)
        return 0.0, 0.0
    n = np.asarray(nevals, dtype=float)
    w = n / n.sum()
    return (float(np.sum(w * np.asarray(means))),
            float(math.sqrt(np.sum((w * np.asarray(errs)) ** 2))))


def sigma_etl(proc: Process, precision: float = 0.005, seed: int | None = 1,
              route: str = "sx", max_evals: int = 4_000_000, selection=None,
              backend: str = "numba") -> XsecResult:
    """ETL total cross-section (pb) with relative Monte-Carlo error <= ``precision``.

    ``selection``: optional callable(observables dict) -> 0/1 array (route 1 only); the result
    is then the cross-section of the selected events.

    A vegas grid is adapted on a few small iterations; one non-adapting pilot iteration
    measures the per-point spread, which sets the size of the following non-adapting
    iterations; their mean weighted by points (:func:`_pooled_mean`) is returned once its
    error reaches ``precision`` (or ``max_evals`` is spent: the result then reports the error
    it reached).
    """
    check_route(route)
    precision = require_range("precision", precision, 1e-5, 0.5)
    t0 = time.perf_counter()
    n_train = 6000 if route == "sx" else 30000
    integ, f = adapted_integrator(proc, seed, route, neval=n_train, selection=selection,
                                  backend=backend)
    n_used = 6 * n_train
    means, errs, nevals = [], [], []
    neval = n_train
    while True:
        r = integ(f, nitn=1, neval=neval, adapt=False)
        n_used += neval
        means.append(r.mean)
        errs.append(r.sdev if r.sdev > 0 else max(abs(r.mean) * 1e-12, 1e-200))
        nevals.append(neval)
        mean, err = _pooled_mean(means, errs, nevals)
        if (mean > 0 and err <= precision * mean and len(means) >= 2) or n_used >= max_evals:
            break
        if mean == 0.0 and len(means) >= 3:  # the selection removes everything
            break
        # points still needed for the target, split over at least two further iterations;
        # the per-point spread is that of all points so far (the last iteration alone may
        # have missed a peak, and stopping on it would favour low results)
        n_prod = n_used - 6 * n_train
        spread = err * math.sqrt(n_prod) / abs(mean) if mean else 1.0
        needed = (spread / precision) ** 2 - n_prod
        neval = int(min(max(needed / 2, 2000), 400_000, max(max_evals - n_used, 2000)))
    converged = mean == 0.0 or err <= precision * mean
    if not converged:
        warnings.warn(f"ETL stopped at the evaluation cap ({max_evals:g}) with a relative "
                      f"error {err / mean:.2g} above the requested {precision:g}",
                      stacklevel=2)
    return XsecResult.of(
        proc, "etl", mean, err,
        {"route": route, "n_eval": n_used, "seed": seed, "time_s": time.perf_counter() - t0,
         "requested_precision": precision, "iterations": len(means),
         "converged": bool(converged), "backend": backend},
    )


def check_route(route: str) -> str:
    if route not in ROUTES:
        raise InputError(f"route = {route!r} is not one of: {', '.join(ROUTES)}")
    return route
