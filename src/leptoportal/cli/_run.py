"""How a command runs a task: its options become the task's request (the function's
parameters are named as the request's fields), the task's result goes to one writer.

A command is ``run_one(kind, locals())`` or ``run_points(kind, locals())``: the options ->
`leptoportal.tasks.build()` -> ``tasks.<kind>`` -> `emit()` (and the
result's table, if any, to its file). Every request of a list is validated before the first
is computed.
"""

from __future__ import annotations

from pathlib import Path

from leptoportal.cli._options import parse_energy_scan, parse_float_list
from leptoportal.cli._output import PROGRESS_MIN_POINTS, emit, emit_points, progress_bar


def request_options(options: dict) -> dict:
    """The request's parameters from a command's options: paths as strings, ``no_cache`` as
    ``cache``, the energy scan parsed; ``as_json``, ``quiet`` and options left at None
    dropped."""
    out = {}
    for key, value in options.items():
        if key in ("as_json", "quiet") or value is None:
            continue
        if key == "no_cache":
            out["cache"] = not value
        elif key == "energy_scan":
            out[key] = parse_energy_scan(value)
        else:
            out[key] = str(value) if isinstance(value, Path) else value
    return out


def write_table(result) -> None:
    """Write the table that goes with a result (a spectrum, a line shape) to its ``out``."""
    if getattr(result, "side_table", None) is None:
        return
    from leptoportal.outputs import write_csv

    write_csv(result.out, result.side_table, result.side_comments or ())


def check_out(options: dict) -> None:
    """Check an output file option before anything is computed."""
    if options.get("out") is not None:
        from leptoportal.outputs import check_output_file

        check_output_file(options["out"], force=bool(options.get("force")))


def run_one(kind: str, options: dict, title: str = "") -> None:
    """Run one task from a command's options and print its result."""
    from leptoportal import tasks

    as_json = bool(options.get("as_json"))
    request = tasks.build(kind, request_options(options))
    check_out(options)
    result = tasks.TASKS[kind](request)
    write_table(result)
    emit(result, as_json, title)


def run_points(kind: str, options: dict, title: str = "", over: str = "m_phi",
               write=None) -> None:
    """Run one task per value of the list option ``over`` (M[,M...]) with a progress bar, and
    print the results with the inputs they share (`leptoportal.tasks.SHARED`);
    ``write(shared, points)`` writes files of the results before they are printed."""
    from leptoportal import tasks

    as_json = bool(options.get("as_json"))
    values = parse_float_list(over, options[over])
    base = request_options(options)
    requests = [tasks.build(kind, {**base, over: v}) for v in values]
    shared = tasks.SHARED.get(kind)
    inputs = shared(requests[0]) if shared is not None else None
    points = []
    show = not (as_json or options.get("quiet")) and len(requests) >= PROGRESS_MIN_POINTS
    with progress_bar(title or kind, len(requests), enabled=show) as advance:
        for i, req in enumerate(requests):
            points.append(tasks.TASKS[kind](req))
            advance(i + 1, len(requests))
    if write is not None:
        write(inputs, points)
    emit_points(points, as_json, inputs.to_dict() if inputs is not None else {}, title)
