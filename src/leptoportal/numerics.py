"""Numerical helpers shared by the physics modules: kinematic functions, quadrature rules,
and `Numerics`, the one settings object of every Monte-Carlo computation (precision,
seed, cache, backend, route, effort cap).

Everything here is pure and vectorised; the physics modules import it, never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np

from leptoportal import defaults
from leptoportal._typing import FloatArray


def kallen(a: float | FloatArray, b: float | FloatArray, c: float | FloatArray
           ) -> float | FloatArray:
    """Kallen (triangle) function lambda(a, b, c) = a^2 + b^2 + c^2 - 2ab - 2ac - 2bc.

    The two-body momentum of a decay M -> m1 m2 is sqrt(kallen(M^2, m1^2, m2^2)) / (2 M).

    >>> kallen(1.0, 0.0, 0.0)
    1.0
    """
    return a * a + b * b + c * c - 2.0 * (a * b + a * c + b * c)


def sqrt_kallen(a: float | FloatArray, b: float | FloatArray, c: float | FloatArray) -> FloatArray:
    """sqrt(lambda(a, b, c)) with the rounding-level negative values of lambda set to zero.

    Two unit masses at threshold M = 2:

    >>> float(sqrt_kallen(4.0, 1.0, 1.0))
    0.0
    """
    returned: FloatArray = np.sqrt(np.clip(kallen(a, b, c), 0.0, None))
    return returned


@cache
def _legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(n)


def gauss_legendre_panels(edges: list[float] | FloatArray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Composite n-point Gauss-Legendre rule on the panels between consecutive ``edges``.

    ``edges`` has shape (..., k); the result (nodes, weights) has shape (..., (k - 1) n), so a
    batch of rules (one row of edges per point) is built in one call. Panels of zero width get
    zero weight. Eight nodes per panel integrate polynomials of degree <= 15 exactly:

    >>> x, w = gauss_legendre_panels([0.0, 1.0, 3.0], 8)
    >>> round(float(sum(w * x**2)), 12)
    9.0
    """
    g, w = _legendre(int(n))
    edges = np.asarray(edges, dtype=float)
    a, b = edges[..., :-1, None], edges[..., 1:, None]
    nodes = 0.5 * (b - a) * g + 0.5 * (b + a)
    weights = 0.5 * (b - a) * w
    shape = edges.shape[:-1] + (-1,)
    return nodes.reshape(shape), weights.reshape(shape)


def two_body_momentum(m: float | FloatArray, m1: float, m2: float) -> FloatArray:
    """p* = sqrt(lambda(M^2, m1^2, m2^2)) / (2 M) of M -> m1 m2, zero unless M > m1 + m2.

    lambda is taken in its factorised form (M^2 - (m1 + m2)^2)(M^2 - (m1 - m2)^2), accurate
    near threshold. lambda > 0 also below |m1 - m2|, so only M > m1 + m2 counts as open.
    The muon momentum (GeV) of phi -> mu e at M = 0.3 GeV:

    >>> float(two_body_momentum(0.3, 0.1056583755, 0.000511))
    0.131393...
    """
    m = np.asarray(m, dtype=float)
    lam = (m * m - (m1 + m2) ** 2) * (m * m - (m1 - m2) ** 2)
    return np.where(m > m1 + m2, np.sqrt(np.clip(lam, 0.0, None)) / (2.0 * m), 0.0)


# ------------------------------------------------------------------------------------------
# numerical settings
# ------------------------------------------------------------------------------------------

#: evaluation of the ETL |M|^2: the compiled kernel, the numpy reference, or "auto" (the
#: task picks the faster for the work asked, see leptoportal.tasks)
BACKENDS = ("numba", "numpy", "auto")
#: the two independent phase-space maps of ETL (leptoportal.production.phasespace)
ROUTES = ("sx", "lab")
#: largest random seed numpy accepts
SEED_MAX = 2**32 - 1
#: range of the requested relative Monte-Carlo error
PRECISION_RANGE = (1e-5, 0.5)
#: default cap on the integrand evaluations of one ETL point
MAX_EVALS = 4_000_000


@dataclass(frozen=True)
class Numerics:
    """How a number is computed (never what): one settings object for every Monte-Carlo and
    cached computation.

    Parameters
    ----------
    precision
        Requested relative Monte-Carlo error of an ETL cross-section, in [1e-5, 0.5].
    seed
        Random seed in [0, 2^32 - 1] (same seed, same result), or None (fresh entropy).
    cache
        Read and write the on-disk cross-section store (`leptoportal.cache`).
    backend
        |M|^2 of ETL: "numba" (compiled), "numpy" (the reference) or "auto".
    route
        Phase-space map of ETL: "sx" (default) or "lab" (the independent cross-check).
    max_evals
        Cap on the integrand evaluations of one ETL point.

    Examples
    --------
    >>> Numerics(precision=0.01, seed=3).with_(cache=False)
    Numerics(precision=0.01, seed=3, cache=False, backend='numba', route='sx', max_evals=4000000)
    >>> Numerics(seed=-1)
    Traceback (most recent call last):
    ...
    leptoportal.errors.InputError: seed = -1 is outside the allowed range [0, 4.29497e+09]
    """

    precision: float = defaults.PRECISION["library"]
    seed: int | None = defaults.SEED
    cache: bool = True
    backend: str = defaults.BACKEND["library"]
    route: str = defaults.ROUTE
    max_evals: int = MAX_EVALS

    def __post_init__(self) -> None:
        from leptoportal.errors import require_choice, require_int, require_range

        object.__setattr__(self, "precision",
                           require_range("precision", self.precision, *PRECISION_RANGE))
        if self.seed is not None:
            object.__setattr__(self, "seed", require_int("seed", self.seed, 0, SEED_MAX))
        require_choice("backend", self.backend, BACKENDS)
        require_choice("route", self.route, ROUTES)
        object.__setattr__(self, "max_evals",
                           require_int("max_evals", self.max_evals, 1000, 10**10))
        object.__setattr__(self, "cache", bool(self.cache))

    def with_(self, **changes: Any) -> Numerics:
        """A copy with some settings changed (validated again)."""
        return replace(self, **changes)


__all__ = [
    "BACKENDS", "MAX_EVALS", "PRECISION_RANGE", "ROUTES", "SEED_MAX", "gauss_legendre_panels",
    "kallen", "Numerics", "sqrt_kallen", "two_body_momentum",
]


def __dir__() -> list[str]:
    return __all__
