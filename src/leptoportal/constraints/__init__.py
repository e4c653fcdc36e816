"""Bounds on the coupling matrix: every measurement that constrains the portal, each one
registered `Constraint` (the pattern of pyhf's modifier registry: one module per kind of bound
and a decorator that gives each its one home).

A constraint knows

* its `Measurement`: the measured quantity, the upper limit on it, the confidence level, the
  experiment and the reference (the limit itself stays in a data file with its SOURCE), and
  the masses where it applies;
* what the model predicts for it at a model point (`Constraint.predict()`; None: the
  couplings give it no diagram, so it is exactly zero);
* the largest h it allows for the point's coupling pattern (`Constraint.h_limit()`, exact,
  also where the width of phi enters).

`evaluate()` gives one `Bound` per registered constraint: prediction, limit, ratio, h_limit,
or "not applicable" / "no diagram" with the reason; `constraints_at()` adds the combined bound
(the command ``constraints``). The providers are the modules imported below: `dipoles` (g-2
of mu and e, the EDMs), `lfv_decays` (the cLFV decays, mu -> e phi included), `muonium`,
`missing_energy` (the NA64 searches); a new kind of bound is one module there plus its
import, and its rows in a data file with their SOURCE. The interface and the registry are in
`base`.

Examples
--------

>>> from leptoportal.model import CouplingMatrix, DarkSector, ModelPoint
>>> m = CouplingMatrix.from_mapping({"e-mu": {"cs": 1.0}, "mu-mu": {"cs": 1.0}})
>>> point = ModelPoint(0.5, m, h=1e-4, dark=DarkSector.default(0.5))
>>> bound = CONSTRAINTS["mu -> e gamma"].evaluate(point)
>>> bound.status, f"{bound.h_limit:.3e}", bound.experiment
('bound', '4.264e-06', 'MEG II')
"""

from __future__ import annotations

from leptoportal.constraints import dipoles, lfv_decays, missing_energy, muonium
from leptoportal.constraints.base import (
    CONSTRAINTS,
    STATUSES,
    Bound,
    Constraint,
    ConstraintsResult,
    Measurement,
    combine,
    constraints_at,
    evaluate,
    register,
)

# the providers (imported above, which registers their constraints): dipoles (g-2, EDMs),
# lfv_decays, muonium, missing_energy (NA64)

__all__ = ["CONSTRAINTS", "STATUSES", "Bound", "Constraint", "ConstraintsResult",
           "Measurement", "combine", "constraints_at", "dipoles", "evaluate", "lfv_decays",
           "missing_energy", "muonium", "register"]


def __dir__() -> list[str]:
    return __all__
