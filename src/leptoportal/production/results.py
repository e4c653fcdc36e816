"""Result containers of production: a cross-section, a differential cross-section and a
resonance on atomic electrons, each with its uncertainty and the inputs that produced it.

Example: ``cross_section(Process("e-", 100.0, "Pb", 0.2), "ww").to_dict()["sigma_pb"]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from leptoportal.constants import PB_TO_CM2
from leptoportal.numerics import Numerics
from leptoportal.production.process import Process
from leptoportal.results import Result, quantity

if TYPE_CHECKING:
    from hist import Hist

    from leptoportal.production.resonance import Resonance
    from leptoportal.production.targets import Material

@dataclass(frozen=True)
class XsecResult(Result):
    """A cross-section (pb) with its uncertainty and the inputs that produced it.

    >>> from leptoportal.production import Process, cross_section
    >>> r = cross_section(Process("e-", 100.0, "Pb", 0.2), "ww")
    >>> r.to_dict()["sigma_pb"], r.units()["sigma_pb"]
    (371229549.48..., 'pb')
    """

    title = "cross-section"

    sigma_pb: float = quantity("pb", "total cross-section")
    sigma_err_pb: float = quantity("pb", "its numerical (Monte-Carlo or quadrature) error")
    sigma_cm2: float = field(init=False, metadata={"unit": "cm^2",
                                                   "doc": "the cross-section in cm^2"})
    method: str = quantity("", "etl (exact tree level) | ww | iww")
    beam: str = quantity("", "beam lepton")
    final_lepton: str = quantity("", "outgoing lepton with its charge")
    scalar: str = quantity("", "scalar state produced: phi, phibar or phi (real)")
    energy: float = quantity("GeV", "beam energy E0 (lab, nucleus at rest)")
    target: str = quantity("", "target element")
    m_phi: float = quantity("GeV", "scalar mass")
    c_s: complex = quantity("", "C_S of the beam's flavour pair (canonical orientation)")
    c_p: complex = quantity("", "C_P of the beam's flavour pair")
    form_factor: str = quantity("", "nuclear form factor")
    seed: int | None = quantity("", "random seed (ETL)", optional=True)
    precision: float | None = quantity("", "requested relative MC error (ETL)", optional=True)
    details: dict[str, Any] = quantity("", "how it was computed (route, evaluations, time, ...)",
                             default_factory=dict)
    h: float = quantity("", "coupling normalisation h the couplings include", default=1.0)
    form_factor_variants_pb: dict[str, Any] | None = quantity(
        "pb", "sigma for every form-factor variant (form-factor systematic)", optional=True)
    form_factor_syst_pb: float | None = quantity(
        "pb", "largest deviation of a variant from sigma_pb", optional=True)
    components: list[Any] | None = quantity(
        "pb", "a compound or calorimeter: sigma_pb is per atom, averaged over its atoms; "
        "each element with its atom fraction and cross-section", optional=True)
    spectrum: str | None = quantity("", "observable of the differential cross-section",
                                    optional=True)
    out: str | None = quantity("", "file of the differential cross-section", optional=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sigma_cm2", self.sigma_pb * PB_TO_CM2)  # derived, once

    @classmethod
    def of(cls, proc: Process, method: str, sigma_pb: float, sigma_err_pb: float,
           details: dict[str, Any], numerics: Numerics | None = None) -> XsecResult:
        """The result of ``method`` for ``proc`` (``numerics``: the settings of a Monte-Carlo
        method, recorded with it)."""
        c = proc.pair_couplings
        return cls(sigma_pb=sigma_pb, sigma_err_pb=sigma_err_pb, method=method,
                   beam=proc.beam, final_lepton=proc.out_lepton, scalar=proc.scalar,
                   energy=proc.energy, target=proc.target.name, m_phi=proc.m_phi,
                   c_s=c.c_s, c_p=c.c_p, form_factor=proc.form_factor,
                   seed=None if numerics is None else numerics.seed,
                   precision=None if numerics is None else numerics.precision,
                   details=details)

    @property
    def rel_err(self) -> float:
        return self.sigma_err_pb / self.sigma_pb if self.sigma_pb > 0 else math.inf

    @classmethod
    def mixture(cls, parts: list[XsecResult], fractions: list[float],
                target: str) -> XsecResult:
        """The cross-section per atom of a material whose elements have the atom
        ``fractions`` and the cross-sections ``parts``: sigma = sum_k f_k sigma_k, errors in
        quadrature (independent Monte-Carlo runs)."""
        first = parts[0]
        sigma = sum(f * p.sigma_pb for p, f in zip(parts, fractions, strict=True))
        err = math.sqrt(sum((f * p.sigma_err_pb) ** 2
                            for p, f in zip(parts, fractions, strict=True)))
        comps = [{"element": p.target, "atom_fraction": f, "sigma_pb": p.sigma_pb,
                  "sigma_err_pb": p.sigma_err_pb} for p, f in zip(parts, fractions, strict=True)]
        return cls(sigma_pb=sigma, sigma_err_pb=err, method=first.method, beam=first.beam,
                   final_lepton=first.final_lepton, scalar=first.scalar, energy=first.energy,
                   target=target, m_phi=first.m_phi, c_s=first.c_s, c_p=first.c_p,
                   form_factor=first.form_factor, seed=first.seed, precision=first.precision,
                   details={"per": "atom of the material (average over its atoms)",
                            "elements": [p.details for p in parts]},
                   components=comps)


@dataclass
class Spectrum:
    """dsigma/dO in pb per unit of O, with per-bin errors, for one observable."""

    observable: str
    edges: np.ndarray
    dsigma: np.ndarray
    dsigma_err: np.ndarray
    total: XsecResult

    def to_hist(self) -> Hist[Any]:
        """The spectrum as a ``hist.Hist`` (UHI: mplhep and hepdata_lib take it directly):
        one Variable axis with the bin edges and Weight storage holding dsigma/dO (pb per
        unit) and its variance. Example: ``mplhep.histplot(spec.to_hist())``."""
        import hist

        h = hist.Hist(hist.axis.Variable(self.edges, name=self.observable,
                                         label=self.observable),
                      storage=hist.storage.Weight(), label="dsigma [pb per unit]")
        view = h.view()
        view.value = self.dsigma
        view.variance = self.dsigma_err ** 2
        return h

    def integral(self) -> tuple[float, float]:
        widths = np.diff(self.edges)
        return float(np.sum(self.dsigma * widths)), float(
            math.sqrt(np.sum((self.dsigma_err * widths) ** 2)))

    def rows(self) -> list[dict[str, Any]]:
        """One row per bin: lo, hi, center, dsigma_pb, dsigma_err_pb (pb per unit of the
        observable)."""
        return [{"lo": float(lo), "hi": float(hi), "center": 0.5 * float(lo + hi),
                 "dsigma_pb": float(d), "dsigma_err_pb": float(e)}
                for lo, hi, d, e in zip(self.edges[:-1], self.edges[1:], self.dsigma,
                                        self.dsigma_err, strict=True)]


@dataclass
class Spectrum2D:
    """dsigma/dx dcos(theta_phi) in pb with per-cell errors."""

    x_edges: np.ndarray
    cos_edges: np.ndarray
    dsigma: np.ndarray
    dsigma_err: np.ndarray
    total: XsecResult

    def rows(self) -> list[dict[str, Any]]:
        """One row per cell: x_lo, x_hi, cos_lo, cos_hi, dsigma_pb, dsigma_err_pb."""
        xe, ce = self.x_edges, self.cos_edges
        return [{"x_lo": float(xe[i]), "x_hi": float(xe[i + 1]), "cos_lo": float(ce[j]),
                 "cos_hi": float(ce[j + 1]), "dsigma_pb": float(self.dsigma[i, j]),
                 "dsigma_err_pb": float(self.dsigma_err[i, j])}
                for i in range(len(xe) - 1) for j in range(len(ce) - 1)]


@dataclass(frozen=True)
class ResonanceResult(Result):
    """The resonance l+ e- -> phi on the electrons of a target: peak, narrow-width and exact
    integrals (per electron at rest and per atom), widths, polarisation and inputs."""

    title = "annihilation cross-section"

    process: str = quantity("", "the production channel (xsec --process)")
    beam: str = quantity("", "positive beam lepton")
    scalar: str = quantity("", "scalar state produced")
    target: str = quantity("", "target material")
    m_phi: float = quantity("GeV", "scalar mass")
    resonance_energy: float = quantity("GeV", "beam energy E_R of the resonance (electron "
                                       "at rest)")
    sigma_peak_pb: float = quantity("pb", "sigma at E_R, all final states, per electron")
    sigma_peak_invisible_pb: float = quantity("pb", "sigma at E_R into invisible states")
    sigma_integrated_pb_gev: float = quantity("pb GeV", "narrow-width Int sigma dE")
    sigma_integrated_invisible_pb_gev: float = quantity("pb GeV", "the same, invisible")
    sigma_integrated_visible_pb_gev: float = quantity("pb GeV", "the same, into leptons")
    sigma_integrated_exact_pb_gev: float = quantity("pb GeV", "Int sigma dE of the exact line "
                                                    "over E_R +- 1e4 widths")
    electrons_per_atom: float = quantity("", "Z (a compound: averaged over its atoms)")
    sigma_integrated_per_atom_pb_gev: float = quantity("pb GeV", "Z Int sigma dE")
    line_width: float = quantity("GeV", "full width of the line in the beam energy")
    gamma_total: float = quantity("GeV", "total width of phi")
    gamma_entrance: float = quantity("GeV", "width into the l+ e- pair")
    polarisation: float = quantity("", "beam helicity polarisation")
    analysing_power: float = quantity("", "A at E_R: sigma(P) = sigma (1 + P A)")
    c_s: complex = quantity("", "C_S of the e -> l vertex")
    c_p: complex = quantity("", "C_P of the e -> l vertex")
    alpha_dark: float = quantity("", "alpha_D of the dark sector (0: none)")
    m_chi: float = quantity("GeV", "dark fermion mass")
    note: str = quantity("", "what the numbers are per")
    h: float = quantity("", "coupling normalisation h", default=1.0)
    spectrum: str | None = quantity("", "e_beam: the line shape was written", optional=True)
    out: str | None = quantity("", "file of the line shape", optional=True)

    @classmethod
    def of(cls, res: Resonance, target: Material, m_chi_default: float,
           process: str) -> ResonanceResult:
        """The row of a `Resonance` on ``target`` (a `Material`: the electrons per atom are
        averaged over its atoms) for the production channel ``process``; ``m_chi_default``
        is reported when there is no dark sector."""
        m = res.m_phi
        electrons: float = sum(f * t.Z for t, f in target.atom_fractions())
        if len(target.components) == 1:
            electrons = target.components[0][0].Z
        widths = res.widths_at(m)
        integrated = res.integrated_sigma_pb_gev("all")
        return cls(
            process=process, beam=res.beam, scalar=res.scalar, target=target.name,
            m_phi=m, resonance_energy=res.resonance_energy,
            sigma_peak_pb=res.peak_sigma_pb("all"),
            sigma_peak_invisible_pb=res.peak_sigma_pb("invisible"),
            sigma_integrated_pb_gev=integrated,
            sigma_integrated_invisible_pb_gev=res.integrated_sigma_pb_gev("invisible"),
            sigma_integrated_visible_pb_gev=res.integrated_sigma_pb_gev("visible"),
            sigma_integrated_exact_pb_gev=res.integrated_sigma_exact_pb_gev("all"),
            electrons_per_atom=electrons,
            sigma_integrated_per_atom_pb_gev=electrons * integrated,
            line_width=res.width_in_beam_energy(), gamma_total=float(widths["total"]),
            gamma_entrance=float(widths["entrance"]), polarisation=res.polarisation,
            analysing_power=float(res.analysing_power(res.resonance_energy)),
            c_s=res.vertex.c_s, c_p=res.vertex.c_p,
            alpha_dark=res.dark.alpha_dark if res.dark else 0.0,
            m_chi=res.dark.m_chi if res.dark else m_chi_default,
            note="per target electron at rest; sigma_integrated_*: narrow-width integrals, "
                 "sigma_integrated_exact: the exact line over E_R +- 1e4 widths")


__all__ = [
    "ResonanceResult", "Spectrum", "Spectrum2D", "XsecResult",
]


def __dir__() -> list[str]:
    return __all__
