import numpy as np
import pytest

from leptoportal import dirac

RNG = np.random.default_rng(1)


def _onshell(n, m):
    p3 = RNG.normal(size=(n, 3)) * 3
    e = np.sqrt(m**2 + np.sum(p3**2, axis=1))
    return np.column_stack([e, p3])


@pytest.mark.parametrize("gamma", [dirac.GAMMA, dirac.GAMMA_DIRAC])
def test_clifford_algebra(gamma):
    for mu in range(4):
        for nu in range(4):
            anti = gamma[mu] @ gamma[nu] + gamma[nu] @ gamma[mu]
            assert np.allclose(anti, 2 * dirac.METRIC[mu, nu] * np.eye(4))


def test_dirac_equation_and_completeness():
    m = 0.3
    p = _onshell(50, m)
    u, v = dirac.u_spinors(p, m), dirac.v_spinors(p, m)
    ps = dirac.slash(p)
    assert np.allclose((ps - m * np.eye(4)) @ u, 0, atol=1e-12)
    assert np.allclose((ps + m * np.eye(4)) @ v, 0, atol=1e-12)
    # sum_s u ubar = pslash + m, sum_s v vbar = pslash - m
    uu = np.einsum("nis,nsj->nij", u, dirac.bar(u))
    vv = np.einsum("nis,nsj->nij", v, dirac.bar(v))
    assert np.allclose(uu, ps + m * np.eye(4), atol=1e-12)
    assert np.allclose(vv, ps - m * np.eye(4), atol=1e-12)


def test_boost_round_trip_and_rest_frame():
    p = _onshell(20, 1.2)
    rest = dirac.boost_to_rest(p, p)
    assert np.allclose(rest[:, 1:], 0, atol=1e-12)
    assert np.allclose(rest[:, 0], 1.2)
    k = _onshell(20, 0.1)
    back = dirac.boost_from_rest(p, dirac.boost_to_rest(p, k))
    assert np.allclose(back, k, atol=1e-12)
    assert np.allclose(dirac.mdot(k, p), dirac.mdot(*[dirac.boost_to_rest(p, x) for x in (k, p)]))
