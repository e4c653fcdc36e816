import math

import pytest

from leptoportal import Couplings, DarkSector, InputError, Portal
from leptoportal.constants import GEV2_TO_PB, M_E, M_MU


def test_constants_from_pdg_and_codata():
    assert M_MU == pytest.approx(0.1056583755, rel=1e-9)
    assert M_E == pytest.approx(0.51099895e-3, rel=1e-8)
    assert GEV2_TO_PB == pytest.approx(3.893794e8, rel=1e-6)


@pytest.mark.parametrize(
    "kind,cs,cp", [("chiral", 0.5, 0.5), ("scalar", 1.0, 0.0), ("pseudoscalar", 0.0, 1.0)]
)
def test_coupling_patterns(kind, cs, cp):
    c = Couplings.from_kind(kind, 2.0)
    assert c.c_s == 2 * cs and c.c_p == 2 * cp


def test_mass_domain_rejected_below_mmu_minus_me():
    with pytest.raises(InputError, match=r"m_phi = 0.1 .*\(0.105147"):
        Portal(0.1)
    Portal(M_MU - M_E + 1e-6)


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_bad_masses(bad):
    with pytest.raises(InputError):
        Portal(bad)
    with pytest.raises(InputError):
        DarkSector(bad, 0.1)


@pytest.mark.parametrize("bad", [math.nan, math.inf, complex(0, math.nan)])
def test_non_finite_couplings(bad):
    with pytest.raises(InputError):
        Couplings(bad, 0.0)
    assert Couplings(-1.0, 0.5j).norm2 == pytest.approx(1.25)


def test_error_is_one_line():
    with pytest.raises(InputError) as exc:
        Portal(-3.0)
    assert "\n" not in str(exc.value)


def test_dark_sector_benchmark():
    d = DarkSector.benchmark(0.3, alpha_dark=0.1)
    assert d.m_chi == pytest.approx(0.1)
    assert d.alpha_dark == pytest.approx(0.1)
    with pytest.raises(InputError):
        DarkSector.benchmark(0.3)
    with pytest.raises(InputError):
        Couplings.from_kind("vector", 1.0)


def test_an_entry_given_in_the_other_order_is_stored_conjugated_with_a_notice():
    """tau-mu (the vertex of tau -> mu) is kept as mu-tau with (C_S*, -C_P*), which the user
    is told (it changes the sign of a pseudoscalar coupling); the canonical order is silent."""
    import warnings

    from leptoportal.model import CouplingMatrix

    with pytest.warns(UserWarning, match=r"tau-mu .* stored as mu-tau .* cp = -0\.001"):
        m = CouplingMatrix.from_mapping({"tau-mu": {"cp": 1e-3}})
    assert m.vertex("mu", "tau").c_p == -1e-3 and m.vertex("tau", "mu").c_p == 1e-3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CouplingMatrix.from_mapping({"mu-tau": {"cp": 1e-3}})
