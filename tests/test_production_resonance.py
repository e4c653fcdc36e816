"""The resonance l+ e- -> phi: line shape, narrow-width integral, polarisation, CLI."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import integrate

from leptoportal import decays, dirac
from leptoportal.constants import GEV2_TO_PB, M_E, M_MU
from leptoportal.errors import InputError
from leptoportal.model import CouplingMatrix, Couplings, DarkSector
from leptoportal.numerics import two_body_momentum
from leptoportal.production.resonance import Resonance


def _quad_line(res: Resonance, final: str) -> float:
    """Int sigma dE by adaptive quadrature on panels graded around E_R (independent of the
    package's u-substitution rule)."""
    e_r, g = res.resonance_energy, res.width_in_beam_energy()
    offsets = np.array([-1e7, -1e5, -1e3, -100, -30, -10, -3, -1, -0.3, 0, 0.3, 1, 3, 10, 30,
                        100, 1e3, 1e5, 1e7])
    pts = e_r + g * offsets
    pts = pts[pts > 0]
    with warnings.catch_warnings():  # quad's round-off notice on the far tails
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        return sum(integrate.quad(lambda e: res.sigma_pb(e, final), a, b, limit=400,
                                  epsrel=1e-10, epsabs=0)[0]
                   for a, b in zip(pts[:-1], pts[1:], strict=True))


NARROW = [
    Resonance("mu+", 0.418, Couplings.chiral(1e-3)),
    Resonance("mu+", 0.3, Couplings(2e-4, 5e-4), DarkSector.benchmark(0.3, alpha_dark=1e-6)),
    Resonance("e+", 0.017, CouplingMatrix.model("ee-scalar", 1e-4)),
]


@pytest.mark.parametrize("res", NARROW, ids=["mu+ chiral", "mu+ dark", "e+ scalar"])
def test_narrow_width_integral_matches_numerical_integration(res):
    for final in ("all", "entrance", "invisible"):
        nw = res.integrated_sigma_pb_gev(final)
        if nw == 0:
            assert res.dark is None and final == "invisible"
            continue
        assert _quad_line(res, final) == pytest.approx(nw, rel=1e-4)
        # the package's own line integral (u substitution) agrees too
        assert res.integrated_sigma_exact_pb_gev(final) == pytest.approx(nw, rel=1e-4)


def test_narrow_width_integral_formula_and_lorentzian_area():
    res = NARROW[0]
    m = res.m_phi
    pstar = float(two_body_momentum(m, M_MU, M_E))
    gamma_in = decays.two_body_width(m, M_MU, M_E, Couplings.chiral(1e-3))
    expected = math.pi ** 2 * m * gamma_in / (2 * M_E * pstar ** 2) * GEV2_TO_PB
    assert res.integrated_sigma_pb_gev() == pytest.approx(expected, rel=1e-12)
    # area of a Lorentzian: peak x pi x half width (in the beam energy)
    area = res.peak_sigma_pb() * math.pi * 0.5 * res.width_in_beam_energy()
    assert area == pytest.approx(res.integrated_sigma_pb_gev(), rel=1e-6)


def test_ee_peak_is_the_standard_scalar_resonance():
    """e+ e- -> phi -> e+ e-, only an electron coupling: sigma_peak = (2J+1) / ((2s1+1)(2s2+1))
    * 4 pi / k^2 * B_in B_out = pi / k^2 (k the CM momentum, B = 1)."""
    res = Resonance("e+", 0.017, CouplingMatrix.model("ee-scalar", 1e-4))
    k = float(two_body_momentum(0.017, M_E, M_E))
    assert res.scalar == "phi (real)"
    assert res.peak_sigma_pb() == pytest.approx(math.pi / k ** 2 * GEV2_TO_PB, rel=1e-9)
    assert res.resonance_energy == pytest.approx((0.017 ** 2 - 2 * M_E ** 2) / (2 * M_E))


def test_branching_split_and_breit_wigner_shape():
    res = Resonance("mu+", 0.418, Couplings.chiral(1e-3), DarkSector.default(0.418))
    e = res.resonance_energy + np.linspace(-5, 5, 11) * res.width_in_beam_energy()
    tot = res.sigma_pb(e)
    assert np.allclose(res.sigma_pb(e, "invisible") + res.sigma_pb(e, "visible"), tot,
                       rtol=1e-12)
    # maximum at E_R and half maximum at E_R +- Gamma_E / 2 (to O(Gamma / M))
    half = res.sigma_pb(res.resonance_energy + 0.5 * res.width_in_beam_energy())
    assert half / res.peak_sigma_pb() == pytest.approx(0.5, rel=0.05)
    assert np.argmax(tot) == 5
    # broad line (Gamma / M ~ 1.4%): the exact integral differs from the narrow width by O(1%)
    ratio = res.integrated_sigma_exact_pb_gev() / res.integrated_sigma_pb_gev()
    assert 0.95 < ratio < 1.05
    assert res.sigma_pb(0.1) == 0.0  # below the mu+ e- threshold (E < m_mu)


@pytest.mark.parametrize("c", [Couplings.chiral(1.0), Couplings(0.3 + 0.1j, -0.7 + 0.2j),
                               Couplings(1.0, 0.0), Couplings(0.5, -0.5)],
                         ids=["chiral", "complex", "scalar", "antichiral"])
def test_matrix_element_and_analysing_power_from_explicit_spinors(c):
    """|vbar(p1) (C_S + C_P g5) u(p2)|^2 with the Weyl-basis spinors of leptoportal.dirac
    (Peskin-Schroeder: the v spinor with eta = (0, 1) is the antiparticle with spin up): the
    spin average is the formula of the module, the helicity asymmetry of the mu+ is A(s)."""
    res = Resonance("mu+", 0.418, c)
    for energy in (0.2, 3.0, 160.0):
        p = math.sqrt(energy ** 2 - M_MU ** 2)
        v = dirac.v_spinors(np.array([[energy, 0, 0, p]]), M_MU)
        u = dirac.u_spinors(np.array([[M_E, 0, 0, 0]]), M_E)
        amp = np.einsum("nsa,ab,nbt->nst", dirac.bar(v), dirac.coupling_matrix(c.c_s, c.c_p), u)
        per_spin = (np.abs(amp) ** 2).sum(axis=2)[0]
        s = res.s_of(energy)
        p1p2 = 0.5 * (s - M_MU ** 2 - M_E ** 2)
        avg = ((abs(c.c_s) ** 2 + abs(c.c_p) ** 2) * p1p2
               - (abs(c.c_s) ** 2 - abs(c.c_p) ** 2) * M_MU * M_E)
        assert per_spin.sum() / 4 == pytest.approx(avg, rel=1e-10)
        # the same |M|^2 as the decay width at mass sqrt(s) (sum|M|^2 of phi -> mu e)
        assert per_spin.sum() == pytest.approx(
            float(decays.spin_summed_me2(math.sqrt(s), M_MU, M_E, c)), rel=1e-10)
        asym = (per_spin[1] - per_spin[0]) / per_spin.sum()
        assert asym == pytest.approx(float(res.analysing_power(energy)), abs=1e-10)


def test_polarisation_scales_the_rate():
    chiral = Couplings.chiral(1e-3)
    base = Resonance("mu+", 0.418, chiral)
    right = Resonance("mu+", 0.418, chiral, polarisation=1.0)
    left = Resonance("mu+", 0.418, chiral, polarisation=-0.8)
    assert right.integrated_sigma_pb_gev() == pytest.approx(2 * base.integrated_sigma_pb_gev(),
                                                            rel=1e-6)
    assert left.integrated_sigma_pb_gev() == pytest.approx(0.2 * base.integrated_sigma_pb_gev(),
                                                           rel=1e-6)
    scalar = Resonance("mu+", 0.418, Couplings(1e-3, 0.0), polarisation=1.0)
    assert float(scalar.analysing_power(160.0)) == 0.0


def test_conjugate_couplings_give_the_same_unpolarised_line():
    a = Resonance("mu+", 0.3, Couplings(2e-4 + 1e-4j, 5e-4))
    b = Resonance("mu+", 0.3, Couplings(2e-4 - 1e-4j, 5e-4))
    e = np.linspace(50, 120, 7)
    assert np.allclose(a.sigma_pb(e), b.sigma_pb(e), rtol=1e-12)


@pytest.mark.parametrize("kwargs,msg", [
    ({"beam": "mu-", "m_phi": 0.3}, "beam"),
    ({"beam": "mu+", "m_phi": 0.1058}, "threshold"),
    ({"beam": "e+", "m_phi": 0.3}, "no e-e entry"),
    ({"beam": "mu+", "m_phi": 0.3, "polarisation": 1.5}, "polarisation"),
])
def test_bad_inputs(kwargs, msg):
    with pytest.raises(InputError, match=msg):
        Resonance(couplings=Couplings.chiral(1e-3), **kwargs)


def test_cli_resonant_xsec(run_cli, run_json, tmp_path):
    d = run_json("xsec", "--beam", "mu+", "--process", "resonant", "--target", "Pb",
                 "--m-phi", "0.418", "--h", "1e-3")
    res = Resonance("mu+", 0.418, Couplings.chiral(1e-3), DarkSector.default(0.418))
    assert d["resonance_energy"] == pytest.approx(res.resonance_energy)
    assert d["sigma_integrated_pb_gev"] == pytest.approx(res.integrated_sigma_pb_gev())
    assert d["sigma_integrated_invisible_pb_gev"] == pytest.approx(
        res.integrated_sigma_pb_gev("invisible"))
    assert d["sigma_integrated_per_atom_pb_gev"] == pytest.approx(
        82 * d["sigma_integrated_pb_gev"])
    assert d["sigma_peak_pb"] == pytest.approx(res.peak_sigma_pb())
    out = tmp_path / "line.csv"
    run_json("xsec", "--beam", "mu+", "--process", "resonant", "--target", "Pb", "--m-phi",
             "0.418", "--h", "1e-3", "--spectrum", "e_beam", "--out", str(out), "--bins", "10")
    rows = [line.split(",") for line in out.read_text().splitlines()
            if line and not line.startswith("#")][1:]
    assert len(rows) == 11
    e = np.array([float(x[0]) for x in rows])
    assert np.allclose([float(x[1]) for x in rows], res.sigma_pb(e), rtol=1e-6)
    for args, msg in ((["--beam", "mu-"], "beam"),
                      (["--beam", "mu+", "--energy", "160"], "--energy"),
                      (["--beam", "mu+", "--method", "ww"], "--method")):
        code, out_, err = run_cli("xsec", "--process", "resonant", "--target", "Pb",
                                  "--m-phi", "0.418", "--h", "1e-3", *args)
        assert code == 2 and msg in err and len(err.strip().splitlines()) == 1


def test_the_width_prescriptions_agree_at_the_peak_and_not_off_it():
    """A fixed width (every width at M) and the running width (at sqrt s) give the same
    cross-section at the pole, integrals within O(Gamma/M), and differ far off it, where the
    running widths' phase space matters (the docs quote the shower yields' ratio)."""
    import numpy as np
    import pytest

    from leptoportal.model import CouplingMatrix, DarkSector
    from leptoportal.production.resonance import Resonance

    lines = {w: Resonance("e+", 0.27, CouplingMatrix.model("ee-scalar", 1e-4),
                          DarkSector.default(0.27), width=w) for w in ("running", "fixed")}
    e_r = lines["running"].resonance_energy
    assert lines["fixed"].sigma_pb(e_r) == pytest.approx(lines["running"].sigma_pb(e_r),
                                                          rel=1e-12)
    gamma_over_m = float(lines["running"].widths_at(0.27)["total"]) / 0.27
    integrals = {w: r.line_integral(0.5 * e_r, 1.5 * e_r) for w, r in lines.items()}
    assert integrals["fixed"] == pytest.approx(integrals["running"], rel=3 * gamma_over_m)
    far = {w: r.sigma_pb(np.array([0.7 * e_r, 1.4 * e_r])) for w, r in lines.items()}
    assert np.all(np.abs(far["fixed"] / far["running"] - 1) > 0.1)
    with pytest.raises(Exception, match="width"):
        Resonance("e+", 0.27, CouplingMatrix.model("ee-scalar", 1e-4), width="constant")
