"""Exact tree-level (ETL) cross-section of l N -> l' N phi with `vegas` (SPEC 5).

Two independent routes (``route="sx"`` default, ``route="lab"`` the cross-check) share only
|M|^2; each returns the integral with its Monte-Carlo error. Differential distributions
(dsigma/dx, dsigma/dcos(theta_phi), dsigma/dE_out) are histograms of the weighted events of the
adapted route-1 integrator, with per-bin errors.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import vegas

from leptoportal.constants import GEV2_TO_PB
from leptoportal.errors import InputError, require_choice, require_range
from leptoportal.production.amplitude import (
    me2_averaged,
    spin_summed_current,
    stabilised_nucleus_current,
)
from leptoportal.production.kinematics import PhaseSpacePoints, Process, map_lab, map_sx

ROUTES = ("sx", "lab")
OBSERVABLES = ("x", "cos_theta", "e_out", "e_phi", "theta_out")


@dataclass
class XsecResult:
    """A cross-section with its uncertainty and the inputs that produced it."""

    sigma_pb: float
    sigma_err_pb: float
    method: str
    beam: str
    energy: float
    target: str
    m_phi: float
    c_s: complex
    c_p: complex
    form_factor: str
    details: dict = field(default_factory=dict)

    @property
    def rel_err(self) -> float:
        return self.sigma_err_pb / self.sigma_pb if self.sigma_pb > 0 else math.inf

    def as_dict(self) -> dict:
        d = asdict(self)
        d["sigma_cm2"] = self.sigma_pb * 1e-36
        d["sigma_err_cm2"] = self.sigma_err_pb * 1e-36
        return d


def point_weights(proc: Process, pts: PhaseSpacePoints) -> np.ndarray:
    """dsigma (pb) per unit hypercube volume at each point (0 outside the physical region)."""
    out = np.zeros(len(pts.t))
    v = pts.valid
    if not np.any(v):
        return out
    contract = stabilised_nucleus_current(pts.q[v], proc.nucleus_mass)
    cur = spin_summed_current(pts.p[v], pts.pp[v], pts.k[v], pts.q[v], contract,
                              pts.den_a[v], pts.den_b[v], proc.m_in, proc.m_out, proc.vertex)
    me2 = me2_averaged(pts.t[v], proc.g2(pts.t[v]), cur)
    out[v] = me2 * pts.measure[v] * GEV2_TO_PB
    return out


def _integrand(proc: Process, route: str, selection=None):
    """vegas batch integrand; ``selection(observables) -> bool mask`` restricts it."""
    if selection is not None:
        def f(y):
            pts = map_sx(proc, np.asarray(y))
            w = point_weights(proc, pts)
            return w * selection(observables(proc, pts))
    elif route == "sx":
        def f(y):
            return point_weights(proc, map_sx(proc, np.asarray(y)))
    else:
        def f(y):
            return sum(point_weights(proc, pts) for pts in map_lab(proc, np.asarray(y)))
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
                       neval: int = 6000, nitn: int = 6, selection=None):
    """A vegas integrator whose grid is adapted to the ETL integrand, and the integrand."""
    check_route(route)
    integ = vegas.Integrator(4 * [[0.0, 1.0]], ran_array_generator=_rng_generator(seed))
    f = _integrand(proc, route, selection)
    integ(f, nitn=nitn, neval=neval, alpha=0.5)  # adaptation only; results discarded
    return integ, f


def _weighted_mean(means: list[float], errs: list[float]) -> tuple[float, float]:
    if not any(means):  # nothing passes (e.g. a selection that removes every event)
        return 0.0, 0.0
    w = 1.0 / np.asarray(errs) ** 2
    return float(np.sum(w * np.asarray(means)) / np.sum(w)), float(1.0 / math.sqrt(np.sum(w)))


def sigma_etl(proc: Process, precision: float = 0.005, seed: int | None = 1,
              route: str = "sx", max_evals: int = 4_000_000, selection=None) -> XsecResult:
    """ETL total cross-section (pb) with relative Monte-Carlo error <= ``precision``.

    ``selection``: optional callable(observables dict) -> 0/1 array (route 1 only); the result
    is then the cross-section of the selected events.

    A vegas grid is adapted on a few small iterations; one non-adapting pilot iteration
    measures the per-point spread, which sets the size of the following non-adapting
    iterations; their weighted mean is returned once its error reaches ``precision`` (or
    ``max_evals`` is spent: the result then reports the error it reached).
    """
    check_route(route)
    precision = require_range("precision", precision, 1e-5, 0.5)
    t0 = time.perf_counter()
    n_train = 6000 if route == "sx" else 30000
    integ, f = adapted_integrator(proc, seed, route, neval=n_train, selection=selection)
    n_used = 6 * n_train
    means, errs = [], []
    neval = n_train
    while True:
        r = integ(f, nitn=1, neval=neval, adapt=False)
        n_used += neval
        means.append(r.mean)
        errs.append(r.sdev if r.sdev > 0 else max(abs(r.mean) * 1e-12, 1e-200))
        mean, err = _weighted_mean(means, errs)
        if (mean > 0 and err <= precision * mean and len(means) >= 2) or n_used >= max_evals:
            break
        if mean == 0.0 and len(means) >= 3:  # the selection removes everything
            break
        # points still needed for the target, split over at least two further iterations
        spread = errs[-1] * math.sqrt(neval) / max(abs(r.mean), 1e-300) if r.mean else 1.0
        needed = (spread / precision) ** 2 - (n_used - 6 * n_train)
        neval = int(min(max(needed / 2, 2000), 400_000, max(max_evals - n_used, 2000)))
    return XsecResult(
        sigma_pb=mean, sigma_err_pb=err, method="etl", beam=proc.beam, energy=proc.energy,
        target=proc.target.name, m_phi=proc.m_phi, c_s=proc.couplings.c_s,
        c_p=proc.couplings.c_p, form_factor=proc.form_factor,
        details={"route": route, "n_eval": n_used, "seed": seed,
                 "time_s": time.perf_counter() - t0,
                 "requested_precision": precision, "iterations": len(means)},
    )


def observables(proc: Process, pts: PhaseSpacePoints) -> dict[str, np.ndarray]:
    """Lab observables of each point: x = E_phi/E0, cos(theta_phi), E_phi, and the energy and
    polar angle (rad) of the outgoing lepton."""
    k, pp = pts.k, pts.pp
    mom = np.linalg.norm(k[:, 1:], axis=1)
    pt_out = np.hypot(pp[:, 1], pp[:, 2])
    return {
        "x": k[:, 0] / proc.energy,
        "cos_theta": np.divide(k[:, 3], mom, out=np.ones_like(mom), where=mom > 0),
        "e_out": pp[:, 0],
        "e_phi": k[:, 0],
        "theta_out": np.arctan2(pt_out, pp[:, 3]),
    }


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


@dataclass
class Spectrum:
    """dsigma/dO in pb per unit of O, with per-bin errors, for one observable."""

    observable: str
    edges: np.ndarray
    dsigma: np.ndarray
    dsigma_err: np.ndarray
    total: XsecResult

    def integral(self) -> tuple[float, float]:
        widths = np.diff(self.edges)
        return float(np.sum(self.dsigma * widths)), float(
            math.sqrt(np.sum((self.dsigma_err * widths) ** 2)))


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
    return XsecResult(
        sigma_pb=float(totals.mean()),
        sigma_err_pb=float(totals.std(ddof=1) / math.sqrt(len(totals))),
        method="etl", beam=proc.beam, energy=proc.energy, target=proc.target.name,
        m_phi=proc.m_phi, c_s=proc.couplings.c_s, c_p=proc.couplings.c_p,
        form_factor=proc.form_factor,
        details={"route": "sx", "n_events": n_events, "seed": seed,
                 "time_s": time.perf_counter() - t0},
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


def check_route(route: str) -> str:
    if route not in ROUTES:
        raise InputError(f"route = {route!r} is not one of: {', '.join(ROUTES)}")
    return route
