"""Yields: Tsai track length, thin limit of the thick formula, scaling, Br_inv, limits."""

import math

import numpy as np
import pytest
from scipy import integrate

from leptoportal import Couplings, DarkSector, InputError, ModelPoint
from leptoportal import experiments as ex
from leptoportal.numerics import Numerics


def _point(m_phi, h=1.0, dark=None, br_invisible=None):
    """A chiral e-mu point with the benchmark dark sector unless ``dark`` is given."""
    dark = DarkSector.default(m_phi) if dark is None else dark
    return ModelPoint(m_phi, Couplings.chiral(1.0), h, dark, br_invisible)


def test_tsai_density_normalisation_and_mean_energy():
    """Int dE I_e = 1 per X0 (primary electron number conserved) and
    Int dE E I_e = E0 2^(-4t/3) (closed forms of Tsai's approximation)."""
    e0 = 100.0
    for t in (0.3, 1.0, 5.0):
        b = 4 * t / 3

        def f(y, k, t=t):  # in y = ln(E0/E): dE = E dy
            e = e0 * math.exp(-y)
            return ex.tsai_track_length_density(e0, np.array([e]), t)[0] * e * e**k

        norm = integrate.quad(lambda y: f(y, 0), 0, 60, limit=200)[0]
        mean = integrate.quad(lambda y: f(y, 1), 0, 60, limit=200)[0]
        assert norm == pytest.approx(1.0, rel=1e-6)
        assert mean == pytest.approx(e0 * 2 ** (-b), rel=1e-6)


def test_track_length_weights_closed_forms():
    """Weights integrate sigma = 1 to the track length above E_min, Int_0^T P(4t/3, Y) dt,
    and sigma linear in y exactly."""
    from scipy import special

    e0, e_min, thick = 100.0, 50.0, 40.0
    energies = np.geomspace(e0, e_min, 9)
    w = ex.track_length_weights(e0, energies, thick)
    y_max = math.log(e0 / e_min)
    expected = integrate.quad(lambda t: special.gammainc(4 * t / 3, y_max), 0, thick,
                              limit=200, points=[0.05, 1, 3])[0]
    assert w.sum() == pytest.approx(expected, rel=1e-6)
    # a linear function of y: Int_0^T dt Int_0^Y y dP = Int b P(b+1, Y) dt
    y = np.log(e0 / energies)
    lin = integrate.quad(lambda t: 4 * t / 3 * special.gammainc(4 * t / 3 + 1, y_max), 0, thick,
                         limit=200, points=[0.05, 1, 3])[0]
    assert np.sum(w * y) == pytest.approx(lin, rel=1e-6)
    # thin-target limit: all the track length at E0
    thin = ex.track_length_weights(e0, energies, 0.01)
    assert thin[0] / thin.sum() > 0.97
    thin_expected = integrate.quad(lambda t: special.gammainc(4 * t / 3, y_max), 0, 0.01)[0]
    assert thin.sum() == pytest.approx(thin_expected, rel=1e-6)
    assert thin.sum() == pytest.approx(0.01, rel=0.005)


def test_thin_limit_of_thick_formula():
    base = ex.get_preset("na64e-2016-2018")
    thick = ex.make_config(base.model_dump(), thickness_x0=0.005, mode="thick")
    # a thin target converts at E0 (no conversion threshold there)
    thin = ex.make_config(base.model_dump(), thickness_x0=0.005, mode="thin", e_conv_min=0.0)
    a = ex.yield_per_eot_unit(thick, 0.4)[0]
    b = ex.yield_per_eot_unit(thin, 0.4)[0]
    # over 0.005 X0 the primary loses ~0.5% of its track above E_conv: O(T) difference
    assert a / b == pytest.approx(1.0, abs=0.015)


def test_yield_scales_with_h2_and_eot():
    cfg = ex.get_preset("na64e-2016-2018")
    y1 = ex.signal_yield(cfg, _point(0.5, 1e-3, br_invisible=1.0))
    y2 = ex.signal_yield(cfg, _point(0.5, 3e-3, br_invisible=1.0))
    assert y2.n_signal / y1.n_signal == pytest.approx(9.0, rel=1e-12)
    cfg2 = ex.make_config(cfg.model_dump(), eot=2 * cfg.eot)
    y3 = ex.signal_yield(cfg2, _point(0.5, 1e-3, br_invisible=1.0))
    assert y3.n_signal / y1.n_signal == pytest.approx(2.0, rel=1e-12)
    assert y1.per_eot == pytest.approx(y1.n_signal / cfg.eot)


def test_br_invisible_from_dark_sector():
    cfg = ex.get_preset("na64e-2016-2018")
    tiny_dark = DarkSector.benchmark(0.5, g_dark=1e-3)  # Gamma_dark << Gamma_mu_e
    strong = ex.signal_yield(cfg, _point(0.5, 1e-2))
    weak = ex.signal_yield(cfg, _point(0.5, 1e-2, tiny_dark))
    assert strong.br_invisible > 0.99
    assert weak.br_invisible < 0.05
    assert weak.n_signal / strong.n_signal == pytest.approx(
        weak.br_invisible / strong.br_invisible, rel=1e-12)


def test_limit_includes_br_invisible_and_is_monotone_in_eot():
    cfg = ex.get_preset("na64e-upgrade")
    masses = [0.3, 0.8]
    more_cfg = ex.make_config(cfg.model_dump(), eot=10 * cfg.eot)
    base = [ex.limit_point(cfg, _point(m), 2.3) for m in masses]
    more = [ex.limit_point(more_cfg, _point(m), 2.3) for m in masses]
    for a, b in zip(base, more, strict=True):
        assert b.h_limit < a.h_limit
        assert b.h_limit == pytest.approx(a.h_limit / math.sqrt(10), rel=0.01)
    # the limit is where the yield equals n_up, with Br_inv(h) included
    y = ex.signal_yield(cfg, _point(0.3, base[0].h_limit))
    assert y.n_signal == pytest.approx(base[0].n_up, rel=1e-6)
    # the MC error of the yield is propagated: dh/h = dN/(2N) < 1% at 1% table precision
    assert 0 < base[0].h_limit_err < 0.01 * base[0].h_limit
    # a weakly coupled dark sector cannot be excluded at any h
    cap = ex.limit_point(cfg, _point(0.3, dark=DarkSector.benchmark(0.3, g_dark=1e-6)), 2.3)
    assert cap.h_limit == math.inf


def test_not_prompt_decay_warns():
    cfg = ex.get_preset("na64e-2016-2018")
    tiny = DarkSector.benchmark(0.3, g_dark=1e-9)
    with pytest.warns(UserWarning, match="not prompt"):
        y = ex.signal_yield(cfg, _point(0.3, 1e-9, tiny))
    assert y.prompt_decay is False


def test_muon_beam_and_selection_cuts():
    mu = ex.get_preset("na64mu")
    assert mu.cuts() == {"e_phi": [80.0, None]}
    y = ex.yield_per_eot_unit(mu, 0.3)[0]
    loose = ex.yield_per_eot_unit(ex.make_config(mu.model_dump(), e_phi_min=0.0), 0.3)[0]
    assert 0 < y < loose


def test_presets_and_overrides(tmp_path):
    assert set(ex.preset_names()) == {"na64e-2016-2018", "na64e-2016-2022", "na64e-upgrade",
                                      "na64e-ponten2024", "na64mu", "ldmx", "na64mu-2022-mumu",
                                      "m3-phase1", "m3-phase2", "na64e-2016-2022-ee",
                                      "na64mu-plus", "na64mu-plus-scan", "na64e-run4",
                                      "na64mu-run4", "na64e-plus-2022"}
    # NA64 with 100 GeV positrons (arXiv:2308.15612): 1.01e10 e+, no event; the resonance
    # e+ e- -> phi with the primary positron beside e+ N -> e+ N phi
    plus = ex.get_preset("na64e-plus-2022")
    assert (plus.beam, plus.energy, plus.eot, plus.n_obs) == ("e+", 100.0, 1.01e10, 0)
    assert plus.production == ["conversion", "resonant"] and not plus.projection
    p = ex.get_preset("na64e-2016-2018")
    assert (p.energy, p.eot, p.e_conv_min) == (100.0, 2.84e11, 50.0)
    assert ex.get_preset("na64e-2016-2022").eot == 9.37e11
    # the Run-4 projections (arXiv:2505.14291): 1e13 EOT and 2e13 MOT, background free; a
    # projection's limit is the run's sensitivity (h ~ EOT^-1/2 against the measured run)
    run4 = {n: ex.get_preset(n) for n in ("na64e-run4", "na64mu-run4")}
    assert (run4["na64e-run4"].eot, run4["na64mu-run4"].eot) == (1e13, 2e13)
    assert all(c.projection and c.background == 0 for c in run4.values())
    for old, new in (("na64e-upgrade", "na64e-run4"), ("na64mu", "na64mu-run4")):
        same = {k: v for k, v in ex.get_preset(old).model_dump().items()
                if k not in ("name", "description", "label", "eot", "projection", "sources",
                             "assumptions")}
        assert same == {k: v for k, v in run4[new].model_dump().items() if k in same}
    for name in ex.preset_names():
        assert ex.get_preset(name).sources
    f = tmp_path / "c.yaml"
    f.write_text("experiment: na64e-upgrade\neot: 1.0e13\n")
    assert ex.load_config(f).eot == 1e13
    with pytest.raises(InputError, match="eot"):
        ex.get_preset("ldmx", eot=-1)
    with pytest.raises(InputError, match="not one of"):
        ex.get_preset("na62")
    bad = tmp_path / "bad.yaml"
    bad.write_text("experiment: ldmx\nfoo: 1\n")
    with pytest.raises(InputError, match="foo"):
        ex.load_config(bad)


# ------------------------------------------------------------------------------------------
# production channels: registered once, listed by the set-up
# ------------------------------------------------------------------------------------------


def test_every_registered_channel_has_its_implementation():
    """Each ChannelSpec names an implementation of that name, and a channel of the set-up
    is found through the registry alone."""
    from leptoportal.experiments.channels import ProductionChannel, implementation
    from leptoportal.experiments.presets import CHANNELS

    for name in CHANNELS:
        channel = implementation(name)
        assert isinstance(channel, ProductionChannel)
        assert channel.name == name


def test_a_channel_refuses_a_set_up_it_cannot_have():
    with pytest.raises(ValueError, match="the resonant channel needs a e\\+ or mu\\+ beam"):
        ex.make_config(ex.get_preset("na64mu").model_dump(),
                       production=["conversion", "resonant"])
    with pytest.raises(ValueError, match="polarisation applies to the resonant channel only"):
        ex.make_config(ex.get_preset("na64mu").model_dump(), polarisation=0.5)
    with pytest.raises(ValueError, match="production lists distinct channels"):
        ex.make_config(ex.get_preset("na64mu").model_dump(), production=["dark-photon"])


def test_the_old_channel_booleans_of_a_users_file_are_read_with_a_warning():
    """``resonant: true`` in a file written before set-ups listed their channels reads as
    the preset's list plus that channel, and says what to write instead."""
    with pytest.warns(FutureWarning, match=r"production: \[conversion, resonant\]"):
        cfg = ex.resolve_config(config={"experiment": "na64mu-plus", "conversion": True,
                                        "resonant": True})
    assert cfg.production == ["conversion", "resonant"]
    with pytest.warns(FutureWarning):
        scan = ex.resolve_config(config={"experiment": "na64mu-plus", "conversion": False})
    assert scan.production == ["resonant"]


def test_a_yield_is_the_sum_of_its_channels():
    """The yield of a set-up with two channels is the sum of the one-channel set-ups'
    (conversion scaled as h^2 Br_inv, the annihilation computed at the point)."""
    from leptoportal.model import DarkSector, ModelPoint

    both = ex.get_preset("na64mu-plus")
    point = ModelPoint(0.418, h=1e-3, dark=DarkSector.default(0.418))
    numerics = Numerics(precision=0.05)
    total = ex.signal_yield(both, point, numerics)
    # the beam's energy spread applies to the annihilation only (the conversion is computed
    # at E0 either way)
    alone = {"conversion": {"beam_energy_spread": 0.0}, "resonant": {}}
    parts = [ex.signal_yield(ex.make_config(both.model_dump(), production=[c], **alone[c]),
                             point, numerics).n_signal for c in both.production]
    assert total.n_signal == pytest.approx(sum(parts), rel=1e-12)
    assert total.events_by_channel["conversion"] == pytest.approx(parts[0], rel=1e-12)
    assert total.events_by_channel["resonant"] == pytest.approx(parts[1], rel=1e-12)
