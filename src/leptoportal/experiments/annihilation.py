"""The annihilation channels: l+ e- -> phi in the s channel on the target's atomic electrons,
of the beam itself (``resonant``: positive beams) and of the positrons of an electron beam's
shower (``shower-positrons``: thick electron targets).

Their events are computed at the model point, not scaled: the line shape depends on the total
width of phi, hence on h. The yields per beam particle are `resonant.resonant_yield()` and
`resonant.shower_positron_yield()`; the events below count phi decaying invisibly (the exact
line shape with the running invisible width), or, with the point's ``br_invisible`` fixed,
every final state times it.

Examples
--------

>>> from leptoportal.experiments import get_preset
>>> from leptoportal.model import DarkSector
>>> point = ModelPoint(0.418, h=1e-3, dark=DarkSector.default(0.418))
>>> n, err = BeamAnnihilation().events(get_preset("na64mu-plus"), point, Numerics())
>>> n > 1.0, err
(True, 0.0)
"""

from __future__ import annotations

from leptoportal.constants import LEPTON_MASS, M_E
from leptoportal.experiments.channels import ProductionChannel
from leptoportal.experiments.presets import ExperimentConfig
from leptoportal.experiments.resonant import resonant_yield, shower_positron_yield
from leptoportal.model import CouplingMatrix, ModelPoint
from leptoportal.numerics import Numerics
from leptoportal.production.resonance import ANNIHILATING_BEAMS, Resonance


def _final_state(point: ModelPoint) -> tuple[str, float]:
    """The counted final state and the factor it is scaled by: invisible decays, or all
    final states times a fixed Br_inv."""
    fixed = point.br_invisible
    return ("all", fixed) if fixed is not None else ("invisible", 1.0)


class BeamAnnihilation(ProductionChannel):
    """l+ e- -> phi of the positive beam on the atomic electrons, over every run, with the
    scalar's energy above the set-up's e_phi_min (its missing energy)."""

    name = "resonant"

    def has_signal(self, cfg: ExperimentConfig, matrix: CouplingMatrix) -> bool:
        return matrix.vertex("e", ANNIHILATING_BEAMS[cfg.beam]).norm2 > 0

    def needs(self, cfg: ExperimentConfig, matrix: CouplingMatrix) -> str:
        return f"e-{ANNIHILATING_BEAMS[cfg.beam]} (resonance)"

    def events(self, cfg: ExperimentConfig, point: ModelPoint,
               numerics: Numerics) -> tuple[float, float]:
        """Invisible phi of all runs (0 without the e-l coupling or below the l+ e-
        threshold); exact quadrature, no Monte-Carlo error."""
        flavour = ANNIHILATING_BEAMS[cfg.beam]
        if (point.matrix.vertex("e", flavour).norm2 == 0
                or point.m_phi <= LEPTON_MASS[flavour] + M_E):
            return 0.0, 0.0
        res = Resonance(cfg.beam, point.m_phi, point.couplings, point.dark, cfg.polarisation)
        final, scale = _final_state(point)
        total = 0.0
        for energy, n in cfg.beam_points():
            total += n * resonant_yield(res, cfg.target, energy, cfg.thickness_x0,
                                        cfg.beam_energy_spread, final, cfg.electron_motion,
                                        e_min=cfg.e_phi_min)
        return total * scale, 0.0


class ShowerAnnihilation(ProductionChannel):
    """e+ e- -> phi of the shower positrons of an electron beam on the atomic electrons, with
    the scalar's energy above the set-up's e_conv_min (its missing energy)."""

    name = "shower-positrons"

    def has_signal(self, cfg: ExperimentConfig, matrix: CouplingMatrix) -> bool:
        return matrix.vertex("e", "e").norm2 > 0

    def needs(self, cfg: ExperimentConfig, matrix: CouplingMatrix) -> str:
        return "e-e (shower positrons)"

    def events(self, cfg: ExperimentConfig, point: ModelPoint,
               numerics: Numerics) -> tuple[float, float]:
        """Invisible phi of all runs with the Monte-Carlo error of the shower table (0
        without an electron-diagonal coupling or below the e+ e- threshold)."""
        if point.matrix.vertex("e", "e").norm2 == 0 or point.m_phi <= 2.0 * M_E:
            return 0.0, 0.0
        res = Resonance("e+", point.m_phi, point.couplings, point.dark)
        final, scale = _final_state(point)
        total = total_err = 0.0
        for energy, n in cfg.beam_points():
            value, err = shower_positron_yield(res, cfg.target, energy, cfg.thickness_x0,
                                               max(cfg.e_conv_min, cfg.e_phi_min), final,
                                               cfg.electron_motion)
            total, total_err = total + n * value, total_err + n * err
        return total * scale, total_err * scale


__all__ = ["BeamAnnihilation", "ShowerAnnihilation"]


def __dir__() -> list[str]:
    return __all__
