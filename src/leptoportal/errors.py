"""The package's errors, and the validators that raise them.

A small hierarchy in physics words (the command line alone speaks of ``--flags``):

* `LeptoportalError`: the base of every error raised on purpose;
* `InputError`: a value outside its physical or allowed range, a wrong type or an
  unknown name (bad input);
* `DomainError`: an input outside the kinematic domain of a process (below threshold,
  a channel whose coupling is zero): an `InputError` too;
* `NoSolutionError`: a physics outcome, not bad input: no value of a parameter gives
  the requested result (e.g. no coupling gives Omega h^2 = 0.120);
* `CacheIntegrityError`: a stored record failed its integrity check (the store
  recomputes it; raised only where a record is read on purpose);
* `OutputError`: a result cannot be written (the file and the cause are named).

Every message is one line that names the offending value and the allowed range. An error
about parameters lists their names in ``parameters``; the command line replaces those names
by its option flags (``m_phi`` -> ``--m-phi``).

Examples
--------

>>> require_range("m_phi", 0.05, 0.1, 100.0)
Traceback (most recent call last):
...
leptoportal.errors.InputError: m_phi = 0.05 is outside the allowed range [0.1, 100]
>>> require_choice("beam", "mu", ("mu-", "mu+"))
Traceback (most recent call last):
...
leptoportal.errors.InputError: beam = 'mu' is not one of: mu-, mu+ (did you mean 'mu-'?)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any


class LeptoportalError(Exception):
    """Base of every error the package raises on purpose."""

    def __init__(self, message: str, *, parameters: tuple[str, ...] | list[str] = ()) -> None:
        super().__init__(message)
        #: names of the parameters the message speaks of (the CLI shows them as flags)
        self.parameters: tuple[str, ...] = tuple(parameters)


class InputError(LeptoportalError, ValueError):
    """Invalid input: a value outside its physical or allowed range, a wrong type, an
    unknown name or a missing parameter."""


class DomainError(InputError):
    """An input outside the kinematic domain of a process: below its threshold, or a channel
    whose coupling is zero."""


class NoSolutionError(LeptoportalError):
    """No value of a parameter gives the requested result (a physics outcome, e.g. no
    coupling gives Omega h^2 = 0.120 because the annihilation is closed)."""


class CacheIntegrityError(LeptoportalError):
    """A stored record failed its integrity check (its digest, its inputs or its type)."""


class OutputError(LeptoportalError):
    """A result cannot be written: the message names the file and the cause."""


#: longest echo of a user's value inside an error message (characters)
MAX_ECHO = 80


def echo(value: Any) -> str:
    """repr of a user's value for a message, cut in the middle to `MAX_ECHO` characters (the
    end of a long path, its file name, stays readable).

    >>> short = echo("x" * 1000 + "/name.lhe")
    >>> len(short) < 110, short[-28:]
    (True, "/name.lhe' (1011 characters)")
    """
    text = repr(value)
    if len(text) <= MAX_ECHO:
        return text
    head, tail = (MAX_ECHO - 3) // 2, (MAX_ECHO - 3) - (MAX_ECHO - 3) // 2
    return f"{text[:head]}...{text[-tail:]} ({len(text)} characters)"


def require_finite(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise InputError if it is not a finite real number
    (booleans are not numbers)."""
    if isinstance(value, bool):
        raise InputError(f"{name} = {value!r} is a boolean, not a number", parameters=(name,))
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name} = {echo(value)} is not a number",
                         parameters=(name,)) from None
    if not math.isfinite(v):
        raise InputError(f"{name} = {echo(value)} is not finite; allowed: a finite real number",
                         parameters=(name,))
    return v


def require_range(
    name: str,
    value: float,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    unit: str = "",
) -> float:
    """Validate ``lo <(=) value <(=) hi`` and return the value as float.

    The error message gives the value and the allowed interval in standard notation.
    """
    v = require_finite(name, value)
    bad_lo = lo is not None and (v <= lo if lo_open else v < lo)
    bad_hi = hi is not None and (v >= hi if hi_open else v > hi)
    if bad_lo or bad_hi:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        lo_s = "-inf" if lo is None else f"{lo:.6g}"
        hi_s = "inf" if hi is None else f"{hi:.6g}"
        u = f" {unit}" if unit else ""
        raise InputError(
            f"{name} = {echo(value)}{u} is outside the allowed range "
            f"{left}{lo_s}, {hi_s}{right}{u}", parameters=(name,))
    return v


def require_int(name: str, value: int, lo: int | None = None, hi: int | None = None) -> int:
    """Validate a whole number in [lo, hi] (booleans and fractions refused); return it."""
    v = require_range(name, value, lo, hi)
    if v != int(v):
        raise InputError(f"{name} = {echo(value)} is not a whole number", parameters=(name,))
    return int(v)


def require_complex(name: str, value: complex | str | float) -> complex:
    """Return ``value`` as a complex number, rejecting NaN or infinite parts and booleans."""
    if isinstance(value, bool):
        raise InputError(f"{name} = {value!r} is a boolean, not a number", parameters=(name,))
    try:
        z = complex(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name} = {echo(value)} is not a (complex) number",
                         parameters=(name,)) from None
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        raise InputError(f"{name} = {echo(value)} is not finite; allowed: a finite complex "
                         "number", parameters=(name,))
    return z


def closest(word: str, choices: Any) -> str | None:
    """The choice closest to a misspelt ``word`` (difflib), or None."""
    import difflib

    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return found[0] if found else None


#: unknown names spelt out (each with its closest valid one) in one message; the rest counted
MAX_NAMED = 5


def name_unknown(unknown: list[str], valid: Sequence[str], show: Callable[..., Any]=echo) -> str:
    """``'x' (did you mean 'y'?), ...`` for the first `MAX_NAMED` of ``unknown`` (each
    written by ``show``) and a count of the others (a file of 60 000 wrong keys is refused at
    once, in one line)."""
    named = [show(u) + (f" (did you mean {near!r}?)" if (near := closest(u, valid)) else "")
             for u in unknown[:MAX_NAMED]]
    if len(unknown) > MAX_NAMED:
        named.append(f"and {len(unknown) - MAX_NAMED} more")
    return ", ".join(named)


def require_choice(name: str, value: str, choices: list[str] | tuple[str, ...]) -> str:
    """Validate that ``value`` is one of ``choices`` (the error names the closest one)."""
    if not isinstance(value, str) or value not in choices:
        near = closest(value, choices) if isinstance(value, str) else None
        hint = f" (did you mean {near!r}?)" if near else ""
        raise InputError(f"{name} = {echo(value)} is not one of: {', '.join(choices)}{hint}",
                         parameters=(name,))
    return value


def require_extra(module: str, extra: str) -> Any:
    """Import ``module`` of an optional extra, or fail with a one-line install hint.

    Example: ``pyhf = require_extra("pyhf", "pyhf")``.
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        raise InputError(f"{module} is not installed: it comes with the optional extra "
                         f"'{extra}' (pip install 'leptoportal[{extra}]')") from None


__all__ = [
    "MAX_ECHO", "CacheIntegrityError", "closest", "DomainError", "echo", "InputError",
    "LeptoportalError", "NoSolutionError", "OutputError", "require_choice", "require_complex",
    "require_extra", "require_finite", "require_int", "require_range",
]


def __dir__() -> list[str]:
    return __all__
