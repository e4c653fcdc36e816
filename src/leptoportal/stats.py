"""Counting-experiment statistics: exact Poisson upper limits (classical and CLs),
Feldman-Cousins intervals, and limits on HistFactory workspaces (`histfactory`)
through `pyhf`.

* classical: s_up with P(n <= n_obs | s_up + b) = 1 - CL (n = 0, b = 0: 2.303 at 90% CL);
* CLs (Read, J. Phys. G 28 (2002) 2693): P(n <= n_obs | s + b) / P(n <= n_obs | b) = 1 - CL;
* an uncertain background (``b_err`` > 0, classical and CLs): both probabilities are averaged
  over a gamma distribution of b with mean b and standard deviation b_err (Cousins &
  Highland, NIM A 320 (1992) 331), on Gauss-Legendre nodes in its cumulative probability;
* Feldman & Cousins, PRD 57 (1998) 3873: likelihood-ratio ordering on a fine mu grid; the
  upper limit is the largest mu whose acceptance region contains n_obs. This textbook
  construction reproduces FC's Table IV for b = 0, 0.5, 1, 1.5, 2.5 at n = 0 but gives 1.08
  (b = 2) and 0.95 (b = 3) where the table prints 1.26 and 1.08: at b = 2 the near-tie
  R(n=6) = 0.342 > R(n=0) = 0.333 at mu = 1.1 removes n = 0 from the region, while at b = 2.5
  n = 0 leaves and re-enters the region (non-monotonic in mu and in b, a discreteness effect).
  The published entries evidently follow an extra convention we could not reconstruct; the
  package's values are pinned by the tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize, special, stats

from leptoportal import defaults
from leptoportal.errors import InputError, require_choice, require_extra, require_range
from leptoportal.results import Result, quantity

METHODS = ("cls", "fc", "classical")
#: Feldman-Cousins is built on a 0.001 grid in mu: n_obs and b are bounded to keep it small
FC_MAX_COUNT = 100
#: pyhf's asymptotic formulae are used from this many events (observed and background) in
#: total; below, one bin gets the exact CLs: at n = b = 3 the asymptotics give 3.84 where the
#: exact CLs is 4.36
PYHF_MIN_EVENTS = 10
#: nodes of the average over an uncertain background
BACKGROUND_NODES = 96
#: b_err / b below which the gamma distribution of the background is taken as its normal limit
GAMMA_AS_NORMAL_BELOW = 1e-4


def _check(n_obs: int, b: float, cl: float, b_err: float = 0.0
           ) -> tuple[int, float, float, float]:
    n = require_range("n_obs", n_obs, 0, 1e6)
    if n != int(n):
        raise InputError(f"n_obs = {n_obs!r} is not a whole number", parameters=("n_obs",))
    b = require_range("background", b, 0.0, 1e6)
    cl = require_range("cl", cl, 0.5, 1.0, hi_open=True)
    b_err = require_range("background_err", b_err, 0.0, 1e6)
    if b_err > 0.0 and b == 0.0:
        raise InputError(f"background_err = {b_err:g} needs a background (got 0)",
                         parameters=("background_err", "background"))
    return int(n), b, cl, b_err


def background_nodes(b: float, b_err: float) -> tuple[np.ndarray, np.ndarray]:
    """(values, log weights) of the background averaged over: b itself when b_err = 0, else
    BACKGROUND_NODES Gauss-Legendre nodes in the cumulative probability of a gamma
    distribution of mean b and standard deviation b_err."""
    if b_err == 0.0:
        return np.array([b]), np.array([0.0])
    u, w = np.polynomial.legendre.leggauss(BACKGROUND_NODES)
    p = 0.5 * (u + 1.0)
    if b_err < GAMMA_AS_NORMAL_BELOW * b:
        # shape (b / b_err)^2 > 1e8: the gamma is the normal of mean b and width b_err to a
        # relative skewness 2 b_err / b < 2e-4 (its shape would overflow for b_err -> 0)
        values = b + b_err * special.ndtri(p)
    else:
        shape = (b / b_err) ** 2
        values = stats.gamma.ppf(p, shape, scale=b_err**2 / b)
    return values, np.log(0.5 * w)


def _log_poisson_cdf(n: int, mu: float) -> float:
    """ln P(k <= n | mu), finite also where P underflows (mu >> n)."""
    val = float(stats.poisson.logcdf(n, mu))
    if math.isfinite(val):
        return val
    k = np.arange(n + 1)
    terms = k * math.log(mu) - mu - special.gammaln(k + 1) if mu > 0 else np.where(k == 0,
                                                                                 0.0, -np.inf)
    return float(special.logsumexp(terms))


def _log_p_at_most(n: int, s: float, nodes: tuple[np.ndarray, np.ndarray]) -> float:
    """ln of P(k <= n | s + b) averaged over the background ``nodes``."""
    values, log_w = nodes
    return float(special.logsumexp([lw + _log_poisson_cdf(n, s + v)
                                    for v, lw in zip(values, log_w, strict=True)]))


def poisson_upper_limit(n_obs: int, b: float = 0.0, cl: float = defaults.CL,
                        b_err: float = 0.0) -> float:
    """Classical (Neyman) upper limit on the signal mean (events); ``b_err``: the background's
    1 sigma uncertainty (averaged over, see the module docstring).

    >>> poisson_upper_limit(0)        # ln 10
    2.302585...
    """
    n, b, cl, b_err = _check(n_obs, b, cl, b_err)
    nodes = background_nodes(b, b_err)
    target = math.log(1.0 - cl)

    def f(s: float) -> float:
        return _log_p_at_most(n, s, nodes) - target

    if f(0.0) <= 0:
        return 0.0
    return float(optimize.brentq(f, 0.0, 10.0 * (n + 10), xtol=1e-10))


def cls_upper_limit(n_obs: int, b: float = 0.0, cl: float = defaults.CL,
                    b_err: float = 0.0) -> float:
    """Modified-frequentist CLs upper limit on the signal mean (events); ``b_err``: the
    background's 1 sigma uncertainty (averaged over, see the module docstring).

    >>> cls_upper_limit(3, 3.0)       # NA64's n_obs = b = 3
    4.36238...
    """
    n, b, cl, b_err = _check(n_obs, b, cl, b_err)
    nodes = background_nodes(b, b_err)
    log_pb = _log_p_at_most(n, 0.0, nodes)
    target = math.log(1.0 - cl)

    def f(s: float) -> float:  # in logs: P(n <= n_obs | b) underflows for b >> n_obs
        return _log_p_at_most(n, s, nodes) - log_pb - target

    return float(optimize.brentq(f, 0.0, 10.0 * (n + 10) + 10.0 * b_err, xtol=1e-10))


def feldman_cousins_interval(n_obs: int, b: float = 0.0, cl: float = defaults.CL,
                             mu_step: float = 0.001, mu_max: float | None = None
                             ) -> tuple[float, float]:
    """Feldman-Cousins confidence interval [mu_lo, mu_hi] for a Poisson signal mean
    (n_obs and b up to FC_MAX_COUNT; see the module docstring for Table IV)."""
    n, b, cl, _ = _check(n_obs, b, cl)
    if n > FC_MAX_COUNT or b > FC_MAX_COUNT:
        raise InputError(f"Feldman-Cousins takes n_obs and background up to {FC_MAX_COUNT} "
                         f"(got n_obs = {n}, background = {b:g}); use the cls method",
                         parameters=("n_obs", "background", "method"))
    mu_max = mu_max if mu_max is not None else 2.0 * n + 15.0 + 3.0 * math.sqrt(n + b + 1)
    mus = np.arange(0.0, mu_max + mu_step, mu_step)
    n_max = int(mu_max + b + 10 * math.sqrt(mu_max + b) + 20)
    ns = np.arange(n_max + 1)
    mu_best = np.maximum(0.0, ns - b)
    p_best = stats.poisson.pmf(ns, mu_best + b)
    accepted = np.zeros(len(mus), dtype=bool)
    for start in range(0, len(mus), 2000):  # blocks of mu: memory independent of the grid
        block = mus[start:start + 2000]
        p = stats.poisson.pmf(ns[None, :], block[:, None] + b)  # (n_mu, n_n)
        order = np.argsort(-(p / p_best[None, :]), axis=1, kind="stable")
        cum = np.cumsum(np.take_along_axis(p, order, axis=1), axis=1)
        n_in = np.argmax(cum >= cl, axis=1) + 1  # n values in each acceptance region
        rank_of_n = np.argmax(order == n, axis=1)  # position of n_obs in the ordering
        accepted[start:start + 2000] = rank_of_n < n_in
    if not accepted.any():
        return 0.0, 0.0
    idx = np.nonzero(accepted)[0]
    return float(mus[idx[0]]), float(mus[idx[-1]])


def upper_limit(n_obs: int, b: float = 0.0, cl: float = defaults.CL,
                method: str = defaults.LIMIT_METHOD, b_err: float = 0.0) -> float:
    """Upper limit on the signal mean (events) by ``method`` (cls | fc | classical).

    Parameters
    ----------
    n_obs
        Observed events.
    b
        Expected background events.
    cl
        Confidence level in [0.5, 1).
    method
        "cls" (Read 2002), "fc" (Feldman & Cousins 1998) or "classical" (Neyman).
    b_err
        The background's 1 sigma uncertainty (cls and classical).

    Returns
    -------
    float
        The upper limit on the signal mean.

    >>> upper_limit(0, 0.5, method="fc")   # Feldman & Cousins, Table IV: 1.94
    1.935
    """
    require_choice("method", method, METHODS)
    if method == "cls":
        return cls_upper_limit(n_obs, b, cl, b_err)
    if method == "classical":
        return poisson_upper_limit(n_obs, b, cl, b_err)
    if b_err:
        raise InputError(f"method = 'fc' takes no background uncertainty (background_err = "
                         f"{b_err:g}); use cls or classical",
                         parameters=("method", "background_err"))
    return feldman_cousins_interval(n_obs, b, cl)[1]


@dataclass(frozen=True)
class WorkspaceLimit(Result):
    """The upper limit on a workspace's signal strength, and how it was found."""

    title = "workspace limit"

    mu_up: float = quantity("", "upper limit on the signal strength mu")
    cl: float = quantity("", "confidence level")
    method: str = quantity("", "the statistical method used")
    reason: str = quantity("", "why this method")


def pyhf_upper_limit(spec: dict[str, Any], cl: float = defaults.CL) -> WorkspaceLimit:
    """Observed CLs upper limit on the signal strength of a HistFactory workspace ``spec``
    (`histfactory`; the parameter of interest ``mu`` scales the sample ``signal``).

    With at least PYHF_MIN_EVENTS observed and expected background events in total, pyhf's
    asymptotic CLs with the q~_mu test statistic (Cowan, Cranmer, Gross & Vitells, EPJC 71
    (2011) 1554). With fewer, in one bin (the package's counting experiments), the exact
    Poisson CLs of `cls_upper_limit()` with the background uncertainty averaged over:
    the asymptotic formulae are wrong there (at n = b = 3: 3.84 events instead of 4.36).
    With fewer in several bins: an error (pyhf's pseudo-experiments, the method for that
    case, call numpy.percentile with an argument numpy 2 removed, in pyhf 0.7.6).
    """
    from leptoportal import histfactory as hf

    pyhf = require_extra("pyhf", "pyhf")
    cl = require_range("cl", cl, 0.5, 1.0, hi_open=True)
    try:
        ws = pyhf.Workspace(spec)
    except pyhf.exceptions.InvalidSpecification as exc:
        raise InputError(f"not a valid HistFactory workspace: {str(exc).splitlines()[0]}") \
            from None
    model = ws.model()
    data = ws.data(model)
    n_obs = float(sum(o for obs in spec["observations"] for o in obs["data"]))
    b = hf.total(spec, "background")
    signal = hf.total(spec, "signal")
    counts = f"n_obs = {n_obs:g} and b = {b:.4g} events"
    if min(n_obs, b) < PYHF_MIN_EVENTS:
        if not hf.is_counting(spec):
            raise InputError(f"{counts} in several bins: too few for the asymptotic formulae, "
                             "and pyhf's pseudo-experiments do not run with numpy 2",
                             parameters=("n_obs", "background"))
        b_err = _shapesys_error(spec)
        s_up = cls_upper_limit(round(n_obs), b, cl, b_err)
        return WorkspaceLimit(s_up / signal, cl, "exact Poisson CLs (one bin; background "
                              "uncertainty averaged over a gamma distribution)",
                              f"{counts}: fewer than {PYHF_MIN_EVENTS}, where pyhf's "
                              "asymptotic formulae do not hold")
    bounds = model.config.suggested_bounds()
    mu_hi = bounds[model.config.poi_index][1]

    def cls_minus(mu: float) -> float:
        val = pyhf.infer.hypotest(mu, data, model, test_stat="qtilde", par_bounds=bounds)
        return float(val) - (1.0 - cl)

    mu_up = float(optimize.brentq(cls_minus, 1e-6 * mu_hi, mu_hi, xtol=1e-8 * mu_hi))
    return WorkspaceLimit(mu_up, cl, "asymptotic CLs with q~_mu (pyhf)",
                          f"{counts}: at least {PYHF_MIN_EVENTS}, where the asymptotic "
                          "formulae hold")


def _shapesys_error(spec: dict[str, Any]) -> float:
    """The background's 1 sigma uncertainty of a one-bin workspace (0 without shapesys)."""
    for sample in spec["channels"][0]["samples"]:
        if sample["name"] == "background":
            for mod in sample["modifiers"]:
                if mod["type"] == "shapesys":
                    return float(mod["data"][0])
    return 0.0


__all__ = [
    "BACKGROUND_NODES", "FC_MAX_COUNT", "METHODS", "PYHF_MIN_EVENTS", "WorkspaceLimit",
    "background_nodes", "cls_upper_limit", "feldman_cousins_interval", "poisson_upper_limit",
    "pyhf_upper_limit", "upper_limit",
]


def __dir__() -> list[str]:
    return __all__
