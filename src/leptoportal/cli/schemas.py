"""The JSON schema of each command's ``--json`` output, generated from the typed results.

One naming rule holds for every key (and every CSV column, which are the same keys):
energies, masses, momenta and widths are in GeV and carry no suffix; every other dimensional
quantity names its unit at the end of its key (``sigma_pb``, ``ctau_m``, ``time_s``,
``sigma_v_xf_cm3_s``, ``sigma_integrated_pb_gev``); dimensionless numbers carry none. Each
property of a schema states its unit (``x-unit``) and meaning. A number that is not finite
(a coupling that no coupling reaches) is printed as ``null``; complex couplings as
``[re, im]``.

``leptoportal schema COMMAND`` prints one; the documentation lists them all.

Examples
--------

>>> s = command_schema("widths")
>>> s["properties"]["ctau_m"]["x-unit"]
'm'
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

#: JSON Schema dialect of the generated schemas
DIALECT = "https://json-schema.org/draft/2020-12/schema"

_JSON_TYPES: dict[str, dict[str, Any]] = {"float": {"type": "number"}, "int": {"type": "integer"},
               "str": {"type": "string"}, "bool": {"type": "boolean"},
               "dict": {"type": "object"}, "list": {"type": "array"},
               "complex": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                           "maxItems": 2},
               "None": {"type": "null"}}


class Output(NamedTuple):
    """What a command prints with ``--json``: one of ``results``, or, with ``shared``, the
    shared inputs and a list ``points`` of the results."""

    results: tuple[type, ...]
    shared: type | None = None
    summary: str = ""


#: commands of a task kind that print one result for one mass and ``points`` for a list
LISTABLE = ("yield",)


@functools.cache
def outputs() -> dict[str, Output]:
    """Command -> what its --json prints: the task kinds' from their registration
    (`leptoportal.tasks.TASKS`), the other commands' here (imported on first use)."""
    from leptoportal import tasks
    from leptoportal.cache import CacheInfo
    from leptoportal.examples import ExamplesWritten
    from leptoportal.reproduce import ReproduceSummary
    from leptoportal.scan import ScanSummary
    from leptoportal.tasks.results import GenerateResult
    from leptoportal.validate import ValidationReport

    kinds = {name: Output(kind.result_types(), kind.shared_type(), kind.summary)
             for name, kind in tasks.TASKS.items()}
    return {
        **kinds,
        "generate": Output((GenerateResult,), summary="the event file and its run"),
        "reproduce": Output((ReproduceSummary,),
                            summary="the reproduction's summary (summary.json)"),
        "scan": Output((ScanSummary,), summary="what a scan wrote"),
        "validate": Output((ValidationReport,), summary="every check (validation.json)"),
        "examples": Output((ExamplesWritten,), summary="the example files written"),
        "cache": Output((CacheInfo,), summary="the cache"),
    }


#: the commands whose --json output has a schema
COMMANDS = ("g2", "g2-band", "widths", "lfv", "constraints", "xsec", "yield", "limit", "relic",
            "relic-target", "generate", "reproduce", "scan", "validate", "examples", "cache")


def _property(field: dict[str, Any]) -> dict[str, Any]:
    types = [t.strip() for t in field["type"].split("|")]
    options = [_JSON_TYPES.get(t, {}) for t in types]
    if field["nullable"] and {"type": "null"} not in options:
        options.append({"type": "null"})
    prop: dict[str, Any] = dict(options[0]) if len(options) == 1 else {"anyOf": options}
    prop["description"] = field["doc"]
    if field["unit"]:
        prop["x-unit"] = field["unit"]
    return prop


def object_schema(cls: type, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The schema of a result class's ``to_dict()``: every field a property with its unit
    and meaning, the non-optional ones required, no other key allowed."""
    fields = cls.describe()  # type: ignore[attr-defined]
    props = {f["name"]: _property(f) for f in fields}
    props.update(extra or {})
    required = [f["name"] for f in fields if not f["optional"]] + list(extra or {})
    return {"title": cls.__name__, "description": (cls.__doc__ or "").strip().split("\n")[0],
            "type": "object", "properties": props, "required": required,
            "additionalProperties": False}


def _one_of(classes: tuple[type, ...]) -> dict[str, Any]:
    schemas = [object_schema(c) for c in classes]
    return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}


def command_schema(command: str) -> dict[str, Any]:
    """The JSON schema of ``leptoportal COMMAND --json``."""
    from leptoportal.errors import require_choice

    require_choice("command", command, COMMANDS)
    out = outputs()[command]
    if out.shared is None and command in LISTABLE:
        points = {"type": "array", "items": _one_of(out.results),
                  "description": "one object per mass (in the order given)"}
        listed = {"type": "object", "properties": {"points": points}, "required": ["points"],
                  "additionalProperties": False}
        body = {"anyOf": [_one_of(out.results), listed]}
    elif out.shared is None:
        body = _one_of(out.results)
    else:
        points = {"type": "array", "items": _one_of(out.results),
                  "description": "one object per mass (in the order given)"}
        body = object_schema(out.shared, {"points": points})
    return {"$schema": DIALECT, "$id": f"leptoportal/{command}.schema.json",
            "title": f"leptoportal {command} --json",
            "description": out.summary, **{k: v for k, v in body.items()
                                           if k not in ("title", "description")}}


def field_rows(command: str) -> list[tuple[str, str, str, str]]:
    """(key, type, unit, meaning) of every key a command prints (for the documentation)."""
    out = outputs()[command]
    rows = []
    classes = ([out.shared] if out.shared else []) + list(out.results)
    seen: set[str] = set()
    for cls in classes:
        prefix = "points[]." if out.shared and cls is not out.shared else ""
        for f in cls.describe():  # type: ignore[attr-defined]  # a Result
            key = prefix + f["name"]
            if key in seen:
                continue
            seen.add(key)
            kind = f["type"] + (" (optional)" if f["optional"] else "")
            rows.append((key, kind, f["unit"], f["doc"]))
    return rows


__all__ = ["COMMANDS", "DIALECT", "LISTABLE", "Output", "command_schema", "field_rows",
           "object_schema", "outputs"]


def __dir__() -> list[str]:
    return __all__

