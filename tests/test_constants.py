"""The constants written out in leptoportal.constants are exactly those of `particle` (PDG)
and `scipy.constants` (CODATA): the package keeps its sources without loading them at start."""

import scipy.constants as sc
from particle import Particle

from leptoportal import constants as c


def test_masses_are_the_pdg_values_of_particle():
    for pdg, value in ((11, c.M_E), (13, c.M_MU), (15, c.M_TAU), (2212, c.M_P)):
        assert value == Particle.from_pdgid(pdg).mass / 1000.0, pdg
    assert c.LEPTON_MASS == {"e": c.M_E, "mu": c.M_MU, "tau": c.M_TAU}


def test_lepton_widths_are_the_pdg_values_of_particle():
    for lepton, pdg in (("mu", 13), ("tau", 15)):
        assert c.LEPTON_WIDTH[lepton] == Particle.from_pdgid(pdg).width / 1000.0, lepton


def test_fundamental_constants_are_codata_of_scipy():
    assert c.ALPHA == sc.fine_structure
    assert c.MU_P == sc.physical_constants["proton mag. mom. to nuclear magneton ratio"][0]
    assert c.HBARC_GEV_M == sc.hbar * sc.c / (sc.e * 1e9)
    assert c.HBAR_GEV_S == sc.hbar / (sc.e * 1e9)
    assert c.C_CM_S == sc.c * 100.0
    assert c.AMU_GEV == sc.physical_constants[
        "atomic mass constant energy equivalent in MeV"][0] / 1000.0
    assert c.N_A == sc.N_A
    # derived: (hbar c)^2 in pb GeV^2
    assert abs(c.GEV2_TO_PB / 3.893793721e8 - 1) < 1e-9
