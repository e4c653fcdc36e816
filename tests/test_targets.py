"""Targets: elements, compounds and sampling calorimeters; yields on composite targets."""

import pytest

from leptoportal import InputError
from leptoportal import experiments as ex
from leptoportal.constants import N_A
from leptoportal.numerics import Numerics
from leptoportal.production.targets import Material, get_material, get_target


def test_compound_radiation_lengths_match_pdg():
    """1/X0 = sum w_k/X0_k reproduces the PDG values (Atomic and Nuclear Properties)."""
    assert get_material("polystyrene").X0_g_cm2 == pytest.approx(43.79, abs=0.01)
    pbwo4 = get_material("PbWO4")
    assert pbwo4.X0_g_cm2 == pytest.approx(7.39, abs=0.01)
    assert pbwo4.X0_cm == pytest.approx(0.8903, abs=0.002)
    w = dict((t.name, f) for t, f in pbwo4.components)
    assert w["Pb"] == pytest.approx(207.2 / 455.03, rel=1e-3)


def test_layers_mass_fractions_and_density():
    m = Material.by_layers("x", [("Pb", 0.15), ("polystyrene", 0.15)])
    mass_pb, mass_sc = 11.35 * 0.15, 1.06 * 0.15
    frac = dict((t.name, f) for t, f in m.components)
    assert frac["Pb"] == pytest.approx(mass_pb / (mass_pb + mass_sc), rel=1e-12)
    assert sum(frac.values()) == pytest.approx(1.0, rel=1e-14)
    assert m.density_g_cm3 == pytest.approx((mass_pb + mass_sc) / 0.3, rel=1e-12)
    assert get_material("na64-ecal").components == m.components
    # an element is a material with one component and its own X0
    pb = get_material("Pb")
    assert pb.X0_g_cm2 == get_target("Pb").X0_g_cm2
    assert pb.atoms_per_cm2_per_x0()[0][1] == N_A * 6.37 / 207.2


@pytest.mark.parametrize("spec,needle", [
    ({"formula": {"Pb": 1}}, "density"), ({"layers": []}, "no layers"),
    ({"formula": {"Xx": 1}, "density": 1.0}, "Xx"), ({"mass": {"Pb": -1}, "density": 1},
                                                     "mass fraction"),
    ({"formula": {"Pb": 1}, "layers": [["Pb", 1]], "density": 1}, "exactly one"),
])
def test_bad_material_specs(spec, needle):
    with pytest.raises(InputError, match=needle):
        get_material(spec)


def test_thin_compound_yield_is_the_sum_over_its_elements():
    base = {"beam": "e-", "energy": 8.0, "thickness_x0": 0.1, "mode": "thin", "eot": 1e14}
    comp = ex.make_config({**base, "target": "PbWO4"})
    y = ex.yield_per_eot_unit(comp, 0.3, numerics=Numerics(precision=0.02))[0]
    total = 0.0
    x0 = get_material("PbWO4").X0_g_cm2
    for t, w in get_material("PbWO4").components:
        single = ex.make_config({**base, "target": t.name,
                                 "thickness_x0": 0.1 * x0 * w / t.X0_g_cm2})
        # the same number of atoms of element t per cm^2 as in the compound
        total += ex.yield_per_eot_unit(single, 0.3, numerics=Numerics(precision=0.02))[0]
    assert y == pytest.approx(total, rel=1e-12)
    inline = ex.make_config({**base, "target": {"formula": {"Pb": 1, "W": 1, "O": 4},
                                                "density": 8.28}})
    got = ex.yield_per_eot_unit(inline, 0.3, numerics=Numerics(precision=0.02))[0]
    assert got == pytest.approx(y, rel=1e-12)
