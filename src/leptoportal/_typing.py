"""Type aliases of the package (for annotations only).

Examples
--------

>>> import numpy as np
>>> isinstance(np.zeros(2), np.ndarray)
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

#: an array of floats (the result of a vectorised physics function)
FloatArray: TypeAlias = npt.NDArray[np.float64]
#: an array of any element type
AnyArray: TypeAlias = npt.NDArray[Any]
#: a number or an array of them: what a vectorised function accepts
ArrayLike: TypeAlias = npt.ArrayLike
#: a float, or an array of floats: what a vectorised function returns for a number or an
#: array (Any: numpy's scalar/array duality defeats a static union; the docstrings say which)
FloatOrArray: TypeAlias = Any
#: a progress callback: progress(done, total[, what]), ``what`` naming the current stage
ProgressFn: TypeAlias = Callable[..., None]

__all__ = ["AnyArray", "ArrayLike", "FloatArray", "FloatOrArray", "ProgressFn"]


def __dir__() -> list[str]:
    return __all__
