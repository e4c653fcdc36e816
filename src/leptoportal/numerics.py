"""Numerical helpers shared by the physics modules: kinematic functions and quadrature rules.

Everything here is pure and vectorised; the physics modules import it, never the reverse.
"""

from __future__ import annotations

from functools import cache

import numpy as np


def kallen(a, b, c):
    """Kallen (triangle) function lambda(a, b, c) = a^2 + b^2 + c^2 - 2ab - 2ac - 2bc.

    Example: ``kallen(1.0, 0.0, 0.0) == 1.0``; the two-body momentum of a decay M -> m1 m2 is
    ``sqrt(kallen(M**2, m1**2, m2**2)) / (2 M)``.
    """
    return a * a + b * b + c * c - 2.0 * (a * b + a * c + b * c)


def sqrt_kallen(a, b, c):
    """sqrt(lambda(a, b, c)) with the rounding-level negative values of lambda set to zero.

    Example: ``sqrt_kallen(4.0, 1.0, 1.0) == 0.0`` (two unit masses at threshold M = 2).
    """
    return np.sqrt(np.clip(kallen(a, b, c), 0.0, None))


@cache
def _legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(n)


def gauss_legendre_panels(edges, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Composite n-point Gauss-Legendre rule on the panels between consecutive ``edges``.

    ``edges`` has shape (..., k); the result (nodes, weights) has shape (..., (k - 1) n), so a
    batch of rules (one row of edges per point) is built in one call. Panels of zero width get
    zero weight. Example: ``x, w = gauss_legendre_panels([0.0, 1.0, 3.0], 8)`` integrates
    polynomials of degree <= 15 on [0, 3] exactly: ``sum(w * x**2) == 9``.
    """
    g, w = _legendre(int(n))
    edges = np.asarray(edges, dtype=float)
    a, b = edges[..., :-1, None], edges[..., 1:, None]
    nodes = 0.5 * (b - a) * g + 0.5 * (b + a)
    weights = 0.5 * (b - a) * w
    shape = edges.shape[:-1] + (-1,)
    return nodes.reshape(shape), weights.reshape(shape)


def two_body_momentum(m, m1: float, m2: float):
    """p* = sqrt(lambda(M^2, m1^2, m2^2)) / (2 M) of M -> m1 m2, zero unless M > m1 + m2.

    lambda is taken in its factorised form (M^2 - (m1 + m2)^2)(M^2 - (m1 - m2)^2), accurate
    near threshold. lambda > 0 also below |m1 - m2|, so only M > m1 + m2 counts as open.
    Example: ``two_body_momentum(0.3, 0.1057, 0.000511)`` is the muon momentum of phi -> mu e.
    """
    m = np.asarray(m, dtype=float)
    lam = (m * m - (m1 + m2) ** 2) * (m * m - (m1 - m2) ** 2)
    return np.where(m > m1 + m2, np.sqrt(np.clip(lam, 0.0, None)) / (2.0 * m), 0.0)
