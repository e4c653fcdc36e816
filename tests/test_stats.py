"""Poisson limits against textbook values, Feldman-Cousins against their table, pyhf."""

import pytest

from leptoportal import InputError, stats


def test_classical_and_cls_zero_events():
    assert stats.poisson_upper_limit(0, 0.0, 0.9) == pytest.approx(2.302585, abs=1e-5)
    assert stats.cls_upper_limit(0, 0.0, 0.9) == pytest.approx(2.302585, abs=1e-5)
    assert stats.poisson_upper_limit(0, 0.0, 0.95) == pytest.approx(2.995732, abs=1e-5)
    # CLs with n = 0 does not depend on b; classical does (and can become very small)
    assert stats.cls_upper_limit(0, 5.0) == pytest.approx(2.302585, abs=1e-5)
    assert stats.poisson_upper_limit(0, 2.0) == pytest.approx(0.302585, abs=1e-5)


def test_classical_textbook_values():
    """90% CL upper limits for b = 0 (PDG, Statistics review, Table 40.3): 3.89, 5.32, 6.68."""
    for n, up in [(1, 3.890), (2, 5.322), (3, 6.681)]:
        assert stats.poisson_upper_limit(n, 0.0) == pytest.approx(up, abs=2e-3)


@pytest.mark.parametrize(
    "n,b,lo,hi",
    [(0, 0.0, 0.00, 2.44), (1, 0.0, 0.11, 4.36), (2, 0.0, 0.53, 5.91), (3, 0.0, 1.10, 7.42),
     (4, 0.0, 1.47, 8.60), (5, 0.0, 1.84, 9.99), (0, 0.5, 0.00, 1.94), (0, 1.0, 0.00, 1.61),
     (0, 1.5, 0.00, 1.33), (0, 2.5, 0.00, 1.18)],
)
def test_feldman_cousins_table(n, b, lo, hi):
    """Feldman & Cousins, PRD 57 (1998) 3873, Table IV (90% CL), to their two decimals."""
    got = stats.feldman_cousins_interval(n, b, 0.9)
    assert got[0] == pytest.approx(lo, abs=0.006)
    assert got[1] == pytest.approx(hi, abs=0.006)


def test_upper_limit_dispatch_and_bad_input():
    assert stats.upper_limit(0, 0, 0.9, "fc") == pytest.approx(2.44, abs=0.006)
    with pytest.raises(InputError):
        stats.upper_limit(0, 0, 0.9, "bayes")
    with pytest.raises(InputError):
        stats.cls_upper_limit(-1, 0)
    with pytest.raises(InputError):
        stats.cls_upper_limit(1.5, 0)
    with pytest.raises(InputError):
        stats.cls_upper_limit(1, 0, 1.2)


@pytest.mark.parametrize("n", [10, 40])
def test_pyhf_single_bin_matches_exact_cls(n):
    """Asymptotic pyhf CLs vs the exact Poisson CLs: agreement improves with counts."""
    exact = stats.cls_upper_limit(n, float(n))
    asym = stats.pyhf_upper_limit([1.0], [float(n)], [1e-3 * n], [float(n)])
    tol = 0.10 if n == 10 else 0.05
    assert asym == pytest.approx(exact, rel=tol)


def test_pyhf_systematics_weaken_the_limit():
    tight = stats.pyhf_upper_limit([1.0], [20.0], [0.02], [20.0])
    loose = stats.pyhf_upper_limit([1.0], [20.0], [6.0], [20.0])
    assert loose > 1.2 * tight
