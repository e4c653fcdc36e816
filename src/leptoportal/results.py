"""Typed results: the base of every result the package returns at its task boundary.

A result is a dataclass whose fields are its numbers and the inputs that produced them.
`Result.to_dict()` gives the flat mapping that the command line prints as JSON and that
scans and tables write as CSV columns (the keys are the field names, in field order, so a
plot made from one works on the other). Fields declared with `quantity()` carry their
unit and meaning, from which the JSON schema of each command is generated; an optional
field left at ``None`` is left out of the mapping (it is an option that was not asked for).

Units: energies, masses, momenta and widths in GeV carry no suffix (the package's natural
unit); every other dimensional quantity names its unit in the key (``sigma_pb``, ``ctau_m``,
``sigma_v_xf_cm3_s``); dimensionless numbers carry none.

Examples
--------

>>> @dataclasses.dataclass
... class Point(Result):
...     m_phi: float = quantity("GeV", "phi mass")
...     h_limit: float = quantity("", "90% CL upper limit on h")
>>> Point(0.3, 1e-3).to_dict()
{'m_phi': 0.3, 'h_limit': 0.001}
>>> Point.units()
{'m_phi': 'GeV'}
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Self

_MISSING: Any = dataclasses.MISSING


def quantity(unit: str = "", doc: str = "", default: Any = _MISSING, *, optional: bool = False,
             nullable: bool = False, default_factory: Any = _MISSING) -> Any:
    """A result field with its ``unit`` ("" for dimensionless or non-numeric) and meaning.

    ``optional=True``: the field defaults to None and is left out of `Result.to_dict()`
    while None. ``nullable=True``: a number that may be infinite (printed as JSON null, e.g.
    a limit that no coupling reaches).
    """
    meta: dict[str, Any] = {"unit": unit, "doc": doc, "optional": optional, "nullable": nullable}
    if optional and default is _MISSING and default_factory is _MISSING:
        default = None
    if default_factory is not _MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


class Result:
    """Base of the typed results, mixed into dataclasses (see the module docstring)."""

    #: one line of what the result is (the title of its table for people)
    title: ClassVar[str] = ""
    #: rows of a table that goes with the result (a spectrum, a line shape): the command
    #: writes them to a file beside its JSON; not part of `to_dict()`
    side_table: list[dict[str, Any]] | None = None
    #: the table's comment lines (its inputs)
    side_comments: list[str] | None = None

    def replaced(self, **changes: Any) -> Self:
        """A copy with some fields changed (results are frozen), its side table kept."""
        out = dataclasses.replace(self, **changes)  # type: ignore[type-var]  # a dataclass
        return out.with_table(self.side_table, self.side_comments)

    def with_table(self, rows: list[dict[str, Any]] | None, comments: list[str] | None) -> Self:
        """A copy that carries the table ``rows`` with its ``comments`` (not fields: they go
        to a file, not to the JSON)."""
        out = dataclasses.replace(self)  # type: ignore[type-var]
        object.__setattr__(out, "side_table", rows)
        object.__setattr__(out, "side_comments", comments)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The flat mapping of the result: field name -> value (optional fields left at None
        are left out)."""
        out = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]  # mixed into dataclasses
            value = getattr(self, f.name)
            if value is None and f.metadata.get("optional"):
                continue
            out[f.name] = value
        return out

    @classmethod
    def units(cls) -> dict[str, str]:
        """Field -> unit of every dimensional field."""
        return {f.name: f.metadata["unit"] for f in dataclasses.fields(cls)  # type: ignore[arg-type]
                if f.metadata.get("unit")}

    @classmethod
    def describe(cls) -> list[dict[str, Any]]:
        """Name, unit, meaning and whether it may be absent, of every field (for the docs and
        the JSON schemas)."""
        return [{"name": f.name, "unit": f.metadata.get("unit", ""),
                 "doc": f.metadata.get("doc", ""), "optional": bool(f.metadata.get("optional")),
                 "nullable": bool(f.metadata.get("nullable")), "type": str(f.type)}
                for f in dataclasses.fields(cls)]  # type: ignore[arg-type]


__all__ = [
    "quantity", "Result",
]


def __dir__() -> list[str]:
    return __all__
