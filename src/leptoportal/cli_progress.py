"""A rich progress bar on stderr that degrades to nothing when disabled."""

from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


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
