"""On-disk cache for expensive results: keys are hashes of every input, writes are atomic.

The cache directory is ``$LEPTOPORTAL_CACHE`` or ``~/.cache/leptoportal``. Files are written to
a temporary name in the same directory and renamed, so an interrupted run never leaves a
half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from leptoportal import __version__


def cache_dir() -> Path:
    """The cache directory (created on demand)."""
    d = Path(os.environ.get("LEPTOPORTAL_CACHE", Path.home() / ".cache" / "leptoportal"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def _canonical(obj):
    if isinstance(obj, dict):
        return {str(k): _canonical(v) for k, v in sorted(obj.items())}
    if isinstance(obj, list | tuple | np.ndarray):
        return [_canonical(v) for v in list(obj)]
    if isinstance(obj, complex):
        return {"re": repr(obj.real), "im": repr(obj.imag)}
    if isinstance(obj, float | np.floating):
        return repr(float(obj))
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def input_hash(inputs: dict) -> str:
    """sha256 of the canonical JSON of ``inputs`` plus the package version."""
    payload = json.dumps({"inputs": _canonical(inputs), "version": __version__},
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode())


def save_npz(path: Path, **arrays) -> None:
    """np.savez written atomically."""
    import io

    buf = io.BytesIO()
    np.savez(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())


def load_npz(path: Path) -> dict[str, np.ndarray] | None:
    """Load an npz written by :func:`save_npz`, or None if absent or unreadable."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError):
        return None
