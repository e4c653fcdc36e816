"""ETL cross-section: two routes, error calibration, h^2 and (C_S, C_P) scaling, WW/IWW,
spectra vs total, threshold behaviour, form factors, cached points."""

import math

import numpy as np
import pytest

from leptoportal import Couplings, InputError
from leptoportal.numerics import Numerics
from leptoportal.production import (
    Process,
    cached_cross_section,
    cross_section,
    default_edges,
    sigma_etl,
    sigma_iww,
    sigma_ww,
    spectra,
)
from leptoportal.production import formfactors as ffm
from leptoportal.production import ww as wwm
from leptoportal.production.targets import get_target, targets


def _agree(a, b, nsig=3.5):
    return abs(a.sigma_pb - b.sigma_pb) < nsig * math.hypot(a.sigma_err_pb, b.sigma_err_pb)


@pytest.mark.parametrize(
    "beam,energy,target,m_phi",
    [("e-", 100.0, "Pb", 0.2), ("e-", 100.0, "Pb", 1.0), ("mu-", 160.0, "Pb", 0.5),
     ("e-", 8.0, "W", 0.3)],
)
def test_two_etl_routes_agree(beam, energy, target, m_phi):
    proc = Process(beam, energy, target, m_phi)
    a = sigma_etl(proc, Numerics(precision=0.004, route="sx", seed=3))
    b = sigma_etl(proc, Numerics(precision=0.004, route="lab", seed=4))
    assert a.rel_err <= 0.005 and b.rel_err <= 0.005
    assert _agree(a, b), (a.sigma_pb, a.sigma_err_pb, b.sigma_pb, b.sigma_err_pb)


def test_error_estimate_is_calibrated():
    """Pulls of 12 independent 0.5% results around a 0.05% reference have unit spread."""
    proc = Process("e-", 100.0, "Pb", 0.5)
    ref = sigma_etl(proc, Numerics(precision=5e-4, seed=100))
    pulls = []
    for seed in range(12):
        r = sigma_etl(proc, Numerics(precision=0.005, seed=seed))
        assert r.rel_err <= 0.005
        pulls.append((r.sigma_pb - ref.sigma_pb) / math.hypot(r.sigma_err_pb, ref.sigma_err_pb))
    rms = float(np.sqrt(np.mean(np.square(pulls))))
    assert 0.7 <= rms <= 1.3, pulls  # measured 0.82


@pytest.mark.parametrize("beam,energy", [("mu-", 160.0), ("e-", 100.0)])
def test_total_error_covers_the_spread_over_seeds(beam, energy):
    """Pull rms of 24 seeds around their weighted mean (measured 1.01 for mu-, 0.83 for e-)."""
    proc = Process(beam, energy, "Pb", 0.5)
    runs = [sigma_etl(proc, Numerics(precision=0.01, seed=s)) for s in range(200, 224)]
    v = np.array([r.sigma_pb for r in runs])
    e = np.array([r.sigma_err_pb for r in runs])
    mean = np.average(v, weights=e ** -2)
    rms = math.sqrt(np.mean(((v - mean) / e) ** 2) * len(v) / (len(v) - 1))
    assert 0.7 <= rms <= 1.3, rms


@pytest.mark.slow
def test_lab_route_is_unbiased_for_muon_beams():
    """mu- 160 GeV on Pb at m_phi = 1 GeV: the lab route was 0.42-0.49% low (pull rms ~2,
    inverse-variance weighting and a stopping rule on the last iteration favoured iterations
    that missed the soft-electron peak); now the mean of 6 seeds at 0.3% agrees with the sx
    route at 0.05% (measured -0.17% +- 0.10% over 8 seeds) and the pulls are ~1."""
    proc = Process("mu-", 160.0, "Pb", 1.0)
    ref = sigma_etl(proc, Numerics(precision=5e-4, seed=999))
    runs = [sigma_etl(proc, Numerics(precision=0.003, seed=10 + s, route="lab")) for s in range(6)]
    v = np.array([r.sigma_pb for r in runs])
    e = np.array([r.sigma_err_pb for r in runs])
    pulls = (v - ref.sigma_pb) / np.hypot(e, ref.sigma_err_pb)
    assert math.sqrt(np.mean(pulls ** 2)) < 1.5, pulls
    assert abs(v.mean() / ref.sigma_pb - 1) < 3 * v.std(ddof=1) / math.sqrt(6) / ref.sigma_pb


def test_spectrum_errors_cover_the_spread_over_seeds():
    """Per-bin errors of dsigma/dx and dsigma/dE_out: pull rms over 12 seeds in [0.7, 1.3]
    (measured 0.91 and 0.88; before the flattened grid the lowest x bin pulled 20, biased
    low by 35% with ~10 events)."""
    from leptoportal.production import default_edges, spectra

    proc = Process("e-", 100.0, "Pb", 0.5)
    edges = {"x": default_edges(proc, "x", 20), "e_out": default_edges(proc, "e_out", 20)}
    runs = [spectra(proc, edges, n_events=40_000, numerics=Numerics(seed=100 + s))[0]
            for s in range(12)]
    for name in edges:
        v = np.array([r[name].dsigma for r in runs])
        e = np.array([r[name].dsigma_err for r in runs])
        pulls = (v - v.mean(axis=0)) / e * math.sqrt(len(v) / (len(v) - 1))
        rms = math.sqrt(np.mean(pulls ** 2))
        assert 0.7 <= rms <= 1.3, (name, rms)
        assert np.all(np.sqrt(np.mean(pulls ** 2, axis=0)) < 1.8), name


def test_etl_scales_as_h_squared():
    numerics = Numerics(precision=0.005, seed=2)
    a = sigma_etl(Process("e-", 100.0, "Pb", 0.3, Couplings.chiral(1.0)), numerics)
    b = sigma_etl(Process("e-", 100.0, "Pb", 0.3, Couplings.chiral(3e-3)), numerics)
    assert b.sigma_pb / a.sigma_pb == pytest.approx(9e-6, rel=1e-9)


@pytest.mark.parametrize("beam,energy", [("e-", 100.0), ("mu-", 160.0)])
def test_coupling_structure_scaling_matches_ww_derivation(beam, energy):
    """sigma(C_S, C_P) = 2|C_S|^2 sigma_1(D_S) + 2|C_P|^2 sigma_1(D_P): the ETL ratios to the
    chiral case follow the WW decomposition documented in production.ww."""
    base = Process(beam, energy, "Pb", 0.4)
    etl0, ww0 = sigma_etl(base, Numerics(precision=0.002, seed=5)), sigma_ww(base)
    for c in (Couplings(1.0, 0.0), Couplings(0.0, 1.0), Couplings(0.3 + 0.4j, -0.2j)):
        p = base.with_(couplings=c)
        r_etl = sigma_etl(p, Numerics(precision=0.002, seed=5)).sigma_pb / etl0.sigma_pb
        r_ww = sigma_ww(p).sigma_pb / ww0.sigma_pb
        assert r_etl == pytest.approx(r_ww, rel=0.01)


@pytest.mark.parametrize("m_phi", [0.11, 0.5, 2.0])
def test_ww_close_to_etl_for_electron_beam_on_lead(m_phi):
    """Where WW should hold (heavy outgoing muon, |u| >~ m_mu^2 above the photon virtuality
    scale of the Pb form factor) it reproduces the exact result within a few percent."""
    proc = Process("e-", 100.0, "Pb", m_phi)
    ratio = sigma_ww(proc).sigma_pb / sigma_etl(proc, Numerics(precision=0.003)).sigma_pb
    assert abs(ratio - 1) < 0.03


def test_ww_theta_integral_equals_iww_when_chi_is_constant(monkeypatch):
    """With chi(t_min) held fixed WW and IWW differ only by sin(theta) vs theta (< 1e-3)."""
    const = 12345.0
    monkeypatch.setattr(wwm, "chi", lambda proc, t: np.full_like(np.asarray(t, float), const))
    for beam, e, m in [("e-", 100.0, 0.3), ("mu-", 160.0, 1.0)]:
        proc = Process(beam, e, "Pb", m)
        ratio = sigma_ww(proc).sigma_pb / sigma_iww(proc).sigma_pb
        assert abs(ratio - 1) < 1e-3


def test_ww_and_iww_agree_in_complete_screening():
    """When every t_min lies far below the screening scale 1/a^2, chi is saturated and IWW
    reproduces WW (muon beam, light outgoing electron, very high energy)."""
    proc = Process("mu-", 1e4, "Pb", 0.11)
    a, b = sigma_ww(proc), sigma_iww(proc)
    assert b.sigma_pb / a.sigma_pb == pytest.approx(1.0, abs=0.05)


def test_chi_spline_and_gauss_vs_adaptive_quadrature():
    for ff in ffm.FORM_FACTORS:
        proc = Process("e-", 100.0, "Pb", 0.2, form_factor=ff)
        tm = np.geomspace(1e-14, 1e2, 9)
        direct = np.array([wwm.chi_direct(proc.g2, t, 100.0**2) for t in tm])
        assert np.allclose(wwm.chi_gauss(proc.g2, tm, 100.0**2), direct, rtol=1e-7)
        assert np.allclose(wwm.chi(proc, tm), direct, rtol=1e-5)


def test_spectra_integrate_to_total():
    proc = Process("e-", 100.0, "Pb", 0.5)
    edges = {o: default_edges(proc, o, 30) for o in ("x", "cos_theta", "e_out")}
    specs, total = spectra(proc, edges, n_events=200_000, numerics=Numerics(seed=9))
    ref = sigma_etl(proc, Numerics(precision=0.003, seed=10))
    assert _agree(total, ref)
    for spec in specs.values():
        integral, err = spec.integral()
        # the binning covers the full range of each observable
        assert integral == pytest.approx(total.sigma_pb, rel=1e-9)
        assert abs(integral - ref.sigma_pb) < 3.5 * math.hypot(err, ref.sigma_err_pb)
    # the phi takes most of the energy: dsigma/dx rises towards x -> 1
    dx = specs["x"].dsigma
    assert dx[-1] > dx[len(dx) // 2] > dx[2]


def test_double_differential_marginals():
    """dsigma/dx dcos integrates over cos to dsigma/dx and over both to the total."""
    from leptoportal.production import spectrum_2d

    proc = Process("e-", 100.0, "Pb", 0.5)
    xe, ce = default_edges(proc, "x", 12), default_edges(proc, "cos_theta", 15)
    spec2 = spectrum_2d(proc, xe, ce, n_events=160_000, numerics=Numerics(seed=4))
    d2, e2, total = spec2.dsigma, spec2.dsigma_err, spec2.total
    specs, total1 = spectra(proc, {"x": xe}, n_events=160_000, numerics=Numerics(seed=4))
    marginal = (d2 * np.diff(ce)[None, :]).sum(axis=1)
    assert np.allclose(marginal, specs["x"].dsigma, rtol=1e-9)  # same events, same seed
    assert (d2 * np.outer(np.diff(xe), np.diff(ce))).sum() == pytest.approx(total.sigma_pb,
                                                                             rel=1e-9)
    assert np.all(e2 >= 0)


def test_threshold_behaviour():
    base = Process("e-", 100.0, "Pb", 0.5)
    thr = base.threshold_energy
    with pytest.raises(InputError, match="below the threshold"):
        Process("e-", thr * 0.999, "Pb", 0.5)
    sig = [sigma_etl(base.with_(energy=thr * f), Numerics(precision=0.01)).sigma_pb
           for f in (1.001, 1.01, 1.1, 2.0)]
    assert sig[0] < sig[1] < sig[2] < sig[3]
    assert sig[0] / sig[3] < 1e-3


def test_targets_and_form_factors():
    assert set(targets()) >= {"Pb", "W", "Fe", "Cu", "Al", "C", "Si"}
    pb = get_target("Pb")
    assert (pb.Z, pb.A, pb.density_g_cm3, pb.X0_g_cm2) == (82, 207.2, 11.35, 6.37)
    assert pb.X0_cm == pytest.approx(0.5612, rel=1e-3)
    with pytest.raises(InputError):
        get_target("Xe")
    # screening: G2 -> 0 as t -> 0; nuclear suppression: G2 -> Z^2 (d/t)^2 at large t
    t = np.array([1e-14, 10.0])
    g = ffm.g2_elastic(t, 82, 207.2)
    assert g[0] / 82**2 < 1e-6
    assert g[1] == pytest.approx(82**2 * (ffm.nuclear_d(207.2) / 10.0) ** 2, rel=2e-3)
    # in between both limits G2 ~ Z^2
    assert ffm.g2_elastic(np.array([1e-5]), 82, 207.2)[0] == pytest.approx(82**2, rel=0.02)
    assert ffm.helm_form_factor(np.array([0.0]), 207.2)[0] == pytest.approx(1.0)
    # inelastic term is O(1/Z) of the elastic one
    ratio = ffm.g2_inelastic(np.array([1e-3]), 82)[0] / ffm.g2_elastic(np.array([1e-3]), 82,
                                                                        207.2)[0]
    assert 0 < ratio < 0.05


def test_form_factor_variants_bracket_a_small_systematic():
    proc = Process("e-", 100.0, "Pb", 0.5)
    base = sigma_ww(proc).sigma_pb
    for ff in ("elastic+inelastic", "helm"):
        other = sigma_ww(proc.with_(form_factor=ff)).sigma_pb
        assert 0 < abs(other / base - 1) < 0.1


def test_cross_section_dispatch_and_bad_method():
    proc = Process("e-", 100.0, "Pb", 0.5)
    assert cross_section(proc, "iww").method == "iww"
    with pytest.raises(InputError, match="method"):
        cross_section(proc, "exact")


def test_cached_cross_section_store_resume_and_opt_out(tmp_path, monkeypatch):
    from leptoportal.production import xsec as xsec_mod

    monkeypatch.setenv("LEPTOPORTAL_CACHE", str(tmp_path))
    grid = [(e, m) for e in (50.0, 100.0, 150.0) for m in (0.2, 0.4, 0.8)]
    calls = []
    real = xsec_mod.cross_section

    def counting(proc, method, *args, **kw):
        calls.append((proc.energy, proc.m_phi))
        return real(proc, method, *args, **kw)

    monkeypatch.setattr(xsec_mod, "cross_section", counting)

    def run(**kw):
        return [cached_cross_section(Process("e-", e, "Pb", m, **kw), "iww") for e, m in grid]

    first = run()
    assert len(calls) == 9
    store = next(tmp_path.iterdir())
    assert len(list(store.glob("*.json"))) == 9 and not list(store.glob("*.tmp"))
    assert run() == first and len(calls) == 9  # served from the cache
    run(form_factor="helm")  # another input, other keys
    assert len(list(store.glob("*.json"))) == 18
    # resume: only removed points are recomputed
    for f in sorted(store.glob("*.json"))[:3]:
        f.unlink()
    calls.clear()
    run(), run(form_factor="helm")
    assert len(calls) == 3
    # cache=False neither reads nor writes
    calls.clear()
    out = cached_cross_section(Process("e-", 70.0, "Pb", 0.3), "iww",
                               numerics=Numerics(cache=False))
    assert calls == [(70.0, 0.3)] and out[0] > 0
    assert len(list(store.glob("*.json"))) == 18


def test_spectrum_as_hist_histogram():
    """UHI histogram of a spectrum: same edges, values and variances; mplhep draws it."""
    import matplotlib

    matplotlib.use("Agg")
    import mplhep

    from leptoportal.production import default_edges, spectra

    proc = Process("e-", 100.0, "Pb", 0.5)
    sp = spectra(proc, {"x": default_edges(proc, "x", 10)}, n_events=20_000)[0]["x"]
    h = sp.to_hist()
    assert np.allclose(h.axes[0].edges, sp.edges)
    assert np.allclose(h.values(), sp.dsigma) and np.allclose(h.variances(), sp.dsigma_err ** 2)
    assert mplhep.histplot(h)
