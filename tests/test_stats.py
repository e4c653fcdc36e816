"""Poisson limits against textbook values, Feldman-Cousins against their table, pyhf."""


import numpy as np
import pytest

from leptoportal import InputError, stats
from leptoportal import histfactory as hf


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
    res = stats.pyhf_upper_limit(hf.counting_workspace(1.0, float(n), 1e-3 * n, n))
    tol = 0.10 if n == 10 else 0.05
    assert res.mu_up == pytest.approx(exact, rel=tol) and "asymptotic" in res.method


def test_pyhf_systematics_weaken_the_limit():
    tight = stats.pyhf_upper_limit(hf.counting_workspace(1.0, 20.0, 0.02, 20)).mu_up
    loose = stats.pyhf_upper_limit(hf.counting_workspace(1.0, 20.0, 6.0, 20)).mu_up
    assert loose > 1.2 * tight


def test_background_uncertainty_weakens_the_limit_as_pyhf_says():
    """The exact CLs averaged over an uncertain background grows with the uncertainty by the
    same factor as pyhf's profile-likelihood CLs (shapesys) where its asymptotics hold:
    n = b = 50, b_err = 0 -> 10 events (a second, independent treatment of the nuisance)."""
    ours = {e: stats.cls_upper_limit(50, 50.0, b_err=e) for e in (0.0, 5.0, 10.0)}
    theirs = {e: stats.pyhf_upper_limit(hf.counting_workspace(10.0, 50.0, e, 50)).mu_up
              for e in (0.0, 5.0, 10.0)}
    for e in (5.0, 10.0):
        assert ours[e] / ours[0.0] == pytest.approx(theirs[e] / theirs[0.0], rel=0.01)
    assert ours[0.0] < ours[5.0] < ours[10.0]


def test_background_average_against_direct_integration():
    """The Gauss-Legendre average over the gamma-distributed background against
    scipy.integrate.quad of the same integral; b_err -> 0 gives the exact CLs."""
    from scipy import integrate
    from scipy import stats as st

    n, b, e, s = 2, 0.53, 0.17, 3.1
    k, theta = (b / e) ** 2, e**2 / b

    def avg(mu_s):
        return integrate.quad(lambda x: st.gamma.pdf(x, k, scale=theta)
                              * st.poisson.cdf(n, mu_s + x), 0, 20, limit=200)[0]

    values, log_w = stats.background_nodes(b, e)
    ours = np.exp(log_w) @ st.poisson.cdf(n, s + values)
    assert ours == pytest.approx(avg(s), rel=1e-5)  # 96 nodes: 1.3e-6
    assert stats.cls_upper_limit(3, 3.0, b_err=1e-7) == pytest.approx(
        stats.cls_upper_limit(3, 3.0), rel=1e-9)
    assert stats.poisson_upper_limit(2, 0.5, b_err=0.3) > stats.poisson_upper_limit(2, 0.5)


def test_few_events_use_the_exact_cls_and_say_why():
    """NA64's regime (n_obs = 0, b = 0.53 +- 0.17): pyhf_upper_limit names the exact method
    and the reason, and equals the exact CLs divided by the signal."""
    res = stats.pyhf_upper_limit(hf.counting_workspace(2.0, 0.53, 0.17, 0))
    assert res.mu_up == pytest.approx(stats.cls_upper_limit(0, 0.53, b_err=0.17) / 2.0,
                                      rel=1e-12)
    assert "exact Poisson CLs" in res.method and "fewer than 10" in res.reason
    with pytest.raises(InputError, match="fc"):
        stats.upper_limit(1, 1.0, method="fc", b_err=0.1)
    with pytest.raises(InputError, match="needs a background"):
        stats.cls_upper_limit(1, 0.0, b_err=0.1)
