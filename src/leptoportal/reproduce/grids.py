"""The grids of a reproduction run: the embedded defaults and a small ``--fast`` version."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from leptoportal.constants import M_E, M_MU

#: experiments drawn in the paper's (m_phi, h) plane; the first is the exclusion compared with
#: the g-2 band, the rest limits or projected sensitivities
PLANE_EXPERIMENTS = ("na64e-2016-2018", "na64e-2016-2022", "na64e-upgrade", "na64e-ponten2024",
                     "na64mu", "ldmx")
#: the resonant mu+ e- -> phibar reach: the 160 GeV beam and the beam-energy scan
ANNIHILATION_EXPERIMENTS = ("na64mu-plus", "na64mu-plus-scan")
#: the 160 GeV reach is also drawn with these models of the target electrons
OTHER_ELECTRON_MOTIONS = ("shells", "rest")
#: the electron-philic NA64e set-up whose reach is drawn with and without shower positrons
SHOWER_EXPERIMENT = "na64e-2016-2022-ee"
#: its channels with the shower positrons (its preset's) and without them
SHOWER_PRODUCTION, DEFAULT_PRODUCTION = ["conversion", "shower-positrons"], ["conversion"]
#: beam, energy and target of the cross-section and spectrum figures
XSEC_SETUP = ("e-", 100.0, "Pb")
#: the mass of the relic-density figure (GeV)
RELIC_MASS = 0.3


@dataclass(frozen=True)
class Figure:
    """A figure of the reproduction: its number, file stem, caption and what it corresponds to
    in the paper (arXiv:2202.04410; we have its abstract, not its figure numbering)."""

    number: int
    stem: str
    caption: str
    paper: str


#: the figures of a reproduction run, by stage
FIGURES = {
    "plane": Figure(1, "fig1_mphi_h_plane", "The (m_phi, h_emu) plane: muon g-2 bands, NA64 "
                    "2016-2018 exclusion, projected sensitivities, thermal target and electron "
                    "g-2 limits.", "reproduces the paper's constraints in the (m_phi, h_emu) "
                    "plane (g-2 band, NA64 2016-2018 exclusion, projections, thermal target)"),
    "xsec": Figure(2, "fig2_xsec_100GeV", "Total cross-section at 100 GeV on Pb: exact tree "
                   "level vs WW and IWW.", "the production cross-section of e Z -> mu Z phi "
                   "behind the paper's limits (exact tree level here; the paper's WW)"),
    "spectra": Figure(3, "fig3_spectra", "Normalised phi energy-fraction and outgoing-muon "
                      "energy spectra (ETL) at m_phi = 0.2, 0.5, 1 GeV.",
                      "the kinematics of the paper's signature (a single muon and missing "
                      "energy); an extension"),
    "relic": Figure(4, "fig4_relic", "Relic density versus the portal coupling at the "
                    "benchmark point; the dotted line marks h giving Omega h^2 = 0.120.",
                    "the paper's relic-density argument (thermal target); an extension"),
    "annihilation": Figure(5, "fig5_resonant_reach", "Reach of the resonance mu+ e- -> phibar on "
                       "the electrons of 40 X0 of Pb: 160 GeV mu+ (1.98e10 MOT, resonance + "
                       "conversion) and a beam-energy scan (42 energies 40-200 GeV, 5e8 MOT "
                       "each), projections with zero background, 3% beam spread, unpolarised "
                       "beam, bound electrons (Compton profiles; also Gaussian shells and at "
                       "rest for the 160 GeV beam).", "not in the paper: an extension of this "
                       "package (resonant production on atomic electrons)"),
    "showers": Figure(6, "fig6_shower_positrons", "Reach of NA64e 2016-2022 (9.37e11 EOT, "
                      "100 GeV e- on Pb, no event) for an electron-philic scalar (ee-scalar), "
                      "with and without the positrons of the electromagnetic showers "
                      "annihilating on the atomic electrons (e+ e- -> phi).",
                      "not in the paper: an extension (electron-philic scalar)"),
    "constraints": Figure(7, "fig7_constraints_plane", "Every bound on the coupling matrix in "
                          "the (m_phi, h) plane (leptoportal.constraints, 90% CL unless the "
                          "legend says otherwise): each bound's excluded region above its "
                          "line, the region every combined bound allows below the thick "
                          "line, and the NA64 reach (projections dashed).",
                          "not in the paper: an extension (models of several entries)"),
}


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
    "mumu-emu": PlaneSpec("mumu-emu", ("na64mu-2022-mumu", "m3-phase1", "m3-phase2"),
                          M_MU + M_E + 1e-3, 3.0,
                          r"$g_\mu$ (scalar $\phi\bar\mu\mu$, $h_{e\mu} = 10^{-5} g_\mu$)",
                          r"leptoportal   $\mu N \to \mu N\,\phi$, $\phi\to$ invisible",
                          0.25),
    "ee-scalar": PlaneSpec("ee-scalar", ("na64e-2016-2022-ee",), 0.002, 1.0,
                           r"$g_e$ (scalar, $\phi\bar e e$)",
                           r"leptoportal   $e N \to e N\,\phi$, $\phi\to$ invisible", 0.005),
}


def _annihilation_masses(n_coarse: int, n_peak: int) -> list[float]:
    """Masses of the resonant reach: 0.2-1 GeV, denser around the 160 GeV resonance
    (m_phi = 0.418 GeV)."""
    return sorted(set(np.round(np.concatenate([np.geomspace(0.2, 1.0, n_coarse),
                                               np.linspace(0.40, 0.43, n_peak)]), 6)))


def _relic_masses(lo: float, hi: float) -> list[float]:
    """Masses of the thermal target: 16 from ``lo`` to ``hi``, half of them in the first
    fifth of the decades, where the curve turns up towards its threshold."""
    knee = lo * (hi / lo) ** 0.2
    return sorted({*np.geomspace(lo, knee, 8), *np.geomspace(knee, hi, 9)})


def _shower_masses(n_coarse: int, n_peak: int) -> list[float]:
    """Masses of the shower-positron figure: 0.08-0.6 GeV, denser where the positrons above
    50 GeV resonate (sqrt(2 m_e E+) = 0.226-0.320 GeV for E+ = 50-100 GeV)."""
    return sorted(set(np.round(np.concatenate([np.geomspace(0.08, 0.6, n_coarse),
                                               np.linspace(0.21, 0.33, n_peak)]), 6)))


def _scan_masses(every: int, n_above: int) -> list[float]:
    """Masses of the beam-energy scan's reach: the resonance mass sqrt(2 m_e E) of every
    ``every``-th energy of the scan (its reach is set there), then ``n_above`` masses up to
    0.9 GeV above the scan's highest resonance."""
    from leptoportal import experiments as ex

    energies = sorted(e for e, _ in ex.get_preset("na64mu-plus-scan").energy_scan or ())
    peaks = [math.sqrt(2.0 * M_E * e) for e in energies[::every]]
    top = math.sqrt(2.0 * M_E * energies[-1])
    above = np.geomspace(top * 1.02, 0.9, n_above)  # at 1 GeV no coupling reaches n_up
    return sorted(set(np.round(np.concatenate([[0.2], peaks, [top], above]), 6)))


def _constraint_masses(hi: float, n: int) -> list[float]:
    """Masses of the constraints plane: ``n`` from 2 MeV to ``hi``, and the two sides of the
    edges where bounds start or end: m_mu - m_e (mu -> e phi closes), TWIST's 80 MeV."""
    edges = [M_MU - M_E, 0.08]
    near = [e * f for e in edges for f in (0.995, 1.005)]
    return sorted(set(np.round(np.concatenate([np.geomspace(0.002, hi, n), near]), 7)))


@dataclass
class Grids:
    """Grids of one run (the embedded defaults; ``fast`` is a small smoke-test version)."""

    plane_masses: list[float]
    band_masses: list[float]
    relic_masses: list[float]
    xsec_masses: list[float]
    spectrum_masses: list[float] = field(default_factory=lambda: [0.2, 0.5, 1.0])
    annihilation_masses: list[float] = field(default_factory=list)
    scan_masses: list[float] = field(default_factory=list)
    shower_masses: list[float] = field(default_factory=list)
    relic_h: list[float] = field(default_factory=list)
    #: masses of the constraints plane (models of several entries): from 2 MeV, where a
    #: lepton decays into phi, to the plane's upper end
    constraint_masses: list[float] = field(default_factory=list)
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
                       _annihilation_masses(5, 3), _scan_masses(14, 2), _shower_masses(4, 3),
                       list(np.geomspace(1e-4, 1e-2, 12)), _constraint_masses(hi, 12),
                       40_000, 0.03, 0.02)
        # the limits rise steeply at the low end of the plane (thresholds): 3 more nodes there
        plane = sorted([*np.geomspace(lo, hi, 16), lo * 1.01, lo * 1.03, lo * 1.07])
        return cls(plane, list(np.geomspace(lo, hi, 200)),
                   _relic_masses(spec.relic_lo, hi), list(np.geomspace(lo, 3.0, 14)),
                   [0.2, 0.5, 1.0], _annihilation_masses(22, 14), _scan_masses(1, 8),
                   _shower_masses(12, 9), list(np.geomspace(1e-4, 1e-2, 40)),
                   _constraint_masses(hi, 60), 200_000, 0.01, 0.005)

    def describe(self) -> str:
        return (f"{len(self.plane_masses)} masses for limits, {len(self.annihilation_masses)} for "
                f"the resonant reach at 160 GeV, {len(self.scan_masses)} for the beam-energy "
                f"scan, {len(self.shower_masses)} for the shower positrons, "
                f"{len(self.relic_masses)} for the "
                f"thermal target, ETL precision {self.xsec_precision}, limit-table precision "
                f"{self.limit_precision}")


__all__ = [
    "FIGURES", "OTHER_ELECTRON_MOTIONS", "PLANE_EXPERIMENTS", "PLANES", "RELIC_MASS",
    "DEFAULT_PRODUCTION", "ANNIHILATION_EXPERIMENTS", "SHOWER_EXPERIMENT", "SHOWER_PRODUCTION",
    "XSEC_SETUP", "Figure", "Grids", "PlaneSpec",
]


def __dir__() -> list[str]:
    return __all__
