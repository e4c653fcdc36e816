"""The registry of task kinds: each kind is declared once, by the `task()` decorator on its
function in `leptoportal.tasks`, with its request type, its result type(s), what a list of
its points shares and one line for its JSON schema. The scan keys, the command's schema and
`leptoportal.tasks.run_task()` all read `TASKS` (the pattern of pyhf's modifier registry).

Result types are named as ``"module:Class"`` and imported on first use
(`TaskKind.result_types()`): declaring a kind costs no import of its physics, so that
``leptoportal --help`` stays fast.

Examples
--------

>>> from leptoportal import tasks
>>> kind = tasks.TASKS["g2"]
>>> kind.request.__name__, [t.__name__ for t in kind.result_types()]
('G2Request', ['G2Result'])
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from leptoportal.results import Result
from leptoportal.tasks.requests import Request

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class TaskKind:
    """One kind of task: what it is asked (``request``), what it does (``run``), what it
    returns (``results``, as ``"module:Class"``), what a list of its points shares
    (``shared``, whose result type is ``shared_result``) and one line for its schema."""

    name: str
    request: type[Request]
    run: Callable[[Any], Result]
    results: tuple[str, ...]
    summary: str
    shared: Callable[[Any], Result] | None = None
    shared_result: str | None = None

    def result_types(self) -> tuple[type[Result], ...]:
        """The result classes (imported now)."""
        return tuple(_resolve(name) for name in self.results)

    def shared_type(self) -> type[Result] | None:
        """The class of what a list of points shares, or None."""
        return None if self.shared_result is None else _resolve(self.shared_result)


def _resolve(name: str) -> type[Result]:
    module, _, cls = name.partition(":")
    resolved: type[Result] = getattr(importlib.import_module(module), cls)
    return resolved


#: task kind -> its declaration, in the order of the physics chain
TASKS: dict[str, TaskKind] = {}


def task(request: type[Request], results: tuple[str, ...], summary: str,
         shared: Callable[[Any], Result] | None = None,
         shared_result: str | None = None) -> Callable[[F], F]:
    """Register the decorated function as the task of ``request.kind`` (once)."""

    def register(run: F) -> F:
        if request.kind in TASKS:
            raise RuntimeError(f"task kind {request.kind!r} is registered twice")
        TASKS[request.kind] = TaskKind(request.kind, request, run, results, summary, shared,
                                       shared_result)
        return run

    return register


__all__ = ["TASKS", "TaskKind", "task"]


def __dir__() -> list[str]:
    return __all__
