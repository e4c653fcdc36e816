"""Shared numerical helpers: Kallen function, two-body momentum, Gauss-Legendre panels."""

import math

import numpy as np
import pytest

from leptoportal import numerics


def test_kallen_symmetry_and_two_body_momentum():
    a, b, c = 2.3, 0.7, 0.11
    vals = {numerics.kallen(*p) for p in ((a, b, c), (b, c, a), (c, a, b), (a, c, b))}
    assert max(vals) - min(vals) < 1e-14
    # factorised form: lambda(M^2, m1^2, m2^2) = (M^2 - (m1+m2)^2)(M^2 - (m1-m2)^2)
    m, m1, m2 = 0.9, 0.105, 0.000511
    lam = numerics.kallen(m * m, m1 * m1, m2 * m2)
    assert lam == pytest.approx((m * m - (m1 + m2) ** 2) * (m * m - (m1 - m2) ** 2), rel=1e-13)
    assert numerics.two_body_momentum(m, m1, m2) == pytest.approx(math.sqrt(lam) / (2 * m))
    # energy of daughter 1 in the rest frame from p*: E1 = (M^2 + m1^2 - m2^2) / 2M
    p = float(numerics.two_body_momentum(m, m1, m2))
    assert math.hypot(m1, p) + math.hypot(m2, p) == pytest.approx(m, rel=1e-14)
    # closed below threshold, also where lambda > 0 (below |m1 - m2|)
    assert numerics.two_body_momentum(0.05, m1, m2) == 0.0
    assert numerics.sqrt_kallen(4.0, 1.0, 1.0) == 0.0


def test_gauss_legendre_panels_exact_and_batched():
    x, w = numerics.gauss_legendre_panels([0.0, 1.0, 3.0], 8)
    assert np.sum(w * x**15) == pytest.approx(3.0**16 / 16, rel=1e-13)
    x, w = numerics.gauss_legendre_panels([0.0, 0.0, math.pi], 12)  # empty panel: no weight
    assert np.sum(w * np.sin(x)) == pytest.approx(2.0, rel=1e-12)
    edges = np.array([[0.0, 0.5, 1.0], [1.0, 2.0, 4.0]])
    x, w = numerics.gauss_legendre_panels(edges, 6)
    assert x.shape == (2, 12)
    assert np.sum(w * x**2, axis=1) == pytest.approx([1.0 / 3.0, 63.0 / 3.0], rel=1e-13)
