"""Exact tree-level (ETL) cross-section of l N -> l' N phi with `vegas`.

Two independent routes (``route="sx"`` default, ``route="lab"`` the cross-check; see
`leptoportal.production.phasespace`) share only |M|^2; each returns the integral with its
Monte-Carlo error. Differential distributions live in `leptoportal.production.spectra`.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import vegas

from leptoportal._typing import AnyArray, FloatArray
from leptoportal.constants import E2, GEV2_TO_PB
from leptoportal.errors import InputError, require_choice
from leptoportal.numerics import ROUTES as NUMERICS_ROUTES
from leptoportal.numerics import Numerics
from leptoportal.production.amplitude import (
    me2_averaged,
    spin_summed_current,
    stabilised_nucleus_current,
)
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

if TYPE_CHECKING:
    from vegas import Integrator

#: phase-space maps and |M|^2 backends (the one list lives with the settings object)
ROUTES = NUMERICS_ROUTES
BACKENDS = ("numba", "numpy")
#: points per vegas iteration while the grid adapts, for each map: the lab map's integrand
#: is more peaked in its variables and needs more points to find its peaks
TRAIN_POINTS = {"sx": 6000, "lab": 30000}
#: adaptation iterations before the measured iterations (their results are discarded)
TRAIN_ITERATIONS = 6
#: vegas's damping of the grid adaptation (0 freezes it, 1.5 is vegas's default; 0.5 keeps
#: the grid from chasing the fluctuations of small iterations)
ADAPT_ALPHA = 0.5
#: bounds of the size of one measured iteration: large enough for a stable per-point spread,
#: small enough to stop soon after the requested precision is reached
ITERATION_MIN, ITERATION_MAX = 2000, 400_000


def _resolved_backend(backend: str) -> str:
    """"auto" means the compiled kernel for work inside the library (many points)."""
    return "numba" if backend == "auto" else backend


def point_weights(proc: Process, pts: PhaseSpacePoints, backend: str = "numba") -> np.ndarray:
    """dsigma (pb) per unit hypercube volume at each point (0 outside the physical region);
    ``backend`` "numba" (`kernels`) or "numpy" (`amplitude`, the reference)."""
    out = np.zeros(len(pts.t))
    v = pts.valid
    if not np.any(v):
        return out
    if _resolved_backend(backend) == "numba":
        from leptoportal.production.kernels import point_weights_numba

        g2 = np.zeros(len(pts.t))
        g2[v] = proc.g2(pts.t[v])
        c = proc.vertex
        return point_weights_numba(pts.p, pts.pp, pts.k, pts.q, pts.t, pts.den_a, pts.den_b,
                                   pts.measure, v, g2, proc.m_in, proc.m_out,
                                   proc.nucleus_mass, c.c_s, c.c_p, proc.antiparticle,
                                   SPIN_AVERAGE_PREFACTOR)
    contract = stabilised_nucleus_current(pts.q[v], proc.nucleus_mass)
    args = (pts.p[v], pts.pp[v], pts.k[v], pts.q[v], contract, pts.den_a[v], pts.den_b[v],
            proc.m_in, proc.m_out)
    cur = spin_summed_current(*args, proc.vertex, proc.antiparticle)
    me2 = me2_averaged(pts.t[v], proc.g2(pts.t[v]), cur)
    out[v] = me2 * pts.measure[v] * GEV2_TO_PB
    return out


#: e^4 / 2 (the average over the beam lepton's two spin states, e^4 of the photon exchange)
#: times 1 GeV^-2 in pb: turns the spin-summed current x G2 / t^2 into pb (as
#: `me2_averaged()` does for the numpy reference)
SPIN_AVERAGE_PREFACTOR = 0.5 * E2 * E2 * GEV2_TO_PB


def mapped_weights(proc: Process, y: np.ndarray, energy: np.ndarray | None = None
                   ) -> np.ndarray:
    """``point_weights(proc, map_sx(proc, y, energy))`` in one compiled pass
    (`mapped_weights_numba()`) that keeps no momenta: the total cross-section
    and the unweighting of events need only the weights."""
    from leptoportal.production.kernels import mapped_weights_numba

    y = np.ascontiguousarray(y, dtype=float)
    c = proc.vertex
    w, t = mapped_weights_numba(y, *point_invariants(proc, len(y), energy), proc.m_in,
                                proc.m_out, proc.m_phi, proc.nucleus_mass, c.c_s, c.c_p,
                                proc.antiparticle, SPIN_AVERAGE_PREFACTOR)
    returned: AnyArray = w * proc.g2(t)
    return returned


def _integrand(proc: Process, route: str, selection: Callable[..., Any] | None = None,
               backend: str = "numba") -> Callable[..., Any]:
    """vegas batch integrand; ``selection(observables) -> bool mask`` restricts it."""
    backend = _resolved_backend(require_choice("backend", backend, (*BACKENDS, "auto")))
    if selection is None and route == "sx" and backend == "numba":
        def f(y: FloatArray) -> FloatArray:
            return mapped_weights(proc, y)
    elif selection is not None:
        def f(y: FloatArray) -> FloatArray:
            pts = map_sx(proc, np.asarray(y), backend=backend)
            w = point_weights(proc, pts, backend)
            returned: FloatArray = w * selection(observables(proc, pts))
            return returned
    elif route == "sx":
        def f(y: FloatArray) -> FloatArray:
            return point_weights(proc, map_sx(proc, np.asarray(y), backend=backend), backend)
    else:
        def f(y: FloatArray) -> FloatArray:
            total: FloatArray = sum((point_weights(proc, pts, backend)
                                     for pts in map_lab(proc, np.asarray(y))),
                                    np.zeros(len(y)))
            return total
    returned: Callable[..., Any] = vegas.lbatchintegrand(f)
    return returned


def _rng_generator(seed: int | None) -> Callable[..., Any]:
    rng = np.random.default_rng(seed)
    return lambda size: rng.random(size)


def make_selection(cuts: dict[str, Any] | None) -> Callable[..., Any] | None:
    """Selection callable from cuts {observable: [lo, hi]} (None = unbounded side)."""
    if not cuts:
        return None
    for name, bounds in cuts.items():
        require_choice("cut observable", name, OBSERVABLES)
        if len(bounds) != 2:
            raise InputError(f"cut {name} = {bounds!r} is not a [lo, hi] pair")

    def select(obs: dict[str, FloatArray]) -> FloatArray:
        mask = np.ones(len(next(iter(obs.values()))), dtype=bool)
        for name, (lo, hi) in cuts.items():
            if lo is not None:
                mask &= obs[name] >= lo
            if hi is not None:
                mask &= obs[name] <= hi
        return mask.astype(float)

    return select


def adapted_integrator(proc: Process, seed: int | None = 1, route: str = "sx",
                       neval: int = TRAIN_POINTS["sx"], nitn: int = TRAIN_ITERATIONS,
                       selection: Callable[..., Any] | None=None, backend: str = "numba"
    ) -> tuple[Integrator, Callable[..., Any]]:
    """A vegas integrator whose grid is adapted to the ETL integrand, and the integrand."""
    require_choice("route", route, ROUTES)
    integ = vegas.Integrator(4 * [[0.0, 1.0]], ran_array_generator=_rng_generator(seed))
    f = _integrand(proc, route, selection, backend)
    integ(f, nitn=nitn, neval=neval, alpha=ADAPT_ALPHA)  # adaptation only; results discarded
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


def sigma_etl(proc: Process, numerics: Numerics | None = None,
              selection: Callable[..., Any] | None=None) -> XsecResult:
    """ETL total cross-section (pb) with relative Monte-Carlo error <= ``numerics.precision``.

    Parameters
    ----------
    proc
        The process (beam, energy, target, m_phi, couplings).
    numerics
        Precision, seed, route, backend and the cap ``max_evals`` on the integrand
        evaluations (default `Numerics`: 0.5%, seed 1).
    selection
        Optional callable(observables dict) -> 0/1 array (route "sx" only): the result is
        then the cross-section of the selected events.

    Returns
    -------
    XsecResult
        sigma_pb and sigma_err_pb in pb, with the inputs and the run's details.

    A vegas grid is adapted on a few small iterations; one non-adapting pilot iteration
    measures the per-point spread, which sets the size of the following non-adapting
    iterations; their mean weighted by points (`_pooled_mean()`) is returned once its
    error reaches the precision (or ``max_evals`` is spent: the result then reports the error
    it reached, with a warning).

    >>> r = sigma_etl(Process("e-", 100.0, "Pb", 0.2), Numerics(precision=0.01))
    >>> round(r.sigma_pb / 1e8, 2), r.rel_err <= 0.01      # in 1e8 pb for h = 1, chiral
    (3.69, True)
    """
    numerics = numerics or Numerics()
    route, precision, max_evals = numerics.route, numerics.precision, numerics.max_evals
    backend = _resolved_backend(numerics.backend)
    t0 = time.perf_counter()
    n_train = TRAIN_POINTS[route]
    integ, f = adapted_integrator(proc, numerics.seed, route, neval=n_train,
                                  selection=selection, backend=backend)
    n_used = TRAIN_ITERATIONS * n_train
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
        n_prod = n_used - TRAIN_ITERATIONS * n_train
        spread = err * math.sqrt(n_prod) / abs(mean) if mean else 1.0
        needed = (spread / precision) ** 2 - n_prod
        neval = int(min(max(needed / 2, ITERATION_MIN), ITERATION_MAX,
                        max(max_evals - n_used, ITERATION_MIN)))
    converged = mean == 0.0 or err <= precision * mean
    if not converged:
        warnings.warn(f"ETL stopped at the evaluation cap ({max_evals:g}) with a relative "
                      f"error {err / mean:.2g} above the requested {precision:g}",
                      stacklevel=2)
    return XsecResult.of(
        proc, "etl", mean, err,
        {"route": route, "n_eval": n_used, "seed": numerics.seed,
         "time_s": time.perf_counter() - t0, "requested_precision": precision,
         "iterations": len(means), "converged": bool(converged), "backend": backend},
        numerics)


__all__ = [
    "ADAPT_ALPHA", "BACKENDS", "ROUTES", "SPIN_AVERAGE_PREFACTOR", "TRAIN_ITERATIONS",
    "TRAIN_POINTS", "adapted_integrator", "make_selection", "mapped_weights", "point_weights",
    "sigma_etl",
]


def __dir__() -> list[str]:
    return __all__
