"""phi decay widths: spin-summed trace formula vs numeric Dirac spinors; branching fractions."""

import math

import numpy as np
import pytest

from leptoportal import Couplings, DarkSector, Portal, decays, dirac
from leptoportal.constants import HBARC_GEV_M, M_E, M_MU


def _numeric_me2(m_phi, m1, m2, c):
    """sum_spins |ubar(p1) (C_S + C_P g5) v(p2)|^2 from explicit spinors in the phi frame."""
    pstar = decays.two_body_momentum(m_phi, m1, m2)
    rng = np.random.default_rng(7)
    n = 5
    cos = rng.uniform(-1, 1, n)
    ph = rng.uniform(0, 2 * np.pi, n)
    sin = np.sqrt(1 - cos**2)
    d = np.column_stack([sin * np.cos(ph), sin * np.sin(ph), cos]) * pstar
    p1 = np.column_stack([np.sqrt(m1**2 + pstar**2) * np.ones(n), d])
    p2 = np.column_stack([np.sqrt(m2**2 + pstar**2) * np.ones(n), -d])
    g = dirac.coupling_matrix(c.c_s, c.c_p)
    amp = np.einsum("nsi,ij,njt->nst", dirac.bar(dirac.u_spinors(p1, m1)), g,
                    dirac.v_spinors(p2, m2))
    return np.sum(np.abs(amp) ** 2, axis=(1, 2))


@pytest.mark.parametrize("m_phi", [0.12, 0.3, 1.5])
@pytest.mark.parametrize(
    "c", [Couplings(0.3, 0.0), Couplings(0.0, 0.2), Couplings(0.1 + 0.2j, -0.4j)]
)
def test_trace_formula_vs_spinors(m_phi, c):
    num = _numeric_me2(m_phi, M_MU, M_E, c)
    formula = decays.spin_summed_me2(m_phi, M_MU, M_E, c)
    assert np.allclose(num, formula, rtol=1e-10)


def test_chiral_width_closed_form():
    m, h = 0.4, 2e-3
    pstar = decays.two_body_momentum(m, M_MU, M_E)
    expected = h**2 * pstar * (1 - (M_MU**2 + M_E**2) / m**2) / (8 * math.pi)
    assert decays.gamma_mu_e(m, Couplings.chiral(h)) == pytest.approx(expected, rel=1e-13)


def test_widths_branching_and_ctau():
    p = Portal.from_kind(0.3, 1e-3)
    d = DarkSector.benchmark(0.3, g_dark=0.1)
    w = decays.widths(p, d)
    assert w.br_invisible + w.br_mu_e == pytest.approx(1.0)
    assert w.gamma_total == pytest.approx(w.gamma_mu_e + w.gamma_dark)
    assert w.ctau_m == pytest.approx(HBARC_GEV_M / w.gamma_total)
    assert w.br_invisible > 0.99  # g_D >> h
    # dark channel closed below 2 m_chi
    closed = decays.widths(p, DarkSector(0.2, 0.1))
    assert closed.gamma_dark == 0.0 and closed.br_invisible == 0.0
    # no dark sector: all visible
    assert decays.widths(p).br_mu_e == 1.0


def test_decay_length_and_prompt_warning():
    w = decays.widths(Portal.from_kind(0.3, 1e-6))
    e = 50.0
    assert w.decay_length_m(e) == pytest.approx(math.sqrt(e**2 - 0.09) / 0.3 * w.ctau_m)
    with pytest.warns(UserWarning, match="not prompt"):
        assert not decays.warn_if_not_prompt(w, e, 1.0)


def test_closed_channels_have_zero_width_and_momentum():
    """lambda(M^2, m1^2, m2^2) > 0 also below |m1 - m2|: such masses must give zero."""
    c = Couplings.chiral(1.0)
    m = np.array([0.05, M_MU - M_E, M_MU + M_E, 0.2])
    assert np.all(decays.two_body_momentum(m[:3], M_MU, M_E) == 0.0)
    assert np.all(decays.two_body_width(m[:3], M_MU, M_E, c) == 0.0)
    assert decays.two_body_width(m[3:], M_MU, M_E, c)[0] > 0
