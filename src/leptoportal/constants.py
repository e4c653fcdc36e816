"""Physical constants and unit conversions (GeV units throughout).

Masses come from the PDG tables of the `particle` package, fundamental constants from
CODATA via `scipy.constants`; conversion factors are derived, not typed by hand.
"""

from __future__ import annotations

import math

import scipy.constants as _sc
from hepunits import GeV as _GeV
from hepunits import picobarn as _pb
from hepunits.constants import hbarc as _hbarc
from particle import Particle

#: electron and muon masses in GeV (PDG, via `particle`)
M_E: float = Particle.from_pdgid(11).mass / 1000.0
M_MU: float = Particle.from_pdgid(13).mass / 1000.0
#: tau mass in GeV (PDG, via `particle`)
M_TAU: float = Particle.from_pdgid(15).mass / 1000.0
#: charged-lepton flavours and their masses (GeV) and PDG codes (of the negative lepton)
LEPTON_MASS: dict[str, float] = {"e": M_E, "mu": M_MU, "tau": M_TAU}
LEPTON_PDG: dict[str, int] = {"e": 11, "mu": 13, "tau": 15}
#: proton mass in GeV (PDG), used in the inelastic form factor
M_P: float = Particle.from_pdgid(2212).mass / 1000.0
#: proton magnetic moment in nuclear magnetons (CODATA)
MU_P: float = _sc.physical_constants["proton mag. mom. to nuclear magneton ratio"][0]

#: fine-structure constant at the Thomson limit (CODATA)
ALPHA: float = _sc.fine_structure
#: elementary charge squared in natural (Heaviside-Lorentz) units
E2: float = 4.0 * math.pi * ALPHA

#: hbar*c in GeV*m
HBARC_GEV_M: float = _sc.hbar * _sc.c / (_sc.e * 1e9)
#: hbar in GeV*s
HBAR_GEV_S: float = _sc.hbar / (_sc.e * 1e9)
#: 1 GeV^-2 in picobarn (hbar c)^2 = 3.893794e8 pb
GEV2_TO_PB: float = (_hbarc / _GeV) ** 2 / _pb
#: 1 pb in cm^2
PB_TO_CM2: float = 1e-36
#: 1 GeV^-2 in cm^2
GEV2_TO_CM2: float = GEV2_TO_PB * PB_TO_CM2
#: speed of light in cm/s
C_CM_S: float = _sc.c * 100.0
#: atomic mass unit in GeV (CODATA)
AMU_GEV: float = _sc.physical_constants["atomic mass constant energy equivalent in MeV"][0] / 1000.0
#: Avogadro's number
N_A: float = _sc.N_A

#: lower edge of the valid phi-mass domain of the e-mu portal, m_mu - m_e (below it
#: mu -> e phi is open and the loop functions are singular)
M_PHI_MIN: float = M_MU - M_E
#: lowest phi mass accepted for flavour-diagonal couplings (GeV)
M_PHI_FLOOR: float = 1e-3
