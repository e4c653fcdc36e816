"""Charged-lepton flavour violation (leptoportal.lfv), each formula against an independent
route: the g-2 of the package at i = j, the heavy-scalar closed form, the Dirac algebra of the
loop numerator done with explicit matrices and spinors, explicit spinor sums for the
three-body |M|^2, a factorised phase-space integral for the three-body rate, the narrow-width
limit, the h^4 scaling and the selection rule of the complex scalar."""

import itertools
import math

import numpy as np
import pytest
from scipy import integrate

from leptoportal import lfv
from leptoportal.constants import LEPTON_MASS, LEPTON_WIDTH
from leptoportal.decays import two_body_width
from leptoportal.dirac import GAMMA, GAMMA5, bar, coupling_matrix, slash, u_spinors, v_spinors
from leptoportal.g2 import delta_a_lepton
from leptoportal.model import CouplingMatrix, Couplings, DarkSector

MATRICES = [
    {"e-mu": {"cs": 1e-3, "cp": 1e-3}},
    {"e-mu": {"cs": 1e-3, "cp": "2e-4+1e-4j"}, "mu-mu": {"cs": 1e-3, "cp": 3e-4}},
    {"mu-tau": {"cs": 1e-3}, "e-e": {"cp": 1e-3}, "e-mu": {"cs": "1e-3j"}},
    {"mu-mu": {"cs": 2e-3}, "tau-tau": {"cp": 1e-3}, "e-tau": {"cs": 1e-3}},
]


def matrix(mapping) -> CouplingMatrix:
    return CouplingMatrix.from_mapping(mapping)


@pytest.mark.parametrize("mapping", MATRICES)
@pytest.mark.parametrize("m_phi", [0.11, 0.3, 1.0, 10.0, 100.0])
def test_dipole_at_i_equals_j_is_the_g2_of_the_package(mapping, m_phi):
    """m_l (A_L + A_R) = Delta a_l of leptoportal.g2 (Leveille's integral in closed form by
    partial fractions there; a Feynman-parameter integral over z here) to 1e-9."""
    m = matrix(mapping)
    for lepton in ("e", "mu"):
        ref = delta_a_lepton(lepton, m_phi, m)
        d = lfv.dipole(lepton, lepton, m_phi, m)
        if ref == 0.0:
            assert d.a_l == d.a_r == 0
            continue
        value = (LEPTON_MASS[lepton] * (d.a_l + d.a_r)).real
        assert value / ref == pytest.approx(1.0, abs=1e-9)


def test_heavy_scalar_limit_of_the_form_factors_off_the_diagonal():
    """M >> every mass: F_R -> (m_i rho_R lam_L + m_j rho_L lam_R) / (6 M^2)
    + m_F rho_R lam_R (ln(M^2/m_F^2) - 3/2) / M^2 (the integrals of z x, z y and (1 - z)
    over z M^2 + (1 - z) m_F^2), F_L with L <-> R."""
    first, second = Couplings(0.3 + 0.1j, 0.2 - 0.4j), Couplings(0.5, -0.1 + 0.3j)
    lam_l, lam_r = first.c_s - first.c_p, first.c_s + first.c_p
    rho_l, rho_r = second.c_s - second.c_p, second.c_s + second.c_p
    m_i, m_j, m_f, big = LEPTON_MASS["tau"], LEPTON_MASS["mu"], LEPTON_MASS["tau"], 3000.0
    f_l, f_r = lfv.form_factors(m_i, m_j, m_f, big, first, second)
    log = math.log(big**2 / m_f**2) - 1.5
    ref_r = (m_i * rho_r * lam_l + m_j * rho_l * lam_r) / (6 * big**2) \
        + m_f * rho_r * lam_r * log / big**2
    ref_l = (m_i * rho_l * lam_r + m_j * rho_r * lam_l) / (6 * big**2) \
        + m_f * rho_l * lam_l * log / big**2
    assert abs(f_r / ref_r - 1) < 1e-4
    assert abs(f_l / ref_l - 1) < 1e-4


def test_dipole_is_the_gauge_invariant_projection_of_the_loop_numerator():
    """The loop numerator ubar_j (rho_L P_L + rho_R P_R)(A-slash + m_F) gamma^mu
    (B-slash + m_F)(lam_L P_L + lam_R P_R) u_i at q^2 = 0, built from explicit Dirac matrices
    and spinors for i != j, is exactly gamma^mu (..) + q^mu (..) + i sigma^(mu nu) q_nu (..):
    the first two are what the leg corrections cancel (the Ward identity), the gauge-
    invariant dipole is minus the integrand of form_factors() (which fixes which Feynman
    parameter goes with m_i and which with m_j)."""
    m_i, m_j, m_f = 1.777, 0.1057, 0.3
    x, y = 0.31, 0.42
    z = 1 - x - y
    first, second = Couplings(0.3 + 0.2j, -0.5 + 0.1j), Couplings(0.7 - 0.4j, 0.2 + 0.6j)
    lam_l, lam_r = first.c_s - first.c_p, first.c_s + first.c_p
    rho_l, rho_r = second.c_s - second.c_p, second.c_s + second.c_p
    p_i = np.array([[m_i, 0, 0, 0.0]])
    e_j = (m_i**2 + m_j**2) / (2 * m_i)
    n = np.array([0.3, -0.5, 0.8]) / np.linalg.norm([0.3, -0.5, 0.8])
    p_j = np.array([[e_j, *(math.sqrt(e_j**2 - m_j**2) * n)]])
    q = (p_i - p_j)[0]
    one = np.eye(4)
    p_l, p_r = (one - GAMMA5) / 2, (one + GAMMA5) / 2
    v1 = lam_l * p_l + lam_r * p_r
    v2 = rho_l * p_l + rho_r * p_r
    a_slash = slash((1 - y) * p_j - x * p_i)[0]
    b_slash = slash((1 - x) * p_i - y * p_j)[0]
    q_lower = q * np.array([1, -1, -1, -1])
    sigma_q = np.einsum("mnij,n->mij", np.array(
        [[0.5j * (GAMMA[a] @ GAMMA[b] - GAMMA[b] @ GAMMA[a]) for b in range(4)]
         for a in range(4)]), q_lower)
    u_i = u_spinors(p_i, m_i)[0]
    ubar_j = bar(u_spinors(p_j, m_j))[0]
    numerator = [v2 @ (a_slash + m_f * one) @ GAMMA[mu] @ (b_slash + m_f * one) @ v1
                 for mu in range(4)]
    basis = [[GAMMA[mu] @ p for mu in range(4)] for p in (p_l, p_r)]
    basis += [[q[mu] * p for mu in range(4)] for p in (p_l, p_r)]
    basis += [[1j * sigma_q[mu] @ p for mu in range(4)] for p in (p_l, p_r)]
    rows, rhs = [], []
    for sj, si in itertools.product(range(2), repeat=2):
        for mu in range(4):
            rows.append([ubar_j[sj] @ b[mu] @ u_i[:, si] for b in basis])
            rhs.append(ubar_j[sj] @ numerator[mu] @ u_i[:, si])
    coef, *_ = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
    assert np.max(np.abs(np.array(rows) @ coef - np.array(rhs))) < 1e-12
    f_r = z * (x * m_i * rho_r * lam_l + y * m_j * rho_l * lam_r) + (x + y) * m_f * rho_r * lam_r
    f_l = z * (x * m_i * rho_l * lam_r + y * m_j * rho_r * lam_l) + (x + y) * m_f * rho_l * lam_l
    assert coef[4] == pytest.approx(-f_l, abs=1e-12)
    assert coef[5] == pytest.approx(-f_r, abs=1e-12)


def test_e_mu_entry_alone_gives_exactly_zero():
    """No internal lepton closes a loop with the e-mu entry alone, and no phi exchange
    reaches three leptons: every rate is exactly zero, and h is not bounded."""
    m = CouplingMatrix.emu(Couplings.chiral(1.0))
    for i, j in lfv.RADIATIVE:
        assert lfv.loop_diagrams(m, i, j) == []
    result = lfv.lfv(0.5, m, h=0.1)
    assert {r["process"] for r in result.channels} == {"no diagram"}
    assert all(r["br"] == 0.0 for r in result.channels)
    assert result.h_limit is None and result.max_ratio is None
    assert {r["channel"] for r in result.channels} == {
        c for c, lim in lfv.experimental_limits().items()
        if lim.m_phi_max is None or lim.m_phi_max >= 0.5}  # TWIST's mu -> e phi: <= 80 MeV
    above = lfv.lfv(2.0, m, h=0.1)  # the tau -> l + invisible limits end at 1.6 GeV
    assert {r["channel"] for r in above.channels} == {
        c for c, lim in lfv.experimental_limits().items() if lim.m_phi_max is None}


def test_scalar_number_selects_the_internal_lepton():
    """phi carries lepton number: tau -> e gamma closes no loop through an internal muon (both
    vertices emit phi), but does through an internal tau or electron."""
    through_mu = matrix({"mu-tau": {"cs": 1.0}, "e-mu": {"cs": 1.0}})
    assert lfv.loop_diagrams(through_mu, "tau", "e") == []
    through_tau = matrix({"tau-tau": {"cs": 1.0}, "e-tau": {"cs": 1.0}})
    assert [f for f, *_ in lfv.loop_diagrams(through_tau, "tau", "e")] == ["tau"]
    through_e = matrix({"e-e": {"cs": 1.0}, "e-tau": {"cs": 1.0}})
    assert [f for f, *_ in lfv.loop_diagrams(through_e, "tau", "e")] == ["e"]


def test_branching_ratios_scale_as_h4_and_the_limit_reproduces_the_bound():
    m = matrix({"e-mu": {"cs": 1.0}, "mu-mu": {"cs": 1.0}, "mu-tau": {"cp": 1.0},
                "tau-tau": {"cs": 0.5}})
    one = lfv.lfv(2.5, m, h=1e-3)
    two = lfv.lfv(2.5, m, h=2e-3)
    for a, b in zip(one.channels, two.channels, strict=True):
        if a["br"]:
            assert b["br"] / a["br"] == pytest.approx(16.0, rel=1e-9), a["channel"]
    assert one.h_limit == pytest.approx(two.h_limit, rel=1e-12)
    at_limit = lfv.lfv(2.5, m, h=one.h_limit)
    row = next(r for r in at_limit.channels if r["channel"] == one.h_limit_channel)
    assert row["ratio"] == pytest.approx(1.0, rel=1e-9)
    assert at_limit.max_ratio == pytest.approx(1.0, rel=1e-9)


def test_narrow_width_limit_solves_the_bound_with_the_width_of_phi():
    """With phi on shell in tau -> mu mu mu the rate is Gamma(tau -> mu phi) Br(phi -> mu mu),
    not proportional to h^4 when phi decays invisibly too; the limit on h still reproduces
    the bound exactly."""
    m = matrix({"mu-tau": {"cs": 1.0}, "mu-mu": {"cs": 1.0}})
    dark = DarkSector.default(0.5)
    small, large = lfv.lfv(0.5, m, h=1e-3, dark=dark), lfv.lfv(0.5, m, h=1.0, dark=dark)
    rows = [next(r for r in res.channels if r["channel"] == "tau -> mu mu mu")
            for res in (small, large)]
    assert "narrow width" in rows[0]["process"]
    # BR ~ h^4 / Gamma_phi(h), Gamma_phi = h^2 Gamma_visible + Gamma_dark
    expected = (1e-3) ** 4 * large.gamma_phi / small.gamma_phi
    assert rows[0]["br"] / rows[1]["br"] == pytest.approx(expected, rel=1e-9)
    assert abs(expected / (1e-3) ** 4 - 1) > 0.1
    at = lfv.lfv(0.5, m, h=small.h_limit, dark=dark)
    assert at.max_ratio == pytest.approx(1.0, rel=1e-8)


def _factorised(i, a, b, c, m_phi, gamma_phi, first, second):
    """Gamma = Int ds/pi Gamma(l_i -> l_a phi*(s)) sqrt(s) Gamma(phi*(s) -> l_b lbar_c)
    / |s - M^2 + i M Gamma|^2 (a scalar carries no spin: exact for one diagram), with
    s = s_min + v^2 (smooth at threshold), or s = M^2 + M Gamma tan(theta) when the pole
    lies inside (the Breit-Wigner made flat)."""
    m_i, m_a, m_b, m_c = (LEPTON_MASS[x] for x in (i, a, b, c))
    lo, hi = (m_b + m_c) ** 2, (m_i - m_a) ** 2

    def numerator(s):
        rs = math.sqrt(s)
        return (lfv.lepton_to_phi_width(m_i, m_a, rs, first) * rs
                * float(two_body_width(rs, m_c, m_b, second)) / math.pi)

    mg = m_phi * gamma_phi
    if lo < m_phi**2 < hi:
        return integrate.quad(lambda t: numerator(m_phi**2 + mg * math.tan(t)) / mg,
                              math.atan((lo - m_phi**2) / mg), math.atan((hi - m_phi**2) / mg),
                              epsabs=0.0, epsrel=1e-11, limit=400)[0]

    def f(v):
        s = lo + v * v
        return 2 * v * numerator(s) / abs(s - m_phi**2 + 1j * mg) ** 2

    return integrate.quad(f, 0.0, math.sqrt(hi - lo), epsabs=0.0, epsrel=1e-11, limit=400)[0]


@pytest.mark.parametrize("mapping", [
    {"e-tau": {"cs": 1e-2}, "mu-mu": {"cs": 1e-2}},
    {"e-tau": {"cs": 1e-2, "cp": "3e-3+2e-3j"}, "mu-mu": {"cp": 1e-2}},
])
@pytest.mark.parametrize("m_phi", [0.15, 1.9, 3.0])
def test_three_body_rate_against_a_factorised_phase_space_integral(mapping, m_phi):
    """tau -> e mu mu through tau -> e phi*, phi* -> mu mu: the Dalitz-plot integral of the
    traces against the factorised one-dimensional integral (pole below, just above and far
    above the Dalitz plot)."""
    m = matrix(mapping)
    gamma_phi = 1e-3 * m_phi
    rate = lfv.tree_rate("tau -> e mu mu", m_phi, m, gamma_phi)
    (term,) = lfv.tree_terms(m, "tau", "e", "mu", "mu")
    ref = _factorised("tau", "e", "mu", "mu", m_phi, gamma_phi, term.first, term.second)
    # within its quoted quadrature error (which is small) and the reference's own (~1e-11)
    assert abs(rate.off_shell - ref) <= rate.off_shell_error + 1e-10 * ref
    assert rate.off_shell_error < 1e-6 * ref


def test_on_shell_phi_is_the_narrow_width_product_counted_once():
    """phi on shell inside the Dalitz plot: the rate is Gamma(tau -> e phi) Br(phi -> mu mu),
    the limit of the factorised integral as Gamma_phi -> 0 (phi's width made of the visible
    channel alone, so that Br = 1)."""
    m = matrix({"e-tau": {"cs": 1e-2}, "mu-mu": {"cs": 1e-2}})
    m_phi = 0.5
    rate = lfv.tree_rate("tau -> e mu mu", m_phi, m, 1.0)
    (pair,) = rate.on_shell
    assert rate.off_shell == 0.0
    gamma_phi = pair[1]  # phi -> mu mu only
    nwa = pair[0] * pair[1] / gamma_phi
    (term,) = lfv.tree_terms(m, "tau", "e", "mu", "mu")
    ref = _factorised("tau", "e", "mu", "mu", m_phi, gamma_phi, term.first, term.second)
    assert nwa == pytest.approx(ref, rel=1e-3)
    result = lfv.lfv(m_phi, m, dark=None)
    row = next(r for r in result.channels if r["channel"] == "tau -> e mu mu")
    assert row["br"] == pytest.approx(pair[0] / LEPTON_WIDTH["tau"], rel=1e-9)


def _explicit_me2(m, terms, s1, s2, m_phi, gamma_phi):
    """Sum over the 16 spin states of |sum of diagrams|^2 with explicit spinors."""
    p_i, p_a, p_b, p_c = lfv._dalitz_points(m, s1, s2)
    m_i, m_a, m_b, m_c = m
    u_i = u_spinors(p_i, m_i)
    ub_a, ub_b = bar(u_spinors(p_a, m_a)), bar(u_spinors(p_b, m_b))
    v_c = v_spinors(p_c, m_c)
    props = {1: 1 / (s1 - m_phi**2 + 1j * m_phi * gamma_phi),
             2: 1 / (s2 - m_phi**2 + 1j * m_phi * gamma_phi)}
    amps = [(t.topology, t.first, t.second) for t in terms]
    if m_a == m_b:
        amps += [(2, f, s) for _, f, s in amps]
    total = np.zeros(len(s1))
    for si, sa, sb, sc in itertools.product(range(2), repeat=4):
        amp = np.zeros(len(s1), dtype=complex)
        for top, f, s in amps:
            g1, g2 = coupling_matrix(f.c_s, f.c_p), coupling_matrix(s.c_s, s.c_p)
            x, y = (ub_a[:, sa], ub_b[:, sb]) if top == 1 else (ub_b[:, sb], ub_a[:, sa])
            sign = 1.0 if top == 1 else -1.0
            amp += sign * (np.einsum("ni,ij,nj->n", x, g1, u_i[:, :, si])
                           * np.einsum("ni,ij,nj->n", y, g2, v_c[:, :, sc]) * props[top])
        total += np.abs(amp) ** 2
    return total


@pytest.mark.parametrize("mapping,channel", [
    ({"mu-tau": {"cs": "1+0.3j", "cp": "0.2-0.5j"}, "mu-mu": {"cs": 0.7, "cp": "0.1+0.4j"}},
     "tau -> mu mu mu"),
    ({"mu-tau": {"cs": "1+0.3j", "cp": 0.2}, "e-e": {"cs": 0.7, "cp": 0.2},
      "e-tau": {"cp": "0.5-0.1j"}, "e-mu": {"cs": "0.3j", "cp": 0.4}}, "tau -> mu e e"),
])
def test_three_body_matrix_element_against_explicit_spinors(mapping, channel):
    """Identical leptons and the two topologies with complex couplings: the closed-form and
    chiral traces equal the explicit sum over spins (signs of Fermi statistics included)."""
    m = matrix(mapping)
    i, a, b, c = lfv.THREE_BODY[channel]
    masses = tuple(LEPTON_MASS[x] for x in (i, a, b, c))
    terms = lfv.tree_terms(m, i, a, b, c)
    if a != b:
        assert {t.topology for t in terms} == {1, 2}
    rng = np.random.default_rng(7)
    s1 = rng.uniform((masses[2] + masses[3]) ** 2, (masses[0] - masses[1]) ** 2, 40)
    rs = np.sqrt(s1)
    e_c = (s1 - masses[2] ** 2 + masses[3] ** 2) / (2 * rs)
    e_a = (masses[0] ** 2 - s1 - masses[1] ** 2) / (2 * rs)
    p_c, p_a = np.sqrt(e_c**2 - masses[3] ** 2), np.sqrt(e_a**2 - masses[1] ** 2)
    lo = masses[1] ** 2 + masses[3] ** 2 + 2 * (e_a * e_c - p_a * p_c)
    s2 = lo + rng.uniform(0, 1, 40) * 4 * p_a * p_c
    ours = lfv.tree_me2(masses, terms, s1, s2, 0.9, 0.05)
    explicit = _explicit_me2(masses, terms, s1, s2, 0.9, 0.05)
    assert np.max(np.abs(ours / explicit - 1)) < 1e-12


def test_packaged_limits_are_sourced_and_every_channel_is_computed():
    limits = lfv.experimental_limits()
    assert limits["mu -> e gamma"].br_limit == 1.5e-13
    assert limits["mu -> e e e"].br_limit == 1.0e-12
    assert set(lfv.REACTIONS) == set(lfv.channel_names())
    for name, lim in limits.items():
        assert name in lfv.channel_names()
        assert 0 < lim.br_limit < 1e-3 and lim.cl in (0.9, 0.95) and lim.reference


def test_tau_to_lepton_and_invisible_phi_is_bounded_where_the_search_applies():
    """tau -> mu phi with phi invisible: BR(tau -> mu phi) Br(phi -> invisible) against the
    Belle tau -> mu + invisible limit below 1.6 GeV; the limit on h solves it exactly."""
    m = matrix({"mu-tau": {"cs": 1.0}})
    dark = DarkSector.default(0.5)
    result = lfv.lfv(0.5, m, h=1e-6, dark=dark)
    row = next(r for r in result.channels if r["channel"] == "tau -> mu phi")
    width = lfv.lepton_to_phi_width(LEPTON_MASS["tau"], LEPTON_MASS["mu"], 0.5,
                                    Couplings(1e-6, 0.0))
    br_inv = 1.0 - two_body_width(0.5, LEPTON_MASS["mu"], LEPTON_MASS["tau"],
                                  Couplings(1e-6, 0.0)) / result.gamma_phi
    assert row["br"] == pytest.approx(width / LEPTON_WIDTH["tau"] * br_inv, rel=1e-12)
    assert row["cl"] == 0.95 and result.h_limit_channel == "tau -> mu phi"
    at = lfv.lfv(0.5, m, h=result.h_limit, dark=dark)
    assert at.max_ratio == pytest.approx(1.0, rel=1e-8)
    above = next(r for r in lfv.lfv(1.65, m, h=1e-6).channels if r["channel"] == "tau -> mu phi")
    assert above["br"] > 0 and above["br_limit"] is None  # open, beyond the search's range


def test_the_packaged_limit_of_each_channel_is_the_strongest_published_one():
    """The rule of data/lfv_limits.SOURCE.md, read against the data: per channel the package
    keeps the smallest of the published limits it considered (lfv_limits_published.csv) at
    the same confidence level, with that measurement's experiment and reference."""
    import csv
    from importlib import resources

    text = resources.files("leptoportal").joinpath("data/lfv_limits_published.csv").read_text()
    published: dict[str, list[dict]] = {}
    for row in csv.DictReader(ln for ln in text.splitlines() if not ln.startswith("#")):
        published.setdefault(row["channel"], []).append(row)
    kept = lfv.experimental_limits()
    assert set(published) == set(kept)
    for channel, limit in kept.items():
        same_cl = [r for r in published[channel] if float(r["cl"]) == limit.cl]
        best = min(same_cl, key=lambda r: float(r["br_limit"]))
        assert limit.br_limit == float(best["br_limit"]), channel
        assert (limit.experiment, limit.reference) == (best["experiment"], best["reference"])
    assert kept["tau -> mu mu mu"].br_limit == 1.9e-8  # Belle II, arXiv:2405.07386
