"""The interface and the registry of the constraints (`leptoportal.constraints`): a
`Measurement`, the `Constraint` that predicts it, the `Bound` at a model point, `register()`.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from leptoportal.model import COUPLING_MAX, ModelPoint, largest_coupling
from leptoportal.results import Result, quantity


@dataclass(frozen=True)
class Measurement:
    """A measured upper limit on a quantity the model predicts."""

    #: the constrained quantity, e.g. "BR(mu -> e gamma)"
    quantity: str
    #: the upper limit on it
    limit: float
    #: its confidence level
    cl: float
    #: who measured it
    experiment: str
    #: the reference (paper, arXiv number)
    source: str
    #: largest m_phi (GeV) where it applies (None: every mass)
    m_phi_max: float | None = None
    #: the unit of the quantity and its limit ("" : dimensionless)
    unit: str = ""


#: the status of a bound at a model point
STATUSES = ("bound", "no diagram", "not applicable")


@dataclass(frozen=True)
class Bound(Result):
    """One constraint at one model point."""

    title = "bound"

    name: str = quantity("", "the constraint")
    observable: str = quantity("", "the constrained quantity")
    status: str = quantity("", "bound | no diagram (exactly zero) | not applicable")
    prediction: float | None = quantity("", "the model's value at the point's h",
                                        nullable=True)
    limit: float = quantity("", "the measured upper limit (in unit; for a measured shift, "
                            "the largest one allowed in the prediction's direction)")
    ratio: float | None = quantity("", "prediction / limit (above 1: excluded)",
                                   nullable=True)
    h_limit: float | None = quantity("", "the largest h the limit allows for the pattern "
                                     "(null: none is excluded)", nullable=True)
    cl: float = quantity("", "confidence level of the limit")
    experiment: str = quantity("", "who measured it")
    source: str = quantity("", "the reference")
    unit: str = quantity("", "the unit of prediction and limit (empty: dimensionless)",
                         default="")
    reason: str = quantity("", "why it is not applicable or has no diagram", default="")
    combined: bool = quantity("", "whether it enters the combined bound (false: an "
                              "alternative shown beside the default one)", default=True)


class Constraint(ABC):
    """A bound on the coupling matrix from one measurement."""

    #: the constraint's name (its key in `CONSTRAINTS`)
    name: str
    #: what was measured
    measurement: Measurement
    #: whether the bound enters the combination (`combine()`); False for an alternative
    #: reading of a measurement shown beside the default one
    combined: bool = True

    def unavailable(self, point: ModelPoint) -> str | None:
        """Why the measurement does not apply at the point (None: it does)."""
        top = self.measurement.m_phi_max
        if top is not None and point.m_phi > top:
            return f"the measurement covers m_phi <= {top:g} GeV"
        return None

    @abstractmethod
    def predict(self, point: ModelPoint) -> float | None:
        """The model's value of the quantity at the point (None: no diagram, exactly
        zero). The ratio to the limit is that of its magnitude."""

    def limit_at(self, point: ModelPoint, prediction: float) -> float:
        """The limit on |prediction| (the measurement's limit; a measured shift allows a
        different one in each direction)."""
        return self.measurement.limit

    def no_diagram(self, point: ModelPoint) -> str:
        """Why the point's couplings give the quantity no diagram."""
        return "the couplings give no diagram"

    @abstractmethod
    def h_limit(self, point: ModelPoint) -> float:
        """The largest h the limit allows for the point's coupling pattern (inf: none is
        excluded)."""

    def evaluate(self, point: ModelPoint) -> Bound:
        """The bound at the point."""
        m = self.measurement
        common: dict[str, Any] = {"name": self.name, "observable": m.quantity,
                                  "cl": m.cl, "experiment": m.experiment, "source": m.source,
                                  "unit": m.unit, "combined": self.combined}
        why = self.unavailable(point)
        if why is not None:
            return Bound(**common, limit=m.limit, status="not applicable", prediction=None,
                         ratio=None, h_limit=None, reason=why)
        value = self.predict(point)
        if value is None:
            return Bound(**common, limit=m.limit, status="no diagram", prediction=0.0,
                         ratio=0.0, h_limit=None, reason=self.no_diagram(point))
        limit = self.limit_at(point, value)
        h = self.h_limit(point)
        ratio = abs(value) / limit if limit > 0 else (math.inf if value else 0.0)
        return Bound(**common, limit=limit, status="bound", prediction=value, ratio=ratio,
                     h_limit=h if math.isfinite(h) else None)


#: the registered constraints, by name (filled by the provider modules imported below)
CONSTRAINTS: dict[str, Constraint] = {}

C = TypeVar("C", bound=Constraint)


def register(constraint: C) -> C:
    """Register a constraint under its name (once)."""
    if constraint.name in CONSTRAINTS:
        raise RuntimeError(f"constraint {constraint.name!r} is registered twice")
    CONSTRAINTS[constraint.name] = constraint
    return constraint


def evaluate(point: ModelPoint,
             only: Callable[[Constraint], bool] | None = None) -> list[Bound]:
    """Every registered constraint (or those ``only`` keeps) at the point."""
    return [c.evaluate(point) for c in CONSTRAINTS.values() if only is None or only(c)]


def h_max(point: ModelPoint) -> float:
    """The largest perturbative h of the point's pattern: every coupling below sqrt(4 pi)
    (inf for a pattern of zeros)."""
    biggest = largest_coupling(point.matrix)
    return COUPLING_MAX / biggest if biggest > 0 else math.inf


def perturbative(h: float, point: ModelPoint) -> float:
    """``h``, or inf where h times the point's largest coupling exceeds sqrt(4 pi) (no
    perturbative coupling reaches the limit)."""
    return h if h <= h_max(point) else math.inf


def scaling_h_limit(at_one: float, limit: float, power: int, point: ModelPoint) -> float:
    """h with |q(h)| = limit for a quantity q = h^power q(1) (inf: q(1) = 0 or no
    perturbative h reaches the limit)."""
    if at_one == 0:
        return math.inf
    return perturbative((limit / abs(at_one)) ** (1.0 / power), point)


def combine(bounds: list[Bound]) -> tuple[float | None, str | None]:
    """The combined bound: the smallest h_limit of the bounds that enter the combination
    (`Bound.combined`), with its constraint's name ((None, None): none bounds h)."""
    best = min(((b.h_limit, b.name) for b in bounds
                if b.combined and b.status == "bound" and b.h_limit is not None),
               default=None)
    return (None, None) if best is None else best


def _g(x: float | None, digits: int) -> str:
    return "-" if x is None else f"{x:.{digits}g}"


@dataclass(frozen=True)
class ConstraintsResult(Result):
    """Every registered bound at one model point, and the combined bound on h."""

    title = "bounds on the coupling matrix"

    m_phi: float = quantity("GeV", "scalar mass")
    h: float = quantity("", "scale multiplying the coupling matrix")
    couplings: dict[str, Any] = quantity("", "the coupling matrix at h = 1")
    alpha_dark: float = quantity("", "alpha_D of the dark sector (0: none)")
    bounds: list[Any] = quantity("", "one bound per registered constraint: name, observable, "
                                 "status, prediction at h, limit, unit, ratio, h_limit, cl, "
                                 "experiment, source, reason, combined")
    h_limit: float | None = quantity("", "the largest h every combined bound allows (null: "
                                     "none bounds h)", nullable=True)
    h_limit_constraint: str | None = quantity("", "the bound that sets h_limit",
                                              nullable=True)
    excluded_by: list[str] = quantity("", "the combined bounds whose ratio exceeds 1 at h",
                                      default_factory=list)

    def for_people(self) -> list[tuple[str, Any]]:
        """A line with the mass and the combined bound, a table of the bounds (numbers to
        4 digits, within 80 columns), the bounds without a diagram in one line, the ones
        that do not apply with their reasons; the JSON keeps every digit and the sources."""
        head = f"m_phi = {self.m_phi:g} GeV, h = {self.h:g}: "
        if self.h_limit is not None:
            head += (f"h_limit = {self.h_limit:.6g} (set by {self.h_limit_constraint}), the "
                     "largest h every combined bound allows")
        else:
            head += "no combined bound limits h"
        head += ("; excluded at this h by " + ", ".join(self.excluded_by)
                 if self.excluded_by else "; allowed at this h")
        rows = []
        for b in self.bounds:
            if b["status"] != "bound":
                continue
            name = b["name"] + ("" if b["combined"] else " *")
            rows.append([name, b["experiment"], _g(b["prediction"], 4), _g(b["limit"], 3),
                         _g(b["ratio"], 3), _g(b["h_limit"], 4)])
        blocks: list[tuple[str, Any]] = [("line", head)]
        if rows:
            blocks.append(("table", (["bound", "by", "predicted", "limit", "ratio",
                                      "h_limit"], rows)))
        zero = [b["name"] for b in self.bounds if b["status"] == "no diagram"]
        if zero:
            blocks.append(("line", "no diagram (exactly 0): " + ", ".join(zero)))
        blocks += [("line", f"{b['name']}: not applicable, {b['reason']}")
                   for b in self.bounds if b["status"] == "not applicable"]
        blocks.append(("line", "units: d_l in e cm, NA64 in signal events, the others "
                       "dimensionless; h_limit '-': no perturbative h reaches the limit"))
        if any(not b["combined"] for b in self.bounds):
            blocks.append(("line", "*: an alternative reading, shown and not combined"))
        return blocks


def constraints_at(point: ModelPoint) -> ConstraintsResult:
    """Every registered constraint at the point (`evaluate()`), combined (`combine()`).

    >>> from leptoportal.model import CouplingMatrix, DarkSector
    >>> m = CouplingMatrix.model("mumu-emu")
    >>> r = constraints_at(ModelPoint(0.05, m, 1e-3, DarkSector.default(0.05),
    ...                               open_lepton_decays=True))
    >>> r.h_limit_constraint, f"{r.h_limit:.3e}"
    ('mu -> e phi', '1.657e-05')
    """
    bounds = evaluate(point)
    h_limit, name = combine(bounds)
    return ConstraintsResult(
        m_phi=point.m_phi, h=point.h, couplings=point.matrix.as_dict(),
        alpha_dark=0.0 if point.dark is None else point.dark.alpha_dark,
        bounds=[b.to_dict() for b in bounds], h_limit=h_limit, h_limit_constraint=name,
        excluded_by=[b.name for b in bounds
                     if b.combined and b.ratio is not None and b.ratio > 1])


__all__ = ["CONSTRAINTS", "STATUSES", "Bound", "Constraint", "ConstraintsResult",
           "Measurement", "combine", "constraints_at", "evaluate", "h_max", "perturbative",
           "register", "scaling_h_limit"]


def __dir__() -> list[str]:
    return __all__
