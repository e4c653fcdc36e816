"""How commands print: one JSON object, or tables for people; progress bars on stderr."""

from __future__ import annotations

import json
import math
import sys
from contextlib import contextmanager

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

stdout = Console()


def emit(obj: dict, as_json: bool, title: str = "") -> None:
    """Print ``obj`` as one JSON object, or as a table for people."""
    if as_json:
        sys.stdout.write(json.dumps(_jsonable(obj), allow_nan=False) + "\n")
        return
    table = Table(title=title or None, show_header=True)
    table.add_column("quantity")
    table.add_column("value")
    for k, v in obj.items():
        table.add_row(str(k), _fmt(v))
    stdout.print(table)


def emit_points(points: list[dict], as_json: bool, extra: dict | None = None,
                title: str = "") -> None:
    """Print a list of result rows (key ``points`` in JSON)."""
    if as_json:
        sys.stdout.write(json.dumps(_jsonable({**(extra or {}), "points": points}),
                                    allow_nan=False) + "\n")
        return
    if extra:
        for k, v in extra.items():
            stdout.print(f"{k}: {_fmt(v)}")
    table = Table(title=title or None)
    keys = list(points[0]) if points else []
    for k in keys:
        table.add_column(k)
    for row in points:
        table.add_row(*[_fmt(row[k]) for k in keys])
    stdout.print(table)


def _fmt(v) -> str:
    if isinstance(v, complex):
        return f"{_fmt(v.real)}{'+' if v.imag >= 0 else '-'}{_fmt(abs(v.imag))}j"
    if isinstance(v, float | np.floating):
        return f"{float(v) + 0.0:.6g}"
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_fmt(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    return str(v)


def _jsonable(obj):
    """JSON-ready values: complex as [re, im], numpy scalars as Python numbers, non-finite
    numbers as null (e.g. a coupling limit that no coupling reaches), -0.0 as 0.0."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item) and not isinstance(obj, str):
        obj = obj.item()
    if isinstance(obj, complex):
        return [_jsonable(obj.real), _jsonable(obj.imag)]
    if isinstance(obj, float):
        return obj + 0.0 if math.isfinite(obj) else None
    return obj


@contextmanager
def progress_bar(title: str, total: int, enabled: bool = True):
    """Yield ``advance(done, total)``; draws on stderr when enabled and a terminal exists."""
    if not enabled:
        yield lambda done, tot: None
        return
    console = Console(stderr=True)
    with Progress(TextColumn(title), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as prog:
        task = prog.add_task(title, total=total)

        def advance(done: int, tot: int) -> None:
            prog.update(task, completed=done, total=tot)

        yield advance
