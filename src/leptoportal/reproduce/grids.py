"""The grids of a reproduction run: the embedded defaults and a small ``--fast`` version."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from leptoportal.constants import M_E, M_MU

#: experiments drawn in the (m_phi, h) plane; the first is the exclusion, the rest
#: limits or projected sensitivities
PLANE_EXPERIMENTS = ("na64e-2016-2018", "na64e-2016-2022", "na64e-upgrade", "na64e-ponten2024",
                     "na64mu", "ldmx")
#: the experiment whose exclusion is compared with the g-2 band in the report
EXCLUSION_EXPERIMENT = "na64e-2016-2018"
#: beam, energy and target of the cross-section and spectrum figures
XSEC_SETUP = ("e-", 100.0, "Pb")
#: the mass of the relic-density figure (GeV)
RELIC_MASS = 0.3


@dataclass
class Grids:
    """Grids of one run (the embedded defaults; ``fast`` is a small smoke-test version)."""

    plane_masses: list[float]
    band_masses: list[float]
    relic_masses: list[float]
    xsec_masses: list[float]
    spectrum_masses: list[float] = field(default_factory=lambda: [0.2, 0.5, 1.0])
    relic_h: list[float] = field(default_factory=list)
    spectrum_events: int = 200_000
    limit_precision: float = 0.01
    xsec_precision: float = 0.005

    @classmethod
    def make(cls, fast: bool) -> Grids:
        """The default grids, or the small ones of ``--fast``."""
        lo = M_MU + M_E + 1e-3
        if fast:
            return cls(list(np.geomspace(lo, 3.0, 5)), list(np.geomspace(lo, 3.0, 60)),
                       list(np.geomspace(0.15, 3.0, 3)), list(np.geomspace(lo, 3.0, 5)),
                       [0.2, 0.5, 1.0], list(np.geomspace(1e-4, 1e-2, 12)), 40_000, 0.03,
                       0.02)
        return cls(list(np.geomspace(lo, 3.0, 16)), list(np.geomspace(lo, 3.0, 200)),
                   list(np.geomspace(0.12, 3.0, 10)), list(np.geomspace(lo, 3.0, 14)),
                   [0.2, 0.5, 1.0], list(np.geomspace(1e-4, 1e-2, 40)), 200_000, 0.01, 0.005)

    def describe(self) -> str:
        return (f"{len(self.plane_masses)} masses for limits, {len(self.relic_masses)} for the "
                f"thermal target, ETL precision {self.xsec_precision}, limit-table precision "
                f"{self.limit_precision}")
