"""How commands print: one JSON object (`leptoportal.outputs.json_text()`), or tables for
people (user strings are never read as rich markup); progress bars on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

stdout = Console()


def _json(obj: Any) -> None:
    from leptoportal.outputs import json_text

    sys.stdout.write(json_text(obj) + "\n")


def emit(obj: Any, as_json: bool, title: str = "") -> None:
    """Print a result (or a mapping) as one JSON object, or as a table for people."""
    if as_json:
        _json(obj)
        return
    if hasattr(obj, "to_dict"):
        title = title or getattr(obj, "title", "")
        obj = obj.to_dict()
    table = Table(title=Text(title) if title else None, show_header=True)
    table.add_column("quantity")
    table.add_column("value")
    for k, v in obj.items():
        table.add_row(Text(str(k)), Text(_fmt(v)))
    stdout.print(table)


def emit_points(points: list[Any], as_json: bool, extra: dict[str, Any] | None = None,
                title: str = "") -> None:
    """Print a list of results (key ``points`` in JSON) with the inputs they share."""
    rows = [p.to_dict() if hasattr(p, "to_dict") else p for p in points]
    if as_json:
        _json({**(extra or {}), "points": rows})
        return
    if points and all(hasattr(p, "for_people") for p in points):
        _blocks(title, extra or {}, [b for p in points for b in p.for_people()])
        return
    for k, v in (extra or {}).items():
        stdout.print(Text(f"{k}: {_fmt(v)}"))
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    table = Table(title=Text(title) if title else None)
    for k in keys:
        table.add_column(Text(k))
    for row in rows:
        table.add_row(*[Text(_fmt(row.get(k, ""))) for k in keys])
    stdout.print(table)


def _blocks(title: str, extra: dict[str, Any], blocks: list[tuple[str, Any]]) -> None:
    """Lines and compact tables (a result's ``for_people()``): numbers as the result gives
    them, columns never cut (the table is narrow enough for 80 columns)."""
    from rich import box

    if title:
        say(title)
    for k, v in extra.items():
        say(f"{k}: {_fmt(v)}")
    for kind, body in blocks:
        if kind == "line":
            say(body)
            continue
        columns, rows = body
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for name in columns:
            table.add_column(Text(name), no_wrap=True)
        for row in rows:
            table.add_row(*[Text(str(cell)) for cell in row])
        stdout.print(table)


def say(text: str) -> None:
    """Print a line for people (never read as markup)."""
    stdout.print(Text(text))


def _fmt(v: Any) -> str:
    if isinstance(v, complex):
        return f"{_fmt(v.real)}{'+' if v.imag >= 0 else '-'}{_fmt(abs(v.imag))}j"
    if isinstance(v, float) or (hasattr(v, "dtype") and getattr(v, "ndim", 1) == 0):
        return f"{float(v) + 0.0:.6g}"
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_fmt(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    return str(v)


#: a list command draws its progress bar from this many points
PROGRESS_MIN_POINTS = 4


@contextmanager
def progress_bar(title: str, total: int, enabled: bool = True) -> Iterator[Callable[..., Any]]:
    """Yield ``advance(done, total, what=None)`` (``what`` renames the stage); draws a bar
    with the elapsed time and the time left on stderr when enabled and stderr is a terminal
    (the commands disable it with --json and --quiet; pipes never see it)."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield lambda done, tot, what=None: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn(title.replace("[", r"\[")), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=console,
                  transient=True) as prog:
        task = prog.add_task(title, total=total)

        def advance(done: int, tot: int, what: str | None = None) -> None:
            prog.update(task, completed=done, total=tot)
            if what is not None:
                column = prog.columns[0]
                if isinstance(column, TextColumn):
                    column.text_format = f"{title}: {what}".replace("[", r"\[")

        yield advance
