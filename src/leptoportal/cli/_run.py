"""How a command runs a task: the command names the request's fields one by one
(``run_one(G2Request, as_json, m_phi=m_phi, h=h, ...)``), the options left out (None) take
the request's defaults, the task registered for the request's kind
(`leptoportal.tasks.TASKS`) computes the result, and one writer prints it (`emit()`; the
result's table, if any, goes to its file). Every request of a list is validated before the
first is computed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leptoportal.cli._options import parse_energy_scan, parse_float_list
from leptoportal.cli._output import PROGRESS_MIN_POINTS, emit, emit_points, progress_bar

if TYPE_CHECKING:
    from leptoportal.results import Result
    from leptoportal.tasks.requests import Request


def request_fields(options: dict[str, Any]) -> dict[str, Any]:
    """The request's fields from a command's options: those given (not None), paths as
    strings, an energy scan parsed from E:N[,E:N...], a list of channels from C[,C...]."""
    out: dict[str, Any] = {}
    for key, value in options.items():
        if value is None:
            continue
        if key == "energy_scan":
            out[key] = parse_energy_scan(value)
        elif key == "production":
            out[key] = [c.strip() for c in str(value).split(",")]
        else:
            out[key] = str(value) if isinstance(value, Path) else value
    return out


def write_table(result: Result) -> None:
    """Write the table that goes with a result (a spectrum, a line shape) to its ``out``."""
    table = getattr(result, "side_table", None)
    if table is None:
        return
    from leptoportal.outputs import write_csv

    out: str = result.out  # type: ignore[attr-defined]  # a result with a side table has one
    write_csv(out, table, getattr(result, "side_comments", None) or ())


def run_one(request: type[Request], as_json: bool, title: str = "",
            **fields: Any) -> None:
    """Run the task of ``request`` on the given fields and print its result."""
    from leptoportal import tasks
    from leptoportal.outputs import check_output_file

    req = tasks.build(request, request_fields(fields))
    out = getattr(req, "out", None)
    if out is not None:  # checked before anything is computed
        check_output_file(out, force=bool(getattr(req, "force", False)))
    result = tasks.TASKS[request.kind].run(req)
    write_table(result)
    emit(result, as_json, title)


def run_points(request: type[Request], as_json: bool, quiet: bool, m_phi: str,
               title: str = "", write: Callable[[Any, list[Any]], None] | None = None,
               **fields: Any) -> None:
    """Run the task of ``request`` once per mass of ``m_phi`` (M[,M...]) with a progress
    bar, and print the results with the inputs they share (`TaskKind.shared`);
    ``write(shared, points)`` writes files of the results before they are printed."""
    from leptoportal import tasks

    kind = tasks.TASKS[request.kind]
    base = request_fields(fields)
    requests = [tasks.build(request, {**base, "m_phi": m})
                for m in parse_float_list("m_phi", m_phi)]
    inputs = kind.shared(requests[0]) if kind.shared is not None else None
    points = []
    show = not (as_json or quiet) and len(requests) >= PROGRESS_MIN_POINTS
    with progress_bar(title or kind.name, len(requests), enabled=show) as advance:
        for i, req in enumerate(requests):
            points.append(kind.run(req))
            advance(i + 1, len(requests))
    if write is not None:
        write(inputs, points)
    emit_points(points, as_json, inputs.to_dict() if inputs is not None else {}, title)
