"""How commands print: one JSON object, or tables for people; progress bars on stderr."""

from __future__ import annotations

import json
import math
import sys
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

stdout = Console()


def emit(obj: dict, as_json: bool, title: str = "") -> None:
    """Print ``obj`` as one JSON object, or as a table for people."""
    if as_json:
        sys.stdout.write(json.dumps(_jsonable(obj)) + "\n")
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
        sys.stdout.write(json.dumps(_jsonable({**(extra or {}), "points": points})) + "\n")
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
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    return str(v)


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, complex):
        return [obj.real, obj.imag]
    if hasattr(obj, "item") and callable(obj.item):
        return obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
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
