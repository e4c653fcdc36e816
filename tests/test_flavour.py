"""Every lepton-flavour pair and beam charge: coupling matrix, g-2 limits, decays, C symmetry
of the amplitudes and cross-sections, diagonal ETL routes and their equal-mass maps."""

import math

import numpy as np
import pytest

from leptoportal import InputError, decays, g2
from leptoportal.constants import M_E, M_MU, M_TAU
from leptoportal.model import CouplingMatrix, Couplings, Portal, as_matrix, resolve_couplings
from leptoportal.numerics import Numerics
from leptoportal.production import Process, cross_section
from leptoportal.production.etl import point_weights
from leptoportal.production.phasespace import map_lab, map_sx


def test_matrix_vertices_hermiticity_and_domain():
    c = Couplings(0.3 + 0.1j, -0.2 + 0.4j)
    m = CouplingMatrix.emu(c)
    assert m.vertex("e", "mu") == c and m.vertex("mu", "e") == c.conjugate_vertex()
    assert m.vertex("mu", "mu").norm2 == 0 and m.m_phi_min() == pytest.approx(M_MU - M_E)
    # a pair given as (heavier, lighter) is the vertex of that transition
    m2 = CouplingMatrix.from_pairs({("mu", "e"): c})
    assert m2.vertex("mu", "e") == c
    diag = CouplingMatrix.model("mumu-scalar", 2e-3)
    assert diag.vertex("mu", "mu") == Couplings(2e-3, 0) and diag.m_phi_min() == 1e-3
    assert Portal(0.02, diag).m_phi == 0.02  # light muon-philic scalars are allowed
    with pytest.raises(InputError, match="m_phi"):
        Portal(0.02, m)
    with pytest.raises(InputError, match="given twice"):
        CouplingMatrix.from_pairs({("e", "mu"): c, ("mu", "e"): c})
    with pytest.raises(InputError, match="model"):
        CouplingMatrix.model("tautau", 1.0)
    y = CouplingMatrix.from_mapping({"e-mu": {"cs": 0.5, "cp": "0.5"}, "mu-mu": {"cs": 1}})
    assert y.vertex("e", "mu") == Couplings(0.5, 0.5) and y.vertex("mu", "mu") == Couplings(1, 0)
    with pytest.raises(InputError, match="e-mu"):
        CouplingMatrix.from_mapping({"emu": {"cs": 1}})
    # --cs/--cp with a final lepton set the entry of the beam's pair
    r = resolve_couplings(None, "chiral", "1", "0", pair=("mu", "mu"), need_h=False)
    assert as_matrix(r).vertex("mu", "mu") == Couplings(1, 0)
    assert resolve_couplings(2.0, "chiral", pair=("mu", "e")) == Couplings.chiral(2.0)


def test_g2_known_diagonal_limits():
    """Real scalar / pseudoscalar coupled to muons (Leveille 1978; Jegerlehner & Nyffeler,
    Phys. Rept. 477 (2009) 1): light limit 3 y^2/(16 pi^2) (scalar), -y^2/(16 pi^2)
    (pseudoscalar), approached as M/m_mu (scalar) and faster (pseudoscalar); heavy limits
    y^2 m^2/(8 pi^2 M^2) (ln(M^2/m^2) - 7/6) and -y^2 m^2/(8 pi^2 M^2) (ln(M^2/m^2) - 11/6)."""
    s = CouplingMatrix.model("mumu-scalar", 1.0)
    p = CouplingMatrix.model("mumu-pseudoscalar", 1.0)
    for pattern, limit in ((s, 3 / (16 * math.pi**2)), (p, -1 / (16 * math.pi**2))):
        dev = [abs(g2.delta_a_mu(m, pattern) / limit - 1) for m in (6e-3, 3e-3, 1.5e-3)]
        assert dev[2] < 0.03 and dev[0] / dev[1] > 1.8 and dev[1] / dev[2] > 1.8
    big = 100.0
    lg = math.log(big**2 / M_MU**2)
    pre = M_MU**2 / (8 * math.pi**2 * big**2)
    assert g2.delta_a_mu(big, s) == pytest.approx(pre * (lg - 7 / 6), rel=1e-4)
    assert g2.delta_a_mu(big, p) == pytest.approx(-pre * (lg - 11 / 6), rel=1e-4)
    # closed form vs quadrature with equal internal and external masses
    for m in (0.01, 0.3, 3.0):
        assert g2.delta_a_mu(m, s) == pytest.approx(
            g2.delta_a_numeric(M_MU, M_MU, m, Couplings(1, 0)), rel=1e-9)


def test_g2_tau_loop_chiral_enhancement():
    """mu-tau couplings: the chirally enhanced term ~ m_tau/m_mu, absent for |C_S| = |C_P|."""
    scalar = CouplingMatrix.from_pairs({("mu", "tau"): Couplings(1.0, 0.0)})
    chiral = CouplingMatrix.from_pairs({("mu", "tau"): Couplings(0.5, 0.5)})
    m = 2.0
    assert g2.delta_a_mu(m, scalar) == pytest.approx(
        g2.delta_a_numeric(M_MU, M_TAU, m, Couplings(1, 0)), rel=1e-9)
    ratio = g2.delta_a_mu(m, scalar) / g2.delta_a_mu(m, chiral)
    assert ratio > 5 * M_TAU / M_MU / 10  # enhanced by O(m_tau/m_mu)
    assert g2.delta_a_lepton("tau", 1.0, scalar) is None  # tau -> mu phi is open
    assert g2.delta_a_e(m, scalar) == 0.0
    # the e-mu portal is unchanged: the sum over internal leptons has one term
    c = Couplings.chiral(1e-3)
    assert g2.delta_a_mu(0.4, c) == g2.delta_a(M_MU, M_E, 0.4, c)


def test_decays_of_every_pair():
    m = 1.0
    s = CouplingMatrix.model("mumu-scalar", 1e-3)
    w = decays.widths(Portal(m, s))
    beta = math.sqrt(1 - 4 * M_MU**2 / m**2)
    assert w.channels["mu- mu+"] == pytest.approx(1e-6 * m * beta**3 / (8 * math.pi), rel=1e-12)
    both = CouplingMatrix.from_pairs({("e", "mu"): Couplings.chiral(1e-3),
                                      ("mu", "mu"): Couplings(1e-3, 0), ("e", "tau"): Couplings(
                                          1e-3, 0)})
    wb = decays.widths(Portal(m, both))
    assert set(wb.channels) == {"mu- e+", "mu- mu+", "tau- e+"}
    assert wb.channels["tau- e+"] == 0.0  # closed below m_tau + m_e
    assert wb.gamma_visible == pytest.approx(sum(wb.channels.values()))
    assert wb.gamma_mu_e == decays.widths(Portal(m, Couplings.chiral(1e-3))).gamma_mu_e


@pytest.mark.parametrize("flavour,final,model", [("e", "mu", None), ("e", "e", "ee-scalar"),
                                                 ("mu", "mu", "mumu-pseudoscalar")])
def test_charge_conjugate_beams_same_matrix_element(flavour, final, model):
    """C invariance: the anti-lepton chain vbar(p) ... v(p') with the conjugate vertex gives
    the spin-summed |M|^2 of the lepton chain at every phase-space point."""
    c = CouplingMatrix.model(model, 1.0) if model else Couplings(0.3 + 0.2j, 0.7 - 0.1j)
    minus = Process(flavour + "-", 100.0, "Pb", 0.3, c, final_lepton=final)
    plus = Process(flavour + "+", 100.0, "Pb", 0.3, c, final_lepton=final)
    y = np.random.default_rng(3).random((3000, 4))
    w1 = point_weights(minus, map_sx(minus, y))
    w2 = point_weights(plus, map_sx(plus, y))
    ok = w1 > 0
    assert ok.sum() > 2500
    assert np.max(np.abs(w2[ok] / w1[ok] - 1)) < 1e-10
    assert {minus.scalar, plus.scalar} in ({"phi", "phibar"}, {"phi (real)"})


def test_charge_conjugate_cross_sections_agree():
    for beam in ("e", "mu"):
        a = cross_section(Process(beam + "-", 100.0, "Pb", 0.5), "etl",
                          Numerics(precision=0.005, seed=2))
        b = cross_section(Process(beam + "+", 100.0, "Pb", 0.5), "etl",
                          Numerics(precision=0.005, seed=7))
        assert abs(a.sigma_pb - b.sigma_pb) < 3 * math.hypot(a.sigma_err_pb, b.sigma_err_pb)


@pytest.mark.slow
@pytest.mark.parametrize("beam,energy,m_phi,model", [
    ("e-", 100.0, 0.005, "ee-scalar"), ("e-", 100.0, 0.5, "ee-scalar"),
    ("mu-", 160.0, 0.05, "mumu-scalar"), ("mu-", 160.0, 3.0, "mumu-pseudoscalar"),
])
def test_diagonal_etl_routes_agree(beam, energy, m_phi, model):
    """e -> e and mu -> mu: both phase-space maps at <= 0.3% agree within 3 sigma."""
    p = Process(beam, energy, "Pb", m_phi, CouplingMatrix.model(model, 1.0),
                final_lepton=beam[:-1])
    a = cross_section(p, "etl", Numerics(precision=0.003, seed=1))
    b = cross_section(p, "etl", Numerics(precision=0.003, seed=2, route="lab"))
    assert a.rel_err <= 0.003 and b.rel_err <= 0.003
    assert abs(a.sigma_pb - b.sigma_pb) < 3 * math.hypot(a.sigma_err_pb, b.sigma_err_pb)


def test_equal_mass_maps_are_on_shell_and_conserve_momentum():
    p = Process("mu-", 160.0, "Pb", 0.2, CouplingMatrix.model("mumu-scalar", 1.0),
                final_lepton="mu")
    y = np.random.default_rng(9).random((2000, 4))
    for pts in [map_sx(p, y), *map_lab(p, y)]:
        v = pts.valid
        assert v.sum() > 500
        pp, k = pts.pp[v], pts.k[v]
        m2 = pp[:, 0] ** 2 - np.sum(pp[:, 1:] ** 2, axis=1)
        assert np.allclose(m2, M_MU**2, rtol=1e-6, atol=1e-9)
        assert np.allclose(k[:, 0] ** 2 - np.sum(k[:, 1:] ** 2, axis=1), 0.04, rtol=1e-6)
        total = pts.p[v] + pts.q[v] - pp - k
        assert np.abs(total).max() < 1e-8 * 160.0
