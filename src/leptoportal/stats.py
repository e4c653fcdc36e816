"""Counting-experiment statistics: exact Poisson upper limits (classical and CLs),
Feldman-Cousins intervals, and binned limits with systematics through `pyhf`.

* classical: s_up with P(n <= n_obs | s_up + b) = 1 - CL (n = 0, b = 0: 2.303 at 90% CL);
* CLs (Read, J. Phys. G 28 (2002) 2693): P(n <= n_obs | s + b) / P(n <= n_obs | b) = 1 - CL;
* Feldman & Cousins, PRD 57 (1998) 3873: likelihood-ratio ordering on a fine mu grid.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

from leptoportal.errors import InputError, require_choice, require_extra, require_range

METHODS = ("cls", "fc", "classical")


def _check(n_obs: int, b: float, cl: float) -> tuple[int, float, float]:
    n = require_range("n_obs", n_obs, 0, 1e6)
    if n != int(n):
        raise InputError(f"n_obs = {n_obs!r} is not a whole number")
    b = require_range("background", b, 0.0, 1e6)
    cl = require_range("cl", cl, 0.5, 1.0, hi_open=True)
    return int(n), b, cl


def poisson_upper_limit(n_obs: int, b: float = 0.0, cl: float = 0.9) -> float:
    """Classical (Neyman) upper limit on the signal mean."""
    n, b, cl = _check(n_obs, b, cl)

    def f(s):
        return stats.poisson.cdf(n, s + b) - (1.0 - cl)

    if f(0.0) <= 0:
        return 0.0
    return float(optimize.brentq(f, 0.0, 10.0 * (n + 10), xtol=1e-10))


def cls_upper_limit(n_obs: int, b: float = 0.0, cl: float = 0.9) -> float:
    """Modified-frequentist CLs upper limit on the signal mean."""
    n, b, cl = _check(n_obs, b, cl)
    p_b = stats.poisson.cdf(n, b)

    def f(s):
        return stats.poisson.cdf(n, s + b) / p_b - (1.0 - cl)

    return float(optimize.brentq(f, 0.0, 10.0 * (n + 10), xtol=1e-10))


def feldman_cousins_interval(n_obs: int, b: float = 0.0, cl: float = 0.9,
                             mu_step: float = 0.001, mu_max: float | None = None
                             ) -> tuple[float, float]:
    """Feldman-Cousins confidence interval [mu_lo, mu_hi] for a Poisson signal mean."""
    n, b, cl = _check(n_obs, b, cl)
    mu_max = mu_max if mu_max is not None else 2.0 * n + 15.0 + 3.0 * math.sqrt(n + b + 1)
    mus = np.arange(0.0, mu_max + mu_step, mu_step)
    n_max = int(mu_max + b + 10 * math.sqrt(mu_max + b) + 20)
    ns = np.arange(n_max + 1)
    mu_best = np.maximum(0.0, ns - b)
    p_best = stats.poisson.pmf(ns, mu_best + b)
    p = stats.poisson.pmf(ns[None, :], mus[:, None] + b)  # (n_mu, n_n)
    ratio = p / p_best[None, :]
    order = np.argsort(-ratio, axis=1, kind="stable")
    cum = np.cumsum(np.take_along_axis(p, order, axis=1), axis=1)
    n_in = np.argmax(cum >= cl, axis=1) + 1  # number of n values in each acceptance region
    rank_of_n = np.argmax(order == n, axis=1)  # position of n_obs in the ordering
    accepted = rank_of_n < n_in
    if not accepted.any():
        return 0.0, 0.0
    idx = np.nonzero(accepted)[0]
    return float(mus[idx[0]]), float(mus[idx[-1]])


def upper_limit(n_obs: int, b: float = 0.0, cl: float = 0.9, method: str = "cls") -> float:
    """Upper limit on the signal mean by ``method`` (cls | fc | classical)."""
    require_choice("method", method, METHODS)
    if method == "cls":
        return cls_upper_limit(n_obs, b, cl)
    if method == "classical":
        return poisson_upper_limit(n_obs, b, cl)
    return feldman_cousins_interval(n_obs, b, cl)[1]


def pyhf_upper_limit(signal: list[float], background: list[float],
                     background_unc: list[float], observed: list[float],
                     cl: float = 0.9) -> float:
    """Observed CLs upper limit on the signal strength mu (asymptotic, q~_mu) with pyhf,
    for a binned model with uncorrelated background uncertainties."""
    pyhf = require_extra("pyhf", "pyhf")

    cl = require_range("cl", cl, 0.5, 1.0, hi_open=True)
    if not (len(signal) == len(background) == len(background_unc) == len(observed)):
        raise InputError("signal, background, uncertainties and data need the same bins")
    model = pyhf.simplemodels.uncorrelated_background(
        signal=list(map(float, signal)), bkg=list(map(float, background)),
        bkg_uncertainty=list(map(float, background_unc)))
    data = list(map(float, observed)) + model.config.auxdata
    total_s = float(np.sum(signal))
    mu_hi = 5.0 * (10.0 + float(np.sum(observed)) + float(np.sum(background))) / max(total_s,
                                                                                    1e-9)
    bounds = model.config.suggested_bounds()
    bounds[model.config.poi_index] = (0.0, mu_hi)

    def cls_minus(mu):
        val = pyhf.infer.hypotest(mu, data, model, test_stat="qtilde", par_bounds=bounds)
        return float(val) - (1.0 - cl)

    return float(optimize.brentq(cls_minus, 1e-6 * mu_hi, mu_hi, xtol=1e-6))
