"""Error type for invalid user input, and the validators that raise it.

Every message is one line that names the offending value and the allowed range, so that the
CLI can print it verbatim and exit with status 2.
"""

from __future__ import annotations

import math


class InputError(ValueError):
    """Invalid user input (value outside its physical or allowed range)."""


def require_finite(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise InputError if it is not a finite real number."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} = {value!r} is not a number") from None
    if not math.isfinite(v):
        raise InputError(f"{name} = {value!r} is not finite; allowed: a finite real number")
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
            f"{name} = {value!r}{u} is outside the allowed range {left}{lo_s}, {hi_s}{right}{u}"
        )
    return v


def require_complex(name: str, value: complex) -> complex:
    """Return ``value`` as a complex number, rejecting NaN or infinite parts."""
    try:
        z = complex(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} = {value!r} is not a (complex) number") from None
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        raise InputError(f"{name} = {value!r} is not finite; allowed: a finite complex number")
    return z


def require_choice(name: str, value: str, choices: list[str] | tuple[str, ...]) -> str:
    """Validate that ``value`` is one of ``choices``."""
    if value not in choices:
        raise InputError(f"{name} = {value!r} is not one of: {', '.join(choices)}")
    return value


def require_extra(module: str, extra: str):
    """Import ``module`` of an optional extra, or fail with a one-line install hint.

    Example: ``pyhf = require_extra("pyhf", "pyhf")``.
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        raise InputError(f"{module} is not installed: it comes with the optional extra "
                         f"'{extra}' (pip install 'leptoportal[{extra}]')") from None
