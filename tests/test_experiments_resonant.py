"""Thick-target yields of the resonance on atomic electrons, presets and limits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

from leptoportal.constants import M_E, M_MU, PB_TO_CM2
from leptoportal.errors import InputError
from leptoportal.experiments import get_preset, make_config, signal_yield
from leptoportal.experiments.limits import limit_point
from leptoportal.experiments.resonant import (
    electron_density,
    electron_spreads,
    muon_window,
    positron_track_length,
    resonant_yield,
    shell_spreads,
)
from leptoportal.experiments.stopping import stopping_power_per_cm
from leptoportal.experiments.tracklength import depth_nodes
from leptoportal.model import CouplingMatrix, Couplings, DarkSector, ModelPoint
from leptoportal.production import get_material
from leptoportal.production.resonance import Resonance

PB_X0_CM = get_material("Pb").X0_cm


def test_electron_density_of_lead():
    # Z rho N_A / A = 82 * 11.35 * 6.022e23 / 207.2
    assert electron_density("Pb") == pytest.approx(82 * 11.35 * 6.02214076e23 / 207.2,
                                                   rel=1e-9)


def test_thin_target_is_n_e_L_sigma():
    """A target much thinner than the line width: N = n_e L sigma(E0)."""
    res = Resonance("mu+", 0.418, Couplings.chiral(1e-3), DarkSector.default(0.418))
    for e0 in (150.0, 160.0, 170.0):
        thickness = 1e-4
        expected = electron_density("Pb") * thickness * PB_X0_CM * res.sigma_pb(e0) * PB_TO_CM2
        assert resonant_yield(res, "Pb", e0, thickness, electron_motion="rest") == pytest.approx(
            expected, rel=1e-3)


def test_narrow_line_inside_the_window_is_the_analytic_formula():
    """N = n_e Int sigma dE / S(E_R) for a narrow line inside [E_exit, E0]."""
    res = Resonance("mu+", 0.4175, Couplings.chiral(1e-3))
    e_exit, e0 = muon_window("Pb", 160.0, 40 * PB_X0_CM)
    assert e_exit < res.resonance_energy < e0
    expected = (electron_density("Pb") * res.integrated_sigma_pb_gev() * PB_TO_CM2
                / stopping_power_per_cm("Pb", res.resonance_energy))
    assert resonant_yield(res, "Pb", 160.0, 40.0, electron_motion="rest") == pytest.approx(
        expected, rel=1e-4)
    # the 'rough estimate' of ~1e-5 per muon at h = 1e-3 on 40 X0 of lead
    assert 1e-5 < expected < 3e-5
    # a line outside the window contributes its Lorentzian tail only:
    # N / N_line ~ (Gamma_E / 2) / pi * Int_window dE / (E - E_R)^2
    off = Resonance("mu+", 0.41, Couplings.chiral(1e-3))
    full_off = (electron_density("Pb") * off.integrated_sigma_pb_gev() * PB_TO_CM2
                / stopping_power_per_cm("Pb", off.resonance_energy))
    d_lo, d_hi = e_exit - off.resonance_energy, e0 - off.resonance_energy
    tail = 0.5 * off.width_in_beam_energy() / math.pi * (1 / d_lo - 1 / d_hi)
    assert resonant_yield(off, "Pb", 160.0, 40.0, electron_motion="rest") == pytest.approx(
        full_off * tail, rel=0.05)


def test_beam_spread_gives_the_gaussian_probability():
    """Narrow line, Gaussian beam: N = N_window * P(E_R <= E0' <= E_up(E_R))."""
    res = Resonance("mu+", 0.41, Couplings.chiral(1e-3))
    length = 40 * PB_X0_CM
    full = (electron_density("Pb") * res.integrated_sigma_pb_gev() * PB_TO_CM2
            / stopping_power_per_cm("Pb", res.resonance_energy))
    e_r = res.resonance_energy
    # E_up: the entry energy that leaves E_R after the target (bisection on the window)
    lo, hi = e_r, e_r + 5.0
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if muon_window("Pb", mid, length)[0] < e_r else (lo, mid)
    for spread in (0.01, 0.03):
        sig = spread * 160.0
        prob = special.ndtr((lo - 160.0) / sig) - special.ndtr((e_r - 160.0) / sig)
        got = resonant_yield(res, "Pb", 160.0, 40.0, spread, electron_motion="rest")
        assert got == pytest.approx(full * prob, rel=2e-3)


def test_shell_spreads():
    pb = shell_spreads("Pb")
    assert sum(f for f, _ in pb) == pytest.approx(1.0)
    # K shell of lead: q_z,rms / m_e = sqrt(2 B / (3 m_e)) with B = 88.0 keV
    assert pb[0][1] == pytest.approx(math.sqrt(2 * 88.005 / (3 * 510.999)), rel=1e-4)
    mix = electron_spreads("Pb", "shells")
    assert sum(w for w, _ in mix) == pytest.approx(1.0)
    assert electron_spreads("Pb", "rest") == ((1.0, 0.0),)
    with pytest.raises(InputError, match="electron_motion"):
        electron_spreads("Pb", "moving")


def test_electron_motion_moves_the_yield_between_masses_but_keeps_its_integral():
    """The Doppler shift of the bound electrons smears the resonance over neighbouring masses
    (the peak drops by ~30% at a 3% beam spread in lead) while the yield integrated over
    E_R, i.e. over m_phi^2, is unchanged (to the accuracy of the Gaussian tails)."""
    e_r = np.linspace(60.0, 400.0, 341)
    masses = np.sqrt(M_MU ** 2 + M_E ** 2 + 2 * M_E * e_r)
    ys = {}
    for motion in ("rest", "shells"):
        ys[motion] = np.array([resonant_yield(Resonance("mu+", m, Couplings.chiral(1e-3)),
                                              "Pb", 160.0, 40.0, 0.03, "all", motion)
                               * 1.0 / Resonance("mu+", m, Couplings.chiral(1e-3))
                               .integrated_sigma_pb_gev() for m in masses])
    peak = np.argmin(np.abs(e_r - 159.5))
    assert 0.6 < ys["shells"][peak] / ys["rest"][peak] < 0.8
    assert np.trapezoid(ys["shells"], e_r) == pytest.approx(np.trapezoid(ys["rest"], e_r),
                                                           rel=0.03)


def test_positron_primary_track_length():
    """e+ e- -> phi far below E0: N = n_e X0 Int sigma dE T(E0, E_R), and T integrates to
    the depth integral of the regularised incomplete gamma function."""
    res = Resonance("e+", 0.017, CouplingMatrix.model("ee-scalar", 1e-4))
    mat = get_material("W")
    t_r = positron_track_length(100.0, np.array([res.resonance_energy]), 40.0)[0]
    expected = (electron_density("W") * mat.X0_cm * res.integrated_sigma_pb_gev() * PB_TO_CM2
                * t_r)
    assert resonant_yield(res, "W", 100.0, 40.0, electron_motion="rest") == pytest.approx(
        expected, rel=1e-4)
    # Int_{E1}^{E0} T dE = Int_0^T dt P(4t/3, ln(E0/E1)) (Tsai's spectrum is a Gamma law)
    e1, e2 = 10.0, 90.0
    e = np.geomspace(e1, e2, 20001)
    lhs = np.trapezoid(positron_track_length(100.0, e, 5.0), e)
    ts, wts = depth_nodes(5.0, 16)
    b = 4 * ts / 3
    rhs = float(np.sum(wts * (special.gammainc(b, math.log(100.0 / e1))
                              - special.gammainc(b, math.log(100.0 / e2)))))
    assert lhs == pytest.approx(rhs, rel=2e-3)


@pytest.mark.parametrize("motion", ["rest", "compton"])
def test_the_missing_energy_cut_counts_phi_above_it(motion):
    """A thick positron target annihilates the primary anywhere below E0, and phi takes the
    positron's energy: with e_min the line is counted above it. Far below the resonance
    energy E_R the cut changes nothing; at E_R it keeps half of a narrow line (the track
    length is smooth there); above the line, nothing is left."""
    res = Resonance("e+", 0.175, CouplingMatrix.model("ee-scalar", 1e-4))
    e_r = res.resonance_energy  # m^2 / (2 m_e) = 30 GeV
    full = resonant_yield(res, "W", 100.0, 40.0, electron_motion=motion)
    assert resonant_yield(res, "W", 100.0, 40.0, electron_motion=motion,
                          e_min=0.2 * e_r) == pytest.approx(full, rel=1e-3)
    half = resonant_yield(res, "W", 100.0, 40.0, electron_motion=motion, e_min=e_r)
    assert half / full == pytest.approx(0.5, abs=0.01)
    assert resonant_yield(res, "W", 100.0, 40.0, electron_motion=motion,
                          e_min=3.0 * e_r) < 1e-3 * full


def _point(m_phi, h=1.0):
    return ModelPoint(m_phi, Couplings.chiral(1.0), h, DarkSector.default(m_phi))


def test_preset_yield_adds_both_channels_and_polarisation():
    cfg = get_preset("na64mu-plus")
    point = _point(0.4175, 1e-5)
    y = signal_yield(cfg, point)
    assert y.events_by_channel["resonant"] > 100 * y.events_by_channel["conversion"] > 0
    assert y.n_signal == pytest.approx(sum(y.events_by_channel.values()))
    # resonant part: invisible final state of the exact line times the efficiency
    res = Resonance("mu+", 0.4175, point.couplings, DarkSector.default(0.4175))
    direct = resonant_yield(res, "Pb", 160.0, 40.0, 0.03, "invisible") * cfg.eot * 0.5
    assert y.events_by_channel["resonant"] == pytest.approx(direct, rel=1e-12)
    # right-handed mu+ double the resonant rate of the chiral coupling, left-handed kill it
    right = signal_yield(make_config(cfg.model_dump(), polarisation=1.0), point)
    left = signal_yield(make_config(cfg.model_dump(), polarisation=-1.0), point)
    assert right.events_by_channel["resonant"] == pytest.approx(
        2 * y.events_by_channel["resonant"], rel=1e-5)
    assert left.events_by_channel["resonant"] < 1e-5 * y.events_by_channel["resonant"]


def test_limit_solves_n_of_h_and_includes_the_resonance():
    cfg = get_preset("na64mu-plus")
    plain = get_preset("na64mu")
    for m in (0.40, 0.41, 0.4175):
        pt = limit_point(cfg, _point(m), 2.3)
        assert pt.events_by_channel["resonant"] > pt.events_by_channel["conversion"]
        y = signal_yield(cfg, _point(m, pt.h_limit))
        assert y.n_signal == pytest.approx(2.3, rel=1e-4)
        assert pt.h_limit < 0.2 * limit_point(plain, _point(m), 2.3).h_limit


def test_energy_scan_sums_runs():
    cfg = get_preset("na64mu-plus-scan")
    assert cfg.total_eot == pytest.approx(sum(n for _, n in cfg.energy_scan))
    point = _point(0.3, 1e-4)
    y = signal_yield(cfg, point)
    res = Resonance("mu+", 0.3, point.couplings, DarkSector.default(0.3))
    direct = sum(n * resonant_yield(res, "Pb", e, 40.0, 0.03, "invisible")
                 for e, n in cfg.beam_points()) * 0.5
    assert y.n_signal == pytest.approx(direct, rel=1e-12)
    assert y.eot == cfg.total_eot


@pytest.mark.parametrize("fields,msg", [
    ({"beam": "mu-", "production": ["resonant"]}, "needs a e\\+ or mu\\+ beam"),
    ({"polarisation": 0.5}, "resonant channel only"),
    ({"beam_energy_spread": 0.02}, "resonant channel only"),
    ({"production": ["resonant"], "beam": "mu+", "polarisation": 2.0}, "polarisation"),
    ({"energy_scan": [[160.0, -1.0]]}, "each point"),
    ({"energy_scan": []}, "energy_scan"),
    ({"production": []}, "production"),
])
def test_bad_resonant_configs(fields, msg):
    base = get_preset("na64mu").model_dump()
    with pytest.raises(InputError, match=msg):
        make_config(base, **fields)


def test_cli_limit_and_yield(run_json, run_cli):
    d = run_json("limit", "--experiment", "na64mu-plus", "--m-phi", "0.40,0.41,0.4175")
    assert [p["m_phi"] for p in d["points"]] == [0.40, 0.41, 0.4175]
    assert all(p["events_by_channel"]["resonant"] > 0 and p["h_limit"] < 1e-4 for p in d["points"])
    d = run_json("yield", "--experiment", "na64mu-plus", "--m-phi", "0.4175", "--h", "1e-5",
                 "--beam-energy-spread", "0", "--energy-scan", "159:1e9,160:1e9")
    assert d["eot"] == 2e9 and d["events_by_channel"]["resonant"] > 0
    code, out, err = run_cli("yield", "--experiment", "na64mu-plus", "--m-phi", "0.4",
                             "--h", "1e-5", "--energy-scan", "160")
    assert code == 2 and "E:N" in err
    code, out, err = run_cli("yield", "--experiment", "na64mu", "--m-phi", "0.4",
                             "--h", "1e-5", "--polarisation", "0.5")
    assert code == 2 and "resonant channel only" in err


# ------------------------------------------------------------------------------------------
# bound electrons from Compton profiles
# ------------------------------------------------------------------------------------------


def _narrow(m: float):
    from leptoportal.model import Couplings
    from leptoportal.production.resonance import Resonance

    return Resonance("mu+", m, Couplings.chiral(1e-3), None)


@pytest.mark.parametrize("m", [0.40, 0.4175, 0.43])
def test_compton_yield_against_a_direct_impulse_approximation(m):
    """The convolution on a grid (compton_kernel) against a second route: the narrow line
    integrated analytically and the momentum along the beam by adaptive quadrature of
    xraylib's Compton profiles, shell by shell: N = n_e Sum_s (n_s/Z) (m_e/E_e)
    Int dp J_s(p) / S(E_R/k) over the p for which E_R/k lies in the muon's window."""
    xraylib = pytest.importorskip("xraylib")
    from scipy import integrate

    from leptoportal.constants import M_E, PB_TO_CM2
    from leptoportal.experiments import resonant
    from leptoportal.experiments.stopping import stopping_power_per_cm

    res = _narrow(m)
    e0, x0 = 160.0, 40.0
    length = x0 * 0.5612  # cm of lead
    e_exit, _ = resonant.muon_window("Pb", e0, length)
    e_r = res.resonance_energy
    line = res.integrated_sigma_exact_pb_gev()
    total = 0.0
    au = resonant.AU_MOMENTUM_GEV
    for name in ("K", "L1", "L2", "L3", "M1", "M2", "M3", "M4", "M5", "N1", "N2", "N3", "N4",
                 "N5", "N6", "N7", "O1", "O2", "O3", "O4", "O5", "P1", "P2", "P3"):
        shell = getattr(xraylib, f"{name}_SHELL")
        n = xraylib.ElectronConfig(82, shell)
        e_e = M_E - 1e-6 * xraylib.EdgeEnergy(82, shell)
        lo, hi = (e_e - M_E * e_r / e_exit) / au, (e_e - M_E * e_r / e0) / au

        def f(p, e_e=e_e, shell=shell):
            k = (e_e - p * au) / M_E
            return (xraylib.ComptonProfile_Partial(82, shell, min(abs(p), 100.0))
                    / float(stopping_power_per_cm("Pb", e_r / k)))

        lo, hi = max(lo, -100.0), min(hi, 100.0)
        if lo < hi:
            total += n / 82 * M_E / e_e * integrate.quad(f, lo, hi, limit=200)[0]
    direct = resonant.electron_density("Pb") * PB_TO_CM2 * line * total
    ours = resonant.resonant_yield(res, "Pb", e0, x0, 0.0, "all", "compton")
    assert ours == pytest.approx(direct, rel=0.01)


def test_compton_line_keeps_the_mass_integral_and_shifts_with_the_binding():
    """Integrated over m_phi^2 at a fixed beam energy, the Compton-profile yield without
    binding equals the at-rest one within 0.2% (the electrons' count: the profiles continued
    beyond the tables' 100 a.u., 0.15% of lead's electrons left at k < K_MIN), and with the
    binding energies within 2%. The binding lowers the electrons' mean k = (E_e - p_z)/m_e
    by the mean binding energy over m_e (weighted as they resonate, m_e/E_e each; exact in
    the kernel), and so the line's centroid in m^2 - m_mu^2 - m_e^2 (to 25%: the line's own
    strength varies with s across the broad K and L contributions)."""
    from leptoportal.constants import M_E
    from leptoportal.experiments import resonant

    # the at-rest line is a box between the masses of the exit and beam energies
    # (0.41662 and 0.41795 GeV): its edges need a fine grid for the trapezoid to hold to 0.05%
    ms = np.unique(np.concatenate([np.geomspace(0.15, 1.2, 1500),
                                   np.linspace(0.410, 0.425, 800),
                                   np.linspace(0.4163, 0.4170, 500),
                                   np.linspace(0.4176, 0.4183, 500)]))
    ys = {key: [] for key in ("rest", "free", "bound")}
    for m in ms:
        res = _narrow(m)
        ys["rest"].append(resonant.resonant_yield(res, "Pb", 160.0, 40.0, 0.0, "all", "rest"))
        ys["free"].append(resonant.resonant_yield(res, "Pb", 160.0, 40.0, 0.0, "all",
                                                  "compton", binding=False))
        ys["bound"].append(resonant.resonant_yield(res, "Pb", 160.0, 40.0, 0.0, "all",
                                                   "compton"))
    integral = {k: np.trapezoid(v, ms**2) for k, v in ys.items()}
    centroid = {k: np.trapezoid(np.array(v) * ms**2, ms**2) / integral[k]
                for k, v in ys.items()}
    assert integral["free"] / integral["rest"] == pytest.approx(1.0, abs=0.002)
    assert integral["bound"] / integral["rest"] == pytest.approx(1.0, abs=0.02)
    ln_k, w = resonant.compton_kernel("Pb", False)
    assert w.sum() == pytest.approx(1.0, abs=0.002)  # the kernel counts lead's electrons
    shells = resonant.compton_shells("Pb")
    # each shell's weight: its electrons within the kernel's |p_z| <= E_e - K_MIN m_e
    weights = np.array([n * 2 * np.interp(M_E - b - resonant.K_MIN * M_E, p, cum)
                        * M_E / (M_E - b) for n, b, p, cum in shells])
    mean_b = np.sum(weights * np.array([b for _, b, _, _ in shells])) / weights.sum()
    mean_k = {}
    for binding in (False, True):
        ln_k, w = resonant.compton_kernel("Pb", binding)
        mean_k[binding] = np.sum(w * np.exp(ln_k)) / w.sum()
    assert mean_k[False] == pytest.approx(1.0, abs=1e-6)
    assert mean_k[True] - 1.0 == pytest.approx(-mean_b / M_E, rel=1e-3)
    from leptoportal.constants import M_MU

    offset = M_MU**2 + M_E**2
    shift = (centroid["bound"] - offset) / (centroid["free"] - offset) - 1.0
    assert shift == pytest.approx(-mean_b / M_E, rel=0.25)


def test_the_compton_line_has_the_profiles_far_tails():
    """Far from the peak the line is the profiles' large-p_z tail: at 0.55 GeV (the mu+ of
    160 GeV on 40 X0 of lead) at least 1e-5 of the peak (the tables cut at 100 a.u. gave
    7e-11)."""
    from leptoportal.experiments import resonant

    def line(m):
        return resonant.resonant_yield(_narrow(m), "Pb", 160.0, 40.0, 0.0, "all", "compton")

    peak = max(line(m) for m in np.linspace(0.405, 0.43, 26))
    assert line(0.55) >= 1e-5 * peak


def test_compton_peak_is_lower_and_tails_higher_than_the_gaussian_shells():
    """At the peak of a 160 GeV mu+ on 40 X0 of lead (monochromatic) the Compton profiles
    keep ~12% of the at-rest yield where the Gaussian shells keep ~18%; 1.5-2.5 line widths
    away the Gaussian tails are 25-30% lower."""
    from leptoportal.experiments import resonant

    def ratio(m, a, b):
        res = _narrow(m)
        return (resonant.resonant_yield(res, "Pb", 160.0, 40.0, 0.0, "all", a)
                / resonant.resonant_yield(res, "Pb", 160.0, 40.0, 0.0, "all", b))

    assert 0.10 < ratio(0.4175, "compton", "rest") < 0.13
    assert 0.16 < ratio(0.4175, "shells", "rest") < 0.20
    for m in (0.40, 0.43):
        assert 0.65 < ratio(m, "shells", "compton") < 0.78


def test_packaged_compton_profiles_are_xraylibs():
    xraylib = pytest.importorskip("xraylib")
    import csv
    from importlib import resources

    text = resources.files("leptoportal").joinpath("data/compton_profiles.csv").read_text()
    rows = list(csv.DictReader(ln for ln in text.splitlines() if not ln.startswith("#")))
    z = {"H": 1, "C": 6, "O": 8, "Al": 13, "Si": 14, "Fe": 26, "Cu": 29, "W": 74, "Pb": 82}
    assert {r["element"] for r in rows} == set(z)
    for r in rows[::7]:
        shell = getattr(xraylib, f"{r['shell']}_SHELL")
        assert float(r["binding_eV"]) == pytest.approx(
            1e3 * xraylib.EdgeEnergy(z[r["element"]], shell), rel=1e-5)
        for key in ("J_0", "J_1.03161", "J_8.01694"):
            if key in r:
                p = float(key[2:])
                assert float(r[key]) == pytest.approx(
                    xraylib.ComptonProfile_Partial(z[r["element"]], shell, p), rel=1e-5)


def test_positron_beam_preset_counts_the_resonance_above_the_cut():
    """na64e-plus-2022 (100 GeV e+, E_ECAL < 50 GeV): the primary positron resonates where
    m_phi^2 / (2 m_e) lies between 50 and 100 GeV (0.226-0.320 GeV): there the resonance
    dominates; at 0.2 GeV (E_R = 39 GeV, below the cut) only the line's tail above 50 GeV
    counts, more than ten times less per h^2."""
    cfg = get_preset("na64e-plus-2022")
    matrix = CouplingMatrix.model("ee-scalar")

    def events(m_phi: float) -> dict:
        point = ModelPoint(m_phi, matrix, 1e-4, DarkSector.default(m_phi))
        return signal_yield(cfg, point).events_by_channel

    inside, below = events(0.3), events(0.2)
    assert inside["resonant"] > 100 * inside["conversion"]
    assert inside["resonant"] > 10 * below["resonant"]
