"""The package's one on-disk store and its one atomic writer.

* :func:`atomic_write_bytes` / :func:`atomic_write_text` / :func:`atomic_output`: every file the
  package writes (cache entries, scan points, tables, figures, events, reports) goes through
  these. Data land in a temporary file in the target directory and are renamed into place, so
  an interrupted run never leaves a half-written file; on failure the temporary file is
  removed. Files get the permissions of an ordinary ``open()`` (0666 less the umask).
* :class:`PointStore`: a directory of JSON records, one per key. A key is the hash of the
  record's inputs plus :data:`CACHE_SCHEMA`; the record carries its inputs and schema and is
  checked on every read, so a stale, foreign, truncated or corrupted file is never served: it
  is recomputed. The cross-section cache and the points of resumable scans are both stores.

The cache directory is ``$LEPTOPORTAL_CACHE`` if set and not empty, else the platform's user
cache directory (platformdirs; on Linux ``$XDG_CACHE_HOME/leptoportal`` or
``~/.cache/leptoportal``). ``leptoportal cache info|clear`` shows or empties it. Public
functions that cache take ``cache=False`` to neither read nor write it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from leptoportal.errors import InputError

#: Version of the physics behind cached numbers. Bump it with every change that alters a
#: cached result (matrix element, phase space, integrator, form factor, yields): entries of
#: other schemas are then never served. History: 1 = package 0.1.0 before the reorganisation;
#: 2 = keys carry the schema and records their inputs; 3 = ETL iterations averaged by points
#: (not inverse variance) with the stopping rule on the pooled spread.
CACHE_SCHEMA = 3


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()


def cache_dir() -> Path:
    """The cache directory (not created here; :meth:`PointStore.put` creates it on demand)."""
    env = os.environ.get("LEPTOPORTAL_CACHE", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("leptoportal", appauthor=False))


def cache_info() -> dict:
    """Where the cache is and what it holds (entries and bytes per store)."""
    root = cache_dir()
    stores = {}
    if root.is_dir():
        for d in sorted(p for p in root.iterdir() if p.is_dir()):
            files = list(d.glob("*.json"))
            stores[d.name] = {"entries": len(files),
                              "bytes": sum(f.stat().st_size for f in files)}
    return {"directory": str(root), "schema": CACHE_SCHEMA, "stores": stores}


def clear_cache() -> int:
    """Remove every cache entry (the package's stores only); returns how many."""
    root = cache_dir()
    removed = 0
    if root.is_dir():
        for d in root.iterdir():
            if d.is_dir() and d.name.startswith("xsec-v"):
                for f in list(d.glob("*.json")) + list(d.glob(".*.tmp")):
                    with contextlib.suppress(OSError):
                        f.unlink()
                        removed += 1
    return removed


def canonical(obj):
    """JSON-ready canonical form of ``obj``: sorted dicts, floats as repr strings, complex as
    {re, im}; equal inputs give equal forms whatever their Python/numpy types."""
    if isinstance(obj, dict):
        return {str(k): canonical(v) for k, v in sorted(obj.items())}
    if isinstance(obj, list | tuple | np.ndarray):
        return [canonical(v) for v in list(obj)]
    if isinstance(obj, complex | np.complexfloating):
        return {"re": repr(float(obj.real)), "im": repr(float(obj.imag))}
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, float | np.floating):
        return repr(float(obj))
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def input_key(inputs: dict) -> str:
    """Hash of the canonical JSON of ``inputs`` and :data:`CACHE_SCHEMA` (24 hex digits)."""
    payload = json.dumps({"inputs": canonical(inputs), "schema": CACHE_SCHEMA}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


# ------------------------------------------------------------------------------------------
# output paths and atomic writes
# ------------------------------------------------------------------------------------------

#: longest file name accepted (most file systems allow 255 bytes)
MAX_NAME_BYTES = 255


def _check_parent(path: Path, what: str) -> None:
    parent = path.parent
    if not parent.exists():
        raise InputError(f"{what} = {str(path)!r}: the directory {str(parent)!r} does not "
                         "exist")
    if not parent.is_dir():
        raise InputError(f"{what} = {str(path)!r}: {str(parent)!r} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{what} = {str(path)!r}: the directory {str(parent)!r} is not "
                         "writable")


def _check_name(text: str | Path, what: str) -> Path:
    if not str(text).strip():
        raise InputError(f"{what} = {str(text)!r} is empty; give a path")
    path = Path(text)
    if any(len(part.encode()) > MAX_NAME_BYTES for part in path.parts):
        raise InputError(f"{what} = {str(path)[:60]!r}...: a name is longer than "
                         f"{MAX_NAME_BYTES} bytes")
    return path


def check_output_file(path: str | Path, what: str = "out") -> Path:
    """Check before any computation that ``path`` can be written as a regular file: not empty,
    not a directory, symlink or device, its directory existing and writable."""
    path = _check_name(path, what)
    if path.is_symlink():
        raise InputError(f"{what} = {str(path)!r} is a symbolic link; give a regular file")
    if path.exists():
        if path.is_dir():
            raise InputError(f"{what} = {str(path)!r} is a directory; give a file name")
        if not path.is_file():
            raise InputError(f"{what} = {str(path)!r} is not a regular file")
    _check_parent(path, what)
    return path


def check_output_dir(path: str | Path, what: str = "out", create: bool = False) -> Path:
    """Check before any computation that ``path`` is (or can be created as) a writable
    directory; with ``create`` make it (one-line error if that fails)."""
    path = _check_name(path, what)
    if path.exists():
        if not path.is_dir():
            raise InputError(f"{what} = {str(path)!r} exists and is not a directory")
        if not os.access(path, os.W_OK | os.X_OK):
            raise InputError(f"{what} = {str(path)!r} is not writable")
        return path
    _check_parent(path, what)
    if create:
        try:
            path.mkdir()
        except OSError as exc:
            raise InputError(f"{what} = {str(path)!r} cannot be created ({exc.strerror})") \
                from None
    return path


@contextlib.contextmanager
def atomic_output(path: str | Path, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` when the block succeeds,
    remove it when the block fails. For writers that need a file name (pyhepmc, matplotlib).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def remove_stale_temporaries(directory: str | Path, older_than_s: float = 300.0) -> int:
    """Remove temporary files of :func:`atomic_output` that a killed run left in
    ``directory`` (only those older than ``older_than_s``, so that the writes of a concurrent
    run are untouched); returns how many were removed."""
    directory = Path(directory)
    if not directory.is_dir():
        return 0
    now, removed = time.time(), 0
    for f in directory.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if f.is_file() and now - f.stat().st_mtime > older_than_s:
                f.unlink()
                removed += 1
    return removed


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see the module docstring)."""
    with atomic_output(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode())


# ------------------------------------------------------------------------------------------
# the store
# ------------------------------------------------------------------------------------------


def finite_numbers(record: dict, fields: tuple[str, ...], nonnegative: bool = True) -> bool:
    """True if every field of ``record`` is a finite real number (>= 0 if ``nonnegative``)."""
    for f in fields:
        v = record.get(f)
        if isinstance(v, bool) or not isinstance(v, int | float):
            return False
        if not math.isfinite(v) or (nonnegative and v < 0):
            return False
    return True


class PointStore:
    """JSON records in one directory, keyed by :func:`input_key` of their inputs.

    Example::

        store = PointStore(cache_dir() / "xsec")
        rec = store.get_or_compute({"m_phi": 0.2}, lambda: {"sigma_pb": 1.0}, ("sigma_pb",))
    """

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def path(self, inputs: dict) -> Path:
        return self.directory / f"{input_key(inputs)}.json"

    def get(self, inputs: dict, fields: tuple[str, ...] = (),
            check: Callable[[dict], bool] | None = None) -> dict | None:
        """The stored record for ``inputs``, or None if absent or not trustworthy: unreadable,
        not a JSON object, of another schema or other inputs, missing a finite non-negative
        number in ``fields``, or rejected by ``check``."""
        path = self.path(inputs)
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        if not isinstance(record, dict) or record.get("_schema") != CACHE_SCHEMA:
            return None
        if record.get("_inputs") != canonical(inputs):
            return None
        if not finite_numbers(record, fields) or (check is not None and not check(record)):
            return None
        return {k: v for k, v in record.items() if not k.startswith("_")}

    def put(self, inputs: dict, record: dict) -> Path:
        """Store ``record`` for ``inputs`` atomically and return its path."""
        path = self.path(inputs)
        body = {**record, "_schema": CACHE_SCHEMA, "_inputs": canonical(inputs)}
        atomic_write_text(path, json.dumps(body, default=_json_default))
        return path

    def get_or_compute(self, inputs: dict, compute: Callable[[], dict],
                       fields: tuple[str, ...] = (), enabled: bool = True) -> dict:
        """The stored record, or ``compute()`` stored for next time (``enabled=False``: just
        compute)."""
        if enabled:
            hit = self.get(inputs, fields)
            if hit is not None:
                return hit
        record = compute()
        if enabled:
            try:
                self.put(inputs, record)
            except OSError as exc:  # an unwritable cache must not cost the result
                warnings.warn(f"cache entry not written ({exc})", stacklevel=2)
        return record


def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, complex):
        return [obj.real, obj.imag]
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def xsec_store() -> PointStore:
    """The store of cross-section points (under :func:`cache_dir`)."""
    return PointStore(cache_dir() / f"xsec-v{CACHE_SCHEMA}")
