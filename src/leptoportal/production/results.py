"""Result containers of production: a cross-section and a differential cross-section, each
with its uncertainty and the inputs that produced it."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from leptoportal.constants import PB_TO_CM2
from leptoportal.production.process import Process


@dataclass
class XsecResult:
    """A cross-section (pb) with its uncertainty and the inputs that produced it.

    Example: ``cross_section(Process("e-", 100.0, "Pb", 0.2), "ww").sigma_pb``.
    """

    sigma_pb: float
    sigma_err_pb: float
    method: str
    beam: str
    energy: float
    target: str
    m_phi: float
    c_s: complex
    c_p: complex
    form_factor: str
    final_lepton: str = ""
    scalar: str = ""
    details: dict = field(default_factory=dict)

    @classmethod
    def of(cls, proc: Process, method: str, sigma_pb: float, sigma_err_pb: float,
           details: dict) -> XsecResult:
        """The result of ``method`` for ``proc``."""
        return cls(sigma_pb=sigma_pb, sigma_err_pb=sigma_err_pb, method=method, beam=proc.beam,
                   energy=proc.energy, target=proc.target.name, m_phi=proc.m_phi,
                   c_s=proc.pair_couplings.c_s, c_p=proc.pair_couplings.c_p,
                   form_factor=proc.form_factor, final_lepton=proc.out_lepton,
                   scalar=proc.scalar, details=details)

    @property
    def rel_err(self) -> float:
        return self.sigma_err_pb / self.sigma_pb if self.sigma_pb > 0 else math.inf

    def as_dict(self) -> dict:
        d = asdict(self)
        d["sigma_cm2"] = self.sigma_pb * PB_TO_CM2
        d["sigma_err_cm2"] = self.sigma_err_pb * PB_TO_CM2
        return d


@dataclass
class Spectrum:
    """dsigma/dO in pb per unit of O, with per-bin errors, for one observable."""

    observable: str
    edges: np.ndarray
    dsigma: np.ndarray
    dsigma_err: np.ndarray
    total: XsecResult

    def to_hist(self):
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
