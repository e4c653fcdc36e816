import numpy as np
import pytest

from leptoportal import thermo


def test_borsanyi_nodes_reproduced_by_spline():
    """The cubic spline passes through the published nodes (Borsanyi et al. 2016, Table S2)."""
    lt, s_rho, s_s = thermo._borsanyi()
    temps = 10.0**lt / 1000.0
    assert np.allclose(thermo.g_rho(temps), s_rho(lt))
    assert thermo.g_rho(np.array([1e-3]))[0] == pytest.approx(10.71)
    assert thermo.g_s(np.array([1e-3]))[0] == pytest.approx(10.71 / 1.00228)
    assert thermo.g_rho(np.array([10.0]))[0] == pytest.approx(83.10)


def test_idealgas_limits():
    """Free-gas counting: 10.75 between the muon and QCD scales, ~106.75 far above the top."""
    g = thermo.g_rho(np.array([0.005, 280.0]), "idealgas")
    assert g[0] == pytest.approx(10.75, rel=0.01)
    assert g[1] == pytest.approx(106.75, abs=1.5)


def test_dlngs_matches_finite_difference():
    t = np.array([0.05, 0.16, 2.0])
    eps = 1e-4
    fd = (np.log(thermo.g_s(t * (1 + eps))) - np.log(thermo.g_s(t * (1 - eps)))) / (2 * eps)
    assert np.allclose(thermo.dlng_s_dlnT(t), fd, rtol=1e-4)


def test_hubble_and_entropy():
    t = 1.0
    g = thermo.g_rho(t)
    assert thermo.hubble(t) == pytest.approx(1.66 * np.sqrt(g) * t**2 / thermo.M_PLANCK,
                                             rel=1e-3)
    assert thermo.entropy_density(t) == pytest.approx(2 * np.pi**2 / 45 * thermo.g_s(t))
