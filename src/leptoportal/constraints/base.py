"""The interface and the registry of the constraints (`leptoportal.constraints`): a
`Measurement`, the `Constraint` that predicts it, the `Bound` at a model point, `register()`.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from leptoportal.model import ModelPoint
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
    limit: float = quantity("", "the measured upper limit")
    ratio: float | None = quantity("", "prediction / limit (above 1: excluded)",
                                   nullable=True)
    h_limit: float | None = quantity("", "the largest h the limit allows for the pattern "
                                     "(null: none is excluded)", nullable=True)
    cl: float = quantity("", "confidence level of the limit")
    experiment: str = quantity("", "who measured it")
    source: str = quantity("", "the reference")
    reason: str = quantity("", "why it is not applicable or has no diagram", default="")


class Constraint(ABC):
    """A bound on the coupling matrix from one measurement."""

    #: the constraint's name (its key in `CONSTRAINTS`)
    name: str
    #: what was measured
    measurement: Measurement

    def unavailable(self, point: ModelPoint) -> str | None:
        """Why the measurement does not apply at the point (None: it does)."""
        top = self.measurement.m_phi_max
        if top is not None and point.m_phi > top:
            return f"the measurement covers m_phi <= {top:g} GeV"
        return None

    @abstractmethod
    def predict(self, point: ModelPoint) -> float | None:
        """The model's value of the quantity at the point (None: no diagram, exactly
        zero)."""

    @abstractmethod
    def h_limit(self, point: ModelPoint) -> float:
        """The largest h the limit allows for the point's coupling pattern (inf: none is
        excluded)."""

    def evaluate(self, point: ModelPoint) -> Bound:
        """The bound at the point."""
        m = self.measurement
        common: dict[str, Any] = {"name": self.name, "observable": m.quantity,
                                  "limit": m.limit, "cl": m.cl, "experiment": m.experiment,
                                  "source": m.source}
        why = self.unavailable(point)
        if why is not None:
            return Bound(**common, status="not applicable", prediction=None, ratio=None,
                         h_limit=None, reason=why)
        value = self.predict(point)
        if value is None:
            return Bound(**common, status="no diagram", prediction=0.0, ratio=0.0,
                         h_limit=None, reason="the couplings give no diagram")
        h = self.h_limit(point)
        return Bound(**common, status="bound", prediction=value, ratio=value / m.limit,
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


__all__ = ["CONSTRAINTS", "STATUSES", "Bound", "Constraint", "Measurement", "evaluate",
           "register"]


def __dir__() -> list[str]:
    return __all__
