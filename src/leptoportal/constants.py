"""Physical constants and unit conversions (GeV units throughout).

Lepton and proton masses are the PDG values tabulated by the `particle` package, fundamental
constants the CODATA 2022 values of `scipy.constants`; conversion factors are derived, not
typed by hand. The numbers are written out here so that
importing the package does not load the PDG table (0.2 s) or scipy.constants (0.1 s) on every
start of the command line; ``tests/test_constants.py`` checks that they equal the values of
both libraries exactly.
"""

from __future__ import annotations

import math

from hepunits import GeV as _GeV
from hepunits import picobarn as _pb
from hepunits.constants import hbarc as _hbarc

#: electron and muon masses in GeV (PDG, as in `particle`: 0.51099895069 MeV, 105.6583755 MeV)
M_E: float = 0.51099895069 / 1000.0
M_MU: float = 105.6583755 / 1000.0
#: tau mass in GeV (PDG, as in `particle`: 1776.93 MeV)
M_TAU: float = 1776.93 / 1000.0
#: charged-lepton flavours and their masses (GeV) and PDG codes (of the negative lepton)
LEPTON_MASS: dict[str, float] = {"e": M_E, "mu": M_MU, "tau": M_TAU}
LEPTON_PDG: dict[str, int] = {"e": 11, "mu": 13, "tau": 15}
#: total widths of the unstable charged leptons in GeV (PDG, as in `particle`:
#: 2.9959836e-16 MeV for the muon, tau lifetime 290.3 fs, i.e. 2.267e-9 MeV), the
#: denominators of the branching ratios of `leptoportal.lfv`
LEPTON_WIDTH: dict[str, float] = {"mu": 2.9959836e-16 / 1000.0, "tau": 2.267e-9 / 1000.0}
#: proton mass in GeV (PDG, as in `particle`: 938.27208943 MeV), used in the inelastic form
#: factor
M_P: float = 938.27208943 / 1000.0
#: proton magnetic moment in nuclear magnetons (CODATA 2022)
MU_P: float = 2.79284734463

#: fine-structure constant at the Thomson limit (CODATA 2022)
ALPHA: float = 0.0072973525643
#: elementary charge squared in natural (Heaviside-Lorentz) units
E2: float = 4.0 * math.pi * ALPHA

#: exact SI constants: hbar = h / (2 pi) (J s), c (m/s), e (C)
_HBAR_J_S = 6.62607015e-34 / (2.0 * math.pi)
_C_M_S = 299792458.0
_E_C = 1.602176634e-19
#: hbar*c in GeV*m
HBARC_GEV_M: float = _HBAR_J_S * _C_M_S / (_E_C * 1e9)
#: hbar in GeV*s
HBAR_GEV_S: float = _HBAR_J_S / (_E_C * 1e9)
#: 1 GeV^-2 in picobarn (hbar c)^2 = 3.893794e8 pb
GEV2_TO_PB: float = (_hbarc / _GeV) ** 2 / _pb
#: 1 pb in cm^2
PB_TO_CM2: float = 1e-36
#: 1 GeV^-2 in cm^2
GEV2_TO_CM2: float = GEV2_TO_PB * PB_TO_CM2
#: speed of light in cm/s
C_CM_S: float = _C_M_S * 100.0
#: atomic mass unit in GeV (CODATA 2022: 931.49410372 MeV)
AMU_GEV: float = 931.49410372 / 1000.0
#: Avogadro's number (exact)
N_A: float = 6.02214076e23

#: lower edge of the valid phi-mass domain of the e-mu portal, m_mu - m_e (below it
#: mu -> e phi is open and the loop functions are singular)
M_PHI_MIN: float = M_MU - M_E
#: lowest phi mass accepted for flavour-diagonal couplings (GeV)
M_PHI_FLOOR: float = 1e-3


__all__ = [
    "ALPHA", "AMU_GEV", "C_CM_S", "E2", "GEV2_TO_CM2", "GEV2_TO_PB", "HBAR_GEV_S", "HBARC_GEV_M",
    "LEPTON_MASS", "LEPTON_PDG", "LEPTON_WIDTH", "M_E", "M_MU", "M_P", "M_PHI_FLOOR", "M_PHI_MIN",
    "M_TAU", "MU_P", "N_A", "PB_TO_CM2",
]


def __dir__() -> list[str]:
    return __all__
