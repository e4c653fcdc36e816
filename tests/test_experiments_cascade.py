"""The shower Monte Carlo: Rossi's Approximation A, energy conservation, honest errors; the
resonant e+ e- -> phi of shower positrons in an electron-beam set-up."""

import numpy as np
import pytest

from leptoportal.experiments import cascade


def _between(table, density, lo, hi):
    return table._above(density, lo).sum() - table._above(density, hi).sum()


def test_track_lengths_follow_approximation_a():
    """Without ionisation the e+- track length between 0.01 and 0.1 E0 is Rossi's
    Approximation A, 0.437 E0/E^2 X0 per GeV (integrated: 0.437 E0 (1/E1 - 1/E2)), to 5%;
    positrons are half of it well below E0."""
    t = cascade.shower_track_lengths("Pb", 100.0, 1000.0, n_showers=5000, e_min=0.5,
                                     ionisation=False, seed=3)
    for lo, hi in ((1.0, 10.0), (1.0, 3.0), (3.0, 10.0)):
        ours = _between(t, t.positron + t.electron, lo, hi)
        assert ours == pytest.approx(0.437 * 100.0 * (1 / lo - 1 / hi), rel=0.05)
    pos = _between(t, t.positron, 1.0, 2.0) / _between(t, t.positron + t.electron, 1.0, 2.0)
    assert pos == pytest.approx(0.5, abs=0.03)


def test_energy_is_conserved_shower_by_shower():
    t = cascade.shower_track_lengths("W", 50.0, 30.0, n_showers=500, e_min=0.05, seed=2)
    assert np.max(np.abs(t.energy_balance - 1.0)) < 1e-9


def test_errors_are_honest_and_seeds_independent():
    """T+ above 50 GeV (100 GeV e- on 40 X0 of lead) from two seeds agrees within the
    errors; the error of 10 batches is the spread of independent runs."""
    runs = [cascade.shower_track_lengths("Pb", 100.0, 40.0, n_showers=20_000, e_min=50.0,
                                         seed=s) for s in (1, 2, 3, 4, 5, 6)]
    values = np.array([r.positron_above(50.0) for r in runs])
    errors = np.array([r.positron_above_err(50.0) for r in runs])
    assert 0.02 < values.mean() < 0.08
    assert np.std(values, ddof=1) == pytest.approx(errors.mean(), rel=0.6)


def test_the_table_is_cached_and_refused_where_it_means_nothing(tmp_path, monkeypatch):
    from leptoportal.experiments import get_preset, make_config

    monkeypatch.setenv("LEPTOPORTAL_CACHE", str(tmp_path))
    a = cascade.positron_track_lengths("Pb", 100.0, 40.0, 50.0, n_showers=2000)
    b = cascade.positron_track_lengths("Pb", 100.0, 40.0, 50.0, n_showers=2000)
    assert np.array_equal(a.positron, b.positron)
    assert len(list((tmp_path / "showers").glob("*.json"))) == 1
    with pytest.raises(ValueError, match="the shower-positrons channel needs a e- beam on a "
                       "thick target"):
        make_config(get_preset("na64mu").model_dump(),
                    production=["conversion", "shower-positrons"])


def test_shower_positrons_strengthen_the_electron_philic_limit(run_json):
    """At m = 0.27 GeV (sqrt(2 m_e E+) with E+ ~ 71 GeV) the positrons of the showers
    dominate the NA64e electron-philic yield; far below (0.1 GeV) they add nothing."""
    args = ["limit", "--experiment", "na64e-2016-2022-ee", "--m-phi", "0.1,0.27",
            "--precision", "0.02"]
    with_showers = run_json(*args)["points"]
    without = run_json(*args, "--production", "conversion")["points"]
    assert with_showers[1]["h_limit"] < 0.5 * without[1]["h_limit"]
    by_channel = with_showers[1]["events_by_channel"]
    assert by_channel["shower-positrons"] > 5 * by_channel["conversion"]
    assert with_showers[0]["h_limit"] == pytest.approx(without[0]["h_limit"], rel=0.01)
    # the e-mu portal has no e-e coupling: the channel is silent, the numbers unchanged
    emu = run_json("limit", "--experiment", "na64e-2016-2022", "--m-phi", "0.27",
                   "--precision", "0.02")["points"][0]
    assert "events_by_channel" not in emu
