"""Muon energy loss: Bethe ionisation against the tabulation and the PDG minimum ionisation."""

from __future__ import annotations

import numpy as np
import pytest

from leptoportal.constants import M_MU
from leptoportal.errors import InputError
from leptoportal.experiments import stopping
from leptoportal.experiments.resonant import muon_window
from leptoportal.production import get_material

ELEMENTS = ("Pb", "W", "Fe", "Cu", "C")


def _table_at(tab, column: np.ndarray, energy: float) -> float:
    """Tabulated column at total energy ``energy`` (linear in ln T between rows)."""
    return float(np.interp(np.log(energy - M_MU), np.log(tab.t_gev), column))


@pytest.mark.parametrize("element", ELEMENTS)
@pytest.mark.parametrize("energy", [10.0, 100.0, 160.0])
def test_ionisation_and_total_against_the_table(element, energy):
    """The computed a(E) (Bethe + density effect + spin and radiative corrections) against the
    tabulated ionisation column, and the total a + bE, within 2% (agreement is ~3e-4)."""
    tab = stopping.stopping_tables()[element]
    a_ref = _table_at(tab, tab.ionisation_ref, energy)
    a = stopping.ionisation_loss(element, energy)
    assert a == pytest.approx(a_ref, rel=0.02)
    assert a == pytest.approx(a_ref, rel=2e-3)  # what it actually reaches
    total_ref = a_ref + _table_at(tab, tab.radiative, energy)
    assert stopping.stopping_power(element, energy) == pytest.approx(total_ref, rel=0.02)


# PDG Atomic and Nuclear Properties, "Minimum ionization" (MeV cm^2/g)
PDG_MIN_IONISATION = {"Pb": 1.122, "W": 1.145, "Fe": 1.451, "Cu": 1.403, "C": 1.742}


@pytest.mark.parametrize("element", ELEMENTS)
def test_minimum_ionisation_against_pdg(element):
    e = M_MU * np.sqrt(1.0 + np.geomspace(1.0, 100.0, 2000) ** 2)  # beta gamma 1..100
    a_min = np.min(stopping.ionisation_loss(element, e)) * 1e3
    assert a_min == pytest.approx(PDG_MIN_IONISATION[element], rel=0.01)


def test_radiative_part_grows_and_critical_energy_of_lead():
    """b(E) E rises ~linearly; in lead it equals the ionisation at ~130-140 GeV (the PDG's
    muon critical energy of lead is 141 GeV)."""
    e = np.geomspace(20.0, 900.0, 400)
    rad = stopping.radiative_loss("Pb", e)
    assert np.all(np.diff(rad) > 0)
    ion = stopping.ionisation_loss("Pb", e)
    crossing = e[np.argmax(rad > ion)]
    assert 120.0 < crossing < 150.0


def test_mixture_is_the_mass_fraction_average():
    from leptoportal.production import Material, get_target

    mix = Material.by_mass("pbfe", {"Pb": 0.25, "Fe": 0.75}, 9.0)
    expected = 9.0 * (0.25 * stopping.stopping_power("Pb", 100.0)
                      + 0.75 * stopping.stopping_power("Fe", 100.0))
    assert stopping.stopping_power_per_cm(mix, 100.0) == pytest.approx(expected, rel=1e-12)
    pb = get_target("Pb")
    assert stopping.stopping_power_per_cm("Pb", 100.0) == pytest.approx(
        pb.density_g_cm3 * stopping.stopping_power("Pb", 100.0))


def test_range_table_and_runge_kutta_agree():
    """Two routes to the energy after 40 X0 of Pb: inverse CSDA range vs RK4 in x."""
    length = 40.0 * get_material("Pb").X0_cm
    e_exit, _ = muon_window("Pb", 160.0, length)
    assert stopping.energy_after("Pb", 160.0, length) == pytest.approx(e_exit, rel=1e-5)
    assert 158.5 < e_exit < 159.5  # ~1.1 GeV lost in 22.4 cm of lead


def test_out_of_table_and_unknown_elements():
    with pytest.raises(InputError, match="no muon energy-loss table"):
        stopping.stopping_power("Si", 100.0)
    with pytest.raises(InputError, match="outside the energy-loss table"):
        stopping.radiative_loss("Pb", 5000.0)
    with pytest.raises(InputError, match="stops"):
        stopping.energy_after("Pb", 2.0, 1000.0)
