"""The leptons' magnetic and electric dipole moments as constraints: both come from the one
loop of `leptoportal.lfv` at i = j, whose amplitude e eps* ubar i sigma q (A_L P_L + A_R P_R) u
(A_L = A_R* for a hermitian vertex) has

    Delta a_l = m_l (A_L + A_R) = 2 m_l Re A_R,        d_l = e Im(A_R - A_L) / 2 = e Im A_R

(L = -(e a_l / 4 m_l) lbar sigma F l - (i/2) d_l lbar sigma gamma5 F l). The imaginary part
exists only where a vertex has a relative phase between C_S and C_P, and is chirally enhanced
by the internal lepton's mass: for one internal lepton F it is the chirally enhanced part of
Delta a_l with |C_S|^2 - |C_P|^2 replaced by 2 Im(C_S* C_P) (tests/test_constraints.py checks
that route against `leptoportal.g2`). The sign of d_l follows the phase convention of the
couplings; the limits bound |d_l|.

* g-2: Delta a_l = h^2 Delta a_l(1) (`leptoportal.g2.delta_a_lepton()`, the dispersive part
  where l -> F phi is open) against a measured shift Delta a_exp +- sigma with the
  conservative rule of `leptoportal.g2.allowed_shift()`: |Delta a_NP| <= max(0, s Delta_exp)
  + z(CL) sigma in the direction s of the contribution, so that a positive (scalar-like) and
  a negative (pseudoscalar-like) contribution are both bounded. The muon: the final world
  average against the White Paper 2025 (`G2_DATASETS`). The electron: a_e(exp) of Fan et al.
  against alpha from Rb (default) and from Cs (shown beside it, not combined): the two
  values of alpha disagree by more than 5 sigma, Rb's is the more precise (81 ppt against
  200 ppt) and its Delta a_e is within 2.1 sigma of zero, so it is the default.
* EDM: |d_l| = h^2 |d_l(1)| against data/edm_limits.csv.

Examples
--------

>>> from leptoportal.constraints import CONSTRAINTS
>>> from leptoportal.model import CouplingMatrix, ModelPoint
>>> m = CouplingMatrix.from_mapping({"e-mu": {"cs": 0.5, "cp": "0.5j"}})
>>> bound = CONSTRAINTS["d_e"].evaluate(ModelPoint(0.5, m, h=1e-6))
>>> bound.status, bound.unit, f"{bound.h_limit:.3e}"
('bound', 'e cm', '2.824e-07')
"""

from __future__ import annotations

import csv
import functools
import math
from importlib import resources

from leptoportal import defaults, g2, lfv
from leptoportal.constants import HBARC_GEV_M, LEPTON_MASS
from leptoportal.constraints.base import Constraint, Measurement, register, scaling_h_limit
from leptoportal.model import LEPTONS, CouplingMatrix, ModelPoint

#: GeV^-1 in cm (hbar c)
GEV_INV_CM = HBARC_GEV_M * 100.0
#: relative distance of m_phi to a threshold m_l - m_F within which the one-loop moment is
#: not given: Delta a_l grows as (m_phi - m_l + m_F)^(-1/2) above the threshold (its real
#: part is finite below it), and at it the Feynman-parameter integral diverges
THRESHOLD_WINDOW = 1e-9

#: the g-2 measurements kept as bounds: (lepton, dataset of `leptoportal.g2`, combined)
G2_DATASETS = (("mu", "fnal2025", True), ("e", "rb2020", True), ("e", "cs2018", False))

#: who measured each g-2 data set (a_exp; the SM prediction is in the data set's a_sm)
G2_EXPERIMENTS = {"fnal2025": "FNAL+BNL", "rb2020": "a_e, Rb", "cs2018": "a_e, Cs"}


def has_loop(matrix: CouplingMatrix, lepton: str) -> bool:
    """True if some vertex l -> F of the matrix closes the lepton's one loop."""
    return any(matrix.vertex(lepton, f).norm2 > 0 for f in LEPTONS)


class AnomalousMagneticMoment(Constraint):
    """Delta a_l of the portal against a measured shift (module docstring)."""

    def __init__(self, lepton: str, dataset: str, combined: bool = True) -> None:
        self.lepton = lepton
        self.dataset = g2.get_dataset(dataset, lepton)
        self.name = f"g-2 {lepton} ({dataset})"
        self.combined = combined
        self.cl = defaults.CL
        self.measurement = Measurement(
            f"Delta a_{lepton}", g2.allowed_shift(self.dataset, +1.0, self.cl), self.cl,
            G2_EXPERIMENTS[dataset], f"{self.dataset.a_exp}; SM: {self.dataset.a_sm}")

    def unavailable(self, point: ModelPoint) -> str | None:
        for f in LEPTONS:
            edge = LEPTON_MASS[self.lepton] - LEPTON_MASS[f]
            if (point.matrix.vertex(self.lepton, f).norm2 > 0 and edge > 0
                    and abs(point.m_phi - edge) <= THRESHOLD_WINDOW * edge):
                return (f"m_phi is at the threshold m_{self.lepton} - m_{f} = {edge:.6g} GeV "
                        "of the decay into phi, where the one-loop moment is singular")
        return super().unavailable(point)

    def at_one(self, point: ModelPoint) -> float:
        """Delta a_l at h = 1."""
        value = g2.delta_a_lepton(self.lepton, point.m_phi, point.matrix, True)
        assert value is not None  # with open_lepton_decays every loop has a value
        return value

    def predict(self, point: ModelPoint) -> float | None:
        if not has_loop(point.matrix, self.lepton):
            return None
        return point.h**2 * self.at_one(point)

    def limit_at(self, point: ModelPoint, prediction: float) -> float:
        return g2.allowed_shift(self.dataset, prediction or 1.0, self.cl)

    def h_limit(self, point: ModelPoint) -> float:
        value = self.at_one(point)
        if value == 0:
            return math.inf
        return scaling_h_limit(value, g2.allowed_shift(self.dataset, value, self.cl), 2,
                               point)

    def no_diagram(self, point: ModelPoint) -> str:
        return f"no entry of the matrix couples phi to the {self.lepton}"


def electric_dipole(lepton: str, m_phi: float, matrix: CouplingMatrix) -> lfv.Dipole | float:
    """d_l (e cm) of the matrix at h = 1 from the one-loop dipole (module docstring), or the
    `leptoportal.lfv.Dipole` naming the open decay where the loop is absorptive.

    >>> m = CouplingMatrix.from_mapping({"e-mu": {"cs": 0.5, "cp": "0.5j"}})
    >>> f"{electric_dipole('e', 0.5, m):.4e}"
    '5.1396e-17'
    """
    d = lfv.dipole(lepton, lepton, m_phi, matrix)
    if d.open_channel is not None:
        return d
    return float((d.a_r - d.a_l).imag / 2.0) * GEV_INV_CM


class ElectricDipoleMoment(Constraint):
    """|d_l| of the portal against its measured upper limit (module docstring)."""

    def __init__(self, lepton: str, limit: float, cl: float, experiment: str,
                 source: str) -> None:
        self.lepton = lepton
        self.name = f"d_{lepton}"
        self.measurement = Measurement(f"|d_{lepton}|", limit, cl, experiment, source,
                                       unit="e cm")

    def _at_one(self, point: ModelPoint) -> lfv.Dipole | float:
        return _electric_dipole(self.lepton, point.m_phi, point.matrix)

    def unavailable(self, point: ModelPoint) -> str | None:
        why = super().unavailable(point)
        if why is None and has_loop(point.matrix, self.lepton):
            d = self._at_one(point)
            if isinstance(d, lfv.Dipole):
                why = f"not computed: {d.open_channel} is open (the loop has an absorptive part)"
        return why

    def predict(self, point: ModelPoint) -> float | None:
        if not has_loop(point.matrix, self.lepton):
            return None
        d = self._at_one(point)
        assert not isinstance(d, lfv.Dipole)  # unavailable() said so
        return point.h**2 * d

    def h_limit(self, point: ModelPoint) -> float:
        d = self._at_one(point)
        assert not isinstance(d, lfv.Dipole)
        return scaling_h_limit(d, self.measurement.limit, 2, point)

    def no_diagram(self, point: ModelPoint) -> str:
        return f"no entry of the matrix couples phi to the {self.lepton}"


@functools.lru_cache(maxsize=256)
def _electric_dipole(lepton: str, m_phi: float, matrix: CouplingMatrix
                     ) -> lfv.Dipole | float:
    """`electric_dipole()` once per point (the prediction and h_limit share it)."""
    return electric_dipole(lepton, m_phi, matrix)


@functools.cache
def edm_limits() -> list[dict[str, str]]:
    """The rows of data/edm_limits.csv (its SOURCE gives each number's origin)."""
    text = resources.files("leptoportal").joinpath("data/edm_limits.csv").read_text()
    return list(csv.DictReader(text.splitlines()))


for _lepton, _dataset, _combined in G2_DATASETS:
    register(AnomalousMagneticMoment(_lepton, _dataset, _combined))
for _row in edm_limits():
    register(ElectricDipoleMoment(_row["lepton"], float(_row["d_limit_e_cm"]),
                                  float(_row["cl"]), _row["experiment"], _row["reference"]))

__all__ = ["G2_DATASETS", "GEV_INV_CM", "THRESHOLD_WINDOW", "AnomalousMagneticMoment",
           "ElectricDipoleMoment", "edm_limits", "electric_dipole", "has_loop"]


def __dir__() -> list[str]:
    return __all__
