"""The constraint registry: each bound one registered entry; the cLFV decays as constraints
agree with the lfv command's own route (all channels at once), and each h_limit is where the
prediction meets the limit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leptoportal import constraints, lfv
from leptoportal.model import CouplingMatrix, DarkSector, ModelPoint

MATRICES = {
    "emu+mumu": {"e-mu": {"cs": 1.0}, "mu-mu": {"cs": 1.0}},
    "emu+tautau": {"e-mu": {"cs": 0.5, "cp": 0.5}, "tau-tau": {"cp": 1.0}},
    "mutau+ee": {"mu-tau": {"cs": 1.0}, "e-e": {"cs": 0.3}},
    "emu only": {"e-mu": {"cs": 0.5, "cp": 0.5}},
}


def _point(name: str, m_phi: float, h: float = 1e-4) -> ModelPoint:
    matrix = CouplingMatrix.from_mapping(MATRICES[name])
    return ModelPoint(m_phi, matrix, h=h, dark=DarkSector.default(m_phi))


def test_every_packaged_lfv_limit_is_one_registered_constraint():
    names = [n for n, c in constraints.CONSTRAINTS.items()
             if isinstance(c, constraints.lfv_decays.LFVDecay)]
    assert names == list(lfv.experimental_limits())
    with pytest.raises(RuntimeError, match="registered twice"):
        constraints.register(constraints.CONSTRAINTS["mu -> e gamma"])


@pytest.mark.parametrize("name", list(MATRICES))
@pytest.mark.parametrize("m_phi", [0.15, 0.5, 2.0])
def test_lfv_constraints_agree_with_the_lfv_route(name, m_phi):
    """Per channel: the prediction is the lfv() row's br; no diagram and not applicable where
    lfv() lists "no diagram" or leaves the channel out; the smallest h_limit of the
    constraints is lfv()'s h_limit, from the same channel."""
    point = _point(name, m_phi)
    reference = lfv.lfv(m_phi, point.matrix, point.h, point.dark)
    rows = {r["channel"]: r for r in reference.channels}
    bounds = {b.name: b for b in constraints.evaluate(point)
              if b.name in lfv.experimental_limits()}
    for channel, bound in bounds.items():
        row = rows.get(channel)
        if row is None:
            assert bound.status == "not applicable", channel
        elif row["process"] == "no diagram":
            assert bound.status == "no diagram" and bound.prediction == 0.0
        elif row["br"] is None:  # not computed (an open channel in the loop)
            continue
        else:
            assert bound.status == "bound"
            assert bound.prediction == pytest.approx(row["br"], rel=1e-12)
            assert bound.ratio == pytest.approx(row["ratio"], rel=1e-12)
    limits = [(b.h_limit, n) for n, b in bounds.items() if b.h_limit is not None]
    if reference.h_limit is None:
        assert not limits
    else:
        h, channel = min(limits)
        assert h == pytest.approx(reference.h_limit, rel=1e-12)
        assert channel == reference.h_limit_channel


@pytest.mark.parametrize("name", list(MATRICES))
def test_h_limit_is_where_the_prediction_meets_the_limit(name):
    """An independent check of the solve: at h = h_limit the prediction equals the limit
    (h^4 rates in closed form, narrow-width and invisible-phi rates by root finding)."""
    for m_phi in (0.15, 0.5, 2.0):
        point = _point(name, m_phi)
        for c in constraints.CONSTRAINTS.values():
            b = c.evaluate(point)
            if b.status != "bound" or b.h_limit is None:
                continue
            at_limit = c.predict(point.with_(h=b.h_limit))
            assert at_limit == pytest.approx(c.measurement.limit, rel=1e-6), (c.name, m_phi)


def test_the_emu_entry_alone_has_no_flavour_changing_loop():
    """For the e-mu entry alone the radiative and three-body channels have no diagram
    (exactly zero); a limit measured up to 1.6 GeV does not apply above."""
    bounds = {b.name: b for b in constraints.evaluate(_point("emu only", 0.2))}
    for channel in ("mu -> e gamma", "mu -> e e e", "tau -> e gamma"):
        assert bounds[channel].status == "no diagram"
    heavy = {b.name: b for b in constraints.evaluate(_point("emu only", 2.0))}
    assert heavy["tau -> e phi"].status == "not applicable"
    assert "1.6 GeV" in heavy["tau -> e phi"].reason
    assert math.isfinite(heavy["mu -> e gamma"].limit)


# --------------------------------------------------------------------------------------------
# every bound on a coupling matrix (issue "every bound, in one place")
# --------------------------------------------------------------------------------------------

from leptoportal import g2  # noqa: E402
from leptoportal.constants import LEPTON_MASS, LEPTON_WIDTH  # noqa: E402
from leptoportal.constraints import dipoles, muonium  # noqa: E402
from leptoportal.model import LEPTONS, Couplings  # noqa: E402


def _open_point(mapping: dict | str, m_phi: float, h: float = 1e-3) -> ModelPoint:
    matrix = (CouplingMatrix.model(mapping) if isinstance(mapping, str)
              else CouplingMatrix.from_mapping(mapping))
    return ModelPoint(m_phi, matrix, h=h, dark=DarkSector.default(m_phi),
                      open_lepton_decays=True)


def _by_name(point: ModelPoint) -> dict:
    return {b.name: b for b in constraints.evaluate(point)}


def test_the_list_for_the_muon_philic_model_at_50_and_500_mev():
    """The issue's list: mumu-emu at 0.05 and 0.5 GeV. TWIST's mu -> e phi applies at 0.05
    only; g-2 of mu and e both present (and two-sided); the electron EDM is 0 for real
    couplings and not with a phase; mu -> e gamma, mu -> 3e, muonium and the NA64 searches
    are listed, each with its source."""
    for m_phi in (0.05, 0.5):
        bounds = _by_name(_open_point("mumu-emu", m_phi))
        for name in ("mu -> e phi", "g-2 mu (fnal2025)", "g-2 e (rb2020)", "d_e",
                     "mu -> e gamma", "mu -> e e e", "muonium", "na64mu-2022-mumu",
                     "na64e-2016-2022", "na64mu"):
            assert bounds[name].source and bounds[name].experiment, name
        assert bounds["g-2 mu (fnal2025)"].status == "bound"
        assert bounds["d_e"].status == "bound" and bounds["d_e"].prediction == 0.0
        assert bounds["mu -> e gamma"].status == "bound"
        assert bounds["mu -> e e e"].status == "no diagram"  # no e-e entry: phi -/-> e e
    low, high = (_by_name(_open_point("mumu-emu", m)) for m in (0.05, 0.5))
    assert low["mu -> e phi"].status == "bound" and low["mu -> e phi"].experiment == "TWIST"
    assert high["mu -> e phi"].status == "not applicable"
    assert low["na64mu-2022-mumu"].status == "not applicable"
    assert high["na64mu-2022-mumu"].status == "bound"
    phased = CouplingMatrix.from_mapping({"mu-mu": {"cs": 1.0},
                                          "e-mu": {"cs": 5e-6, "cp": "5e-6j"}})
    point = ModelPoint(0.5, phased, h=1e-3, dark=DarkSector.default(0.5))
    assert constraints.CONSTRAINTS["d_e"].evaluate(point).prediction != 0.0


def test_the_e_mu_entry_alone_closes_no_flavour_changing_loop_but_the_moments():
    """e-mu alone: mu -> e gamma and mu -> 3e are exactly zero (no diagram), while g-2 of
    both leptons and, with a phase, both EDMs come from the internal-lepton loop."""
    phased = {"e-mu": {"cs": 0.5, "cp": "0.5j"}}
    bounds = _by_name(_open_point(phased, 0.5))
    for name in ("mu -> e gamma", "mu -> e e e", "tau -> e gamma", "muonium"):
        assert bounds[name].status == "no diagram" and bounds[name].prediction == 0.0, name
    for name in ("g-2 mu (fnal2025)", "g-2 e (rb2020)", "d_e", "d_mu"):
        assert bounds[name].status == "bound" and bounds[name].prediction != 0.0, name


def test_mu_to_e_phi_width_is_the_two_body_formula():
    """Gamma(mu -> e phi) for the vertex ebar (a + b gamma5) mu phi:
    lambda^(1/2) / (16 pi m_mu^3) [|a|^2 ((m_mu + m_e)^2 - m^2) + |b|^2 ((m_mu - m_e)^2 - m^2)],
    written out here, and the spin sum of the amplitude with explicit spinors
    (`leptoportal.dirac`) at one phase-space point (the decay is isotropic)."""
    from leptoportal import dirac

    m_mu, m_e = LEPTON_MASS["mu"], LEPTON_MASS["e"]
    for m_phi in (1e-3, 0.013, 0.05, 0.08, 0.1):
        for a, b in ((0.3, 0.0), (0.0, 0.7), (0.2 + 0.1j, -0.4j)):
            lam = (m_mu**2 - (m_e + m_phi) ** 2) * (m_mu**2 - (m_e - m_phi) ** 2)
            formula = math.sqrt(lam) / (16 * math.pi * m_mu**3) * (
                abs(a) ** 2 * ((m_mu + m_e) ** 2 - m_phi**2)
                + abs(b) ** 2 * ((m_mu - m_e) ** 2 - m_phi**2))
            width = lfv.lepton_to_phi_width(m_mu, m_e, m_phi, Couplings(a, b))
            assert width == pytest.approx(formula, rel=1e-10)
            # |M|^2 summed over spins with explicit spinors: ubar_e (a + b g5) u_mu
            p = math.sqrt(lam) / (2 * m_mu)
            p_mu = np.array([[m_mu, 0.0, 0.0, 0.0]])
            p_e = np.array([[math.hypot(p, m_e), 0.3 * p, -0.4 * p, math.sqrt(0.75) * p]])
            vertex = dirac.coupling_matrix(a, b)
            amp = np.einsum("nsi,ij,njt->nst", dirac.bar(dirac.u_spinors(p_e, m_e)),
                            vertex, dirac.u_spinors(p_mu, m_mu))
            me2 = float(np.sum(np.abs(amp) ** 2))
            assert width == pytest.approx(p * me2 / 2 / (8 * math.pi * m_mu**2), rel=1e-10)
    point = _open_point({"e-mu": {"cs": 0.5, "cp": 0.5}}, 0.05, h=1e-9)
    rate = next(r for r in lfv.channel_rates(0.05, point.matrix, 1.0)
                if r.channel == "mu -> e phi")
    expected = lfv.lepton_to_phi_width(m_mu, m_e, 0.05, Couplings(0.5, -0.5))
    assert rate.br_h2 == pytest.approx(expected / LEPTON_WIDTH["mu"], rel=1e-12)


def test_g2_bounds_are_two_sided():
    """A scalar's positive and a pseudoscalar's negative Delta a_mu are both bounded: by
    Delta + z sigma and by z sigma (the measured shift is positive), and at h_limit the
    prediction is the limit."""
    ds = g2.get_dataset("fnal2025", "mu")
    z = g2.one_sided_z(0.9)
    for model, sign, edge in (("mumu-scalar", 1, ds.delta + z * ds.sigma),
                              ("mumu-pseudoscalar", -1, z * ds.sigma)):
        point = _open_point(model, 0.3, h=1e-3)
        bound = constraints.CONSTRAINTS["g-2 mu (fnal2025)"].evaluate(point)
        assert math.copysign(1, bound.prediction) == sign
        assert bound.limit == pytest.approx(edge, rel=1e-12)
        at = constraints.CONSTRAINTS["g-2 mu (fnal2025)"].evaluate(
            point.with_(h=bound.h_limit))
        assert abs(at.prediction) == pytest.approx(edge, rel=1e-10)
    electron = _by_name(_open_point("ee-scalar", 0.3, h=1e-4))
    assert electron["g-2 e (rb2020)"].combined and not electron["g-2 e (cs2018)"].combined
    # Cs prefers a negative shift: a positive contribution is allowed only z sigma
    cs = g2.get_dataset("cs2018", "e")
    assert electron["g-2 e (cs2018)"].limit == pytest.approx(z * cs.sigma, rel=1e-12)


def test_dispersive_g2_below_threshold_is_the_principal_value():
    """Below m_mu - m_e the muon's e-phi loop has two poles inside the Feynman-parameter
    interval: the closed form's real part equals the principal value by scipy's
    Cauchy-weight quadrature over the partial fractions."""
    from scipy import integrate

    m_l, m_f = LEPTON_MASS["mu"], LEPTON_MASS["e"]
    for m_phi in (0.01, 0.05, 0.09):
        for c in (Couplings(1.0, 0.0), Couplings(0.0, 1.0), Couplings(0.5, 0.5)):
            a, b, cc = m_l**2, m_phi**2 - m_l**2 - m_f**2, m_f**2
            r1, r2 = sorted(np.roots([a, b, cc]).real)
            assert 0 < r1 < r2 < 1
            eps = m_f / m_l

            def numerator(y, c=c, eps=eps, a=a, r1=r1, r2=r2):
                x = 1 - y
                return (c.s2 * x**2 * (1 - x + eps) + c.p2 * x**2 * (1 - x - eps)) / (
                    a * (r2 - r1))

            pv = sum(sign * integrate.quad(numerator, 0, 1, weight="cauchy", wvar=r,
                                           epsabs=0, epsrel=1e-12, limit=200)[0]
                     for sign, r in ((1, r2), (-1, r1)))
            expected = m_l**2 / (8 * math.pi**2) * pv
            assert g2.delta_a(m_l, m_f, m_phi, c) == pytest.approx(expected, rel=1e-8)


def test_edm_is_the_imaginary_part_of_the_g2_dipole():
    """d_l from the dipole of `leptoportal.lfv` equals the g-2 module's chirally enhanced
    part with |C_S|^2 - |C_P|^2 replaced by 2 Im(C_S* C_P) (module docstring of dipoles):
    d = e K Im(C_S* C_P) / m_l summed over internal leptons, K = [Delta a(1, 0) -
    Delta a(0, 1)] / 2; it changes sign under complex conjugation of the couplings; the
    dipole is hermitian (A_L = A_R*) and its real part is Delta a_l of `leptoportal.g2`."""
    cases = [{"e-mu": {"cs": 0.5, "cp": "0.5j"}},
             {"e-mu": {"cs": "0.3+0.2j", "cp": "0.1-0.4j"}, "mu-mu": {"cs": 0.2}},
             {"e-tau": {"cs": "0.1j", "cp": 0.7}, "e-e": {"cp": 0.1}}]
    for mapping in cases:
        matrix = CouplingMatrix.from_mapping(mapping)
        conj = CouplingMatrix.from_mapping(
            {k: {q: complex(v).conjugate() for q, v in entry.items()}
             for k, entry in mapping.items()})
        for lepton in ("e", "mu"):
            for m_phi in (0.2, 1.0, 3.0):
                d = dipoles.electric_dipole(lepton, m_phi, matrix)
                m_l = LEPTON_MASS[lepton]
                expected = 0.0
                for f in LEPTONS:
                    c = matrix.vertex(lepton, f)
                    if c.norm2 == 0:
                        continue
                    k = (g2.delta_a(m_l, LEPTON_MASS[f], m_phi, Couplings(1.0, 0.0))
                         - g2.delta_a(m_l, LEPTON_MASS[f], m_phi, Couplings(0.0, 1.0))) / 2
                    expected += k * (c.c_s.conjugate() * c.c_p).imag / m_l
                expected *= dipoles.GEV_INV_CM
                assert abs(d) == pytest.approx(abs(expected), rel=1e-6, abs=1e-40)
                assert dipoles.electric_dipole(lepton, m_phi, conj) == pytest.approx(
                    -d, rel=1e-12, abs=1e-40)
                dip = lfv.dipole(lepton, lepton, m_phi, matrix)
                assert dip.a_l == pytest.approx(dip.a_r.conjugate(), rel=1e-10, abs=1e-30)
                assert float((m_l * (dip.a_l + dip.a_r)).real) == pytest.approx(
                    g2.delta_a_lepton(lepton, m_phi, matrix), rel=1e-6)
    real = CouplingMatrix.from_mapping({"e-mu": {"cs": 0.3, "cp": 0.7}, "mu-mu": {"cs": 1}})
    assert dipoles.electric_dipole("e", 0.5, real) == 0.0


def test_rates_scale_as_powers_of_h():
    """g-2 and the EDMs scale as h^2, the loop decays as h^4: the prediction at 2h."""
    phased = {"e-mu": {"cs": 0.5, "cp": "0.5j"}, "mu-mu": {"cs": 0.3}}
    one, two = (_by_name(_open_point(phased, 0.4, h)) for h in (1e-4, 2e-4))
    for name, power in (("g-2 mu (fnal2025)", 2), ("g-2 e (rb2020)", 2), ("d_e", 2),
                        ("d_mu", 2), ("mu -> e gamma", 4)):
        assert two[name].prediction == pytest.approx(2**power * one[name].prediction,
                                                     rel=1e-10), name


@pytest.mark.parametrize("m_phi", [0.05, 0.3])
def test_every_h_limit_is_where_the_prediction_meets_the_limit(m_phi):
    """For every bound of the muon-philic model with a phase: the ratio at h = h_limit is 1
    (the NA64 searches within their solve's tolerance)."""
    phased = {"mu-mu": {"cs": 1.0}, "e-mu": {"cs": 5e-6, "cp": "5e-6j"}}
    for bound in constraints.evaluate(_open_point(phased, m_phi)):
        if bound.status != "bound" or bound.h_limit is None:
            continue
        at = constraints.CONSTRAINTS[bound.name].evaluate(
            _open_point(phased, m_phi, bound.h_limit))
        tol = 1e-3 if bound.unit == "events" else 1e-6
        assert at.ratio == pytest.approx(1.0, rel=tol), bound.name


def test_combined_bound_is_the_smallest_combined_h_limit():
    """The combination takes the smallest h_limit of the combined bounds; below m_mu - m_e
    the paper's e-mu entry is bounded by mu -> e phi orders of magnitude below the rest."""
    for model in ("mumu-emu", "emu-chiral"):
        result = constraints.constraints_at(_open_point(model, 0.05))
        bounds = [b for b in result.bounds if b["combined"] and b["h_limit"] is not None]
        best = min(bounds, key=lambda b: b["h_limit"])
        assert (result.h_limit, result.h_limit_constraint) == (best["h_limit"], best["name"])
        assert result.h_limit_constraint == "mu -> e phi"
    others = [b["h_limit"] for b in bounds if b["name"] != "mu -> e phi"]
    assert result.h_limit < 1e-4 * min(others)


def test_muonium_has_no_tree_level_diagram_for_any_matrix():
    """The diagram rule over every set of entries (complex couplings): e -> mu emits phibar
    only, so no tree-level M -> Mbar; exactly zero where phi's lepton number is conserved
    or no entry changes e into mu, not computed (one-loop box) otherwise."""
    import itertools

    pairs = ["e-e", "e-mu", "e-tau", "mu-mu", "mu-tau", "tau-tau"]
    for n in range(1, len(pairs) + 1):
        for chosen in itertools.combinations(pairs, n):
            m = CouplingMatrix.from_mapping({p: {"cs": "0.3+0.1j", "cp": 0.2}
                                             for p in chosen})
            assert not muonium.tree_level(m)
            status = constraints.CONSTRAINTS["muonium"].evaluate(
                ModelPoint(2.0, m, h=1e-3)).status
            path = "e-mu" in chosen or {"e-tau", "mu-tau"} <= set(chosen)
            if not path or chosen == ("e-mu",):
                assert status == "no diagram", chosen
            else:
                assert status == "not applicable", chosen


def test_g2_at_the_decay_threshold_is_not_applicable_and_finite_beside_it():
    """At m_phi = m_mu - m_e the muon's e-phi loop diverges (a double pole inside the
    Feynman-parameter interval): not applicable there; just above it Delta a_mu grows as
    (m_phi - m_mu + m_e)^(-1/2), just below it the dispersive part stays finite."""
    edge = LEPTON_MASS["mu"] - LEPTON_MASS["e"]
    g2mu = constraints.CONSTRAINTS["g-2 mu (fnal2025)"]
    assert g2mu.evaluate(_open_point("emu-chiral", edge)).status == "not applicable"
    above = [g2mu.predict(_open_point("emu-chiral", edge + d)) for d in (1e-7, 1e-8)]
    assert above[1] / above[0] == pytest.approx(math.sqrt(10), rel=0.02)
    below = [g2mu.predict(_open_point("emu-chiral", edge - d)) for d in (1e-5, 1e-6)]
    assert below[1] == pytest.approx(below[0], rel=1e-2)
