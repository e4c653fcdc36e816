"""The grids of a reproduction run: the embedded defaults and a small ``--fast`` version."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from leptoportal.constants import M_E, M_MU

#: experiments drawn in the paper's (m_phi, h) plane; the first is the exclusion compared with
#: the g-2 band, the rest limits or projected sensitivities
PLANE_EXPERIMENTS = ("na64e-2016-2018", "na64e-2016-2022", "na64e-upgrade", "na64e-ponten2024",
                     "na64mu", "ldmx")
#: the resonant mu+ e- -> phibar reach: the 160 GeV beam and the beam-energy scan
RESONANT_EXPERIMENTS = ("na64mu-plus", "na64mu-plus-scan")
#: beam, energy and target of the cross-section and spectrum figures
XSEC_SETUP = ("e-", 100.0, "Pb")
#: the mass of the relic-density figure (GeV)
RELIC_MASS = 0.3


@dataclass(frozen=True)
class PlaneSpec:
    """What the (m_phi, h) plane of one coupling model shows: the experiments (the first is
    the exclusion compared with the g-2 band), the mass range and the labels."""

    model: str
    experiments: tuple[str, ...]
    m_lo: float
    m_hi: float
    coupling_label: str
    process_label: str
    relic_lo: float


#: the planes ``reproduce --model`` can draw; "emu-chiral" is the paper's
PLANES = {
    "emu-chiral": PlaneSpec("emu-chiral", PLANE_EXPERIMENTS, M_MU + M_E + 1e-3, 3.0,
                            r"$h_{e\mu}$ (chiral)",
                            r"leptoportal   $e/\mu\,N \to \mu/e\,N\,\phi$, $\phi\to$ invisible",
                            0.12),
    "mumu-scalar": PlaneSpec("mumu-scalar", ("na64mu-2022-mumu", "m3-phase1", "m3-phase2"),
                             0.005, 3.0, r"$g_\mu$ (scalar, $\phi\bar\mu\mu$)",
                             r"leptoportal   $\mu N \to \mu N\,\phi$, $\phi\to$ invisible",
                             0.25),
    "mumu-pseudoscalar": PlaneSpec("mumu-pseudoscalar",
                                   ("na64mu-2022-mumu", "m3-phase1", "m3-phase2"), 0.005, 3.0,
                                   r"$g_\mu$ (pseudoscalar)",
                                   r"leptoportal   $\mu N \to \mu N\,\phi$, "
                                   r"$\phi\to$ invisible", 0.25),
    "ee-scalar": PlaneSpec("ee-scalar", ("na64e-2016-2022-ee",), 0.002, 1.0,
                           r"$g_e$ (scalar, $\phi\bar e e$)",
                           r"leptoportal   $e N \to e N\,\phi$, $\phi\to$ invisible", 0.005),
}


def _resonant_masses(n_coarse: int, n_peak: int) -> list[float]:
    """Masses of the resonant reach: 0.2-1 GeV, denser around the 160 GeV resonance
    (m_phi = 0.418 GeV)."""
    return sorted(set(np.round(np.concatenate([np.geomspace(0.2, 1.0, n_coarse),
                                               np.linspace(0.40, 0.43, n_peak)]), 6)))


@dataclass
class Grids:
    """Grids of one run (the embedded defaults; ``fast`` is a small smoke-test version)."""

    plane_masses: list[float]
    band_masses: list[float]
    relic_masses: list[float]
    xsec_masses: list[float]
    spectrum_masses: list[float] = field(default_factory=lambda: [0.2, 0.5, 1.0])
    resonant_masses: list[float] = field(default_factory=list)
    relic_h: list[float] = field(default_factory=list)
    spectrum_events: int = 200_000
    limit_precision: float = 0.01
    xsec_precision: float = 0.005
    #: passes of adaptive refinement of the curves (see compute.refinement_tasks); 0 by
    #: default: one pass adds ~40 points near kinematic edges and ~25 s (reproduce --refine)
    refinement_passes: int = 0

    @classmethod
    def make(cls, fast: bool, spec: PlaneSpec | None = None) -> Grids:
        """The default grids, or the small ones of ``--fast``, for a plane (default: the
        paper's e-mu plane)."""
        spec = spec or PLANES["emu-chiral"]
        lo, hi = spec.m_lo, spec.m_hi
        if fast:
            return cls(list(np.geomspace(lo, hi, 5)), list(np.geomspace(lo, hi, 60)),
                       list(np.geomspace(max(spec.relic_lo, 0.15), hi, 3)),
                       list(np.geomspace(lo, 3.0, 5)), [0.2, 0.5, 1.0],
                       _resonant_masses(5, 3), list(np.geomspace(1e-4, 1e-2, 12)), 40_000,
                       0.03, 0.02)
        return cls(list(np.geomspace(lo, hi, 16)), list(np.geomspace(lo, hi, 200)),
                   list(np.geomspace(spec.relic_lo, hi, 10)), list(np.geomspace(lo, 3.0, 14)),
                   [0.2, 0.5, 1.0], _resonant_masses(22, 14),
                   list(np.geomspace(1e-4, 1e-2, 40)), 200_000, 0.01, 0.005)

    def describe(self) -> str:
        return (f"{len(self.plane_masses)} masses for limits, {len(self.resonant_masses)} for "
                f"the resonant reach, {len(self.relic_masses)} for the "
                f"thermal target, ETL precision {self.xsec_precision}, limit-table precision "
                f"{self.limit_precision}")


__all__ = [
    "PLANE_EXPERIMENTS", "PLANES", "RELIC_MASS", "RESONANT_EXPERIMENTS", "XSEC_SETUP", "Grids",
    "PlaneSpec",
]


def __dir__() -> list[str]:
    return __all__
