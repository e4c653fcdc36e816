"""The package's one on-disk store (its files are written by `leptoportal.outputs`).

`PointStore`: a directory of JSON records, one per key. A key is the hash of the
record's inputs plus `CACHE_SCHEMA`; the record carries its inputs, its schema and a
digest (SHA-256) of both and of its values, and is checked on every read, so a stale,
foreign, truncated or corrupted file, or one whose values were changed by hand or by
another program, is never served: it is recomputed (with a one-line warning when a record's
digest or type is wrong). The digest is not a signature: it has no secret, so someone who
can write the cache directory and recomputes the digest of a changed record (with
`record_digest`) is served the changed number. The cache guards against accidents, not
against a forger with write access to your files; keep the directory yours (it is created
with your umask) or run with ``cache=False`` / a fresh ``$LEPTOPORTAL_CACHE`` for numbers
that go into a paper. Entries are opened as regular
files only: a symbolic link, a device or a FIFO in place of an entry is refused without
blocking, and an entry larger than `MAX_RECORD_BYTES` is not read. Temporary files
older than `STALE_AFTER_S` that a killed run left are removed on
the next write. The cross-section cache and the points of resumable scans are both stores.

The cache directory is ``$LEPTOPORTAL_CACHE`` if set and not empty, else the platform's user
cache directory (platformdirs; on Linux ``$XDG_CACHE_HOME/leptoportal`` or
``~/.cache/leptoportal``). ``leptoportal cache info|clear`` shows or empties it. Public
functions that cache take a `Numerics` with ``cache=False`` to
neither read nor write it.

Example:

    store = PointStore(cache_dir() / "xsec")
    rec = store.get_or_compute({"m_phi": 0.2}, lambda: {"sigma_pb": 1.0}, ("sigma_pb",))
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import os
import stat
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from leptoportal.errors import OutputError
from leptoportal.outputs import (
    TEMP_MARK,
    atomic_write_text,
    json_text,
    remove_stale_temporaries,
)
from leptoportal.results import Result, quantity

#: Version of the physics behind cached numbers. Bump it with every change that alters a
#: cached result (matrix element, phase space, integrator, form factor, yields): entries of
#: other schemas are then never served. History: 1 = package 0.1.0 before the reorganisation;
#: 2 = keys carry the schema and records their inputs; 3 = ETL iterations averaged by points
#: (not inverse variance) with the stopping rule on the pooled spread; 4 = records carry a
#: digest of their inputs and values; 5 = scan points of the physics-fidelity release (the
#: Compton profiles' tails, the relic solution past the QCD crossover, Belle II's tau -> 3 mu,
#: the benchmark dark sector where none is given, the production channels); 6 = the beam
#: annihilation's missing-energy cut (a thick positron target's line above e_phi_min).
CACHE_SCHEMA = 6
#: largest record read from a store (bytes): records are a few hundred bytes
MAX_RECORD_BYTES = 1_000_000
#: the keys a store adds to a record (the record's own private keys start with "_" too)
_META = ("_schema", "_inputs", "_digest")


def cache_dir() -> Path:
    """The cache directory (not created here; `PointStore.put()` creates it on demand)."""
    env = os.environ.get("LEPTOPORTAL_CACHE", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("leptoportal", appauthor=False))


@dataclasses.dataclass(frozen=True)
class CacheInfo(Result):
    """Where the cache is and what it holds."""

    title = "cache"

    directory: str = quantity("", "the cache directory")
    schema: int = quantity("", "the physics schema of its records (a record of another "
                           "schema is never served)")
    stores: dict[str, Any] = quantity("", "per store: entries and bytes")
    removed: int | None = quantity("", "entries removed (cache clear)", optional=True)


def cache_info() -> CacheInfo:
    """Where the cache is and what it holds (entries and bytes per store)."""
    root = cache_dir()
    stores = {}
    if root.is_dir():
        for d in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()):
            files = [f for f in d.glob("*.json") if f.is_file() and not f.is_symlink()]
            stores[d.name] = {"entries": len(files),
                              "bytes": sum(f.lstat().st_size for f in files)}
    return CacheInfo(str(root), CACHE_SCHEMA, stores)


def clear_cache() -> int:
    """Remove every cache entry (the package's stores only); returns how many."""
    root = cache_dir()
    removed = 0
    if root.is_dir():
        for d in root.iterdir():
            if d.is_dir() and not d.is_symlink() and d.name.startswith("xsec-v"):
                for f in list(d.glob("*.json")) + list(d.glob(f".*{TEMP_MARK}*")):
                    with contextlib.suppress(OSError):
                        f.unlink()
                        removed += 1
    return removed


def canonical(obj: Any) -> Any:
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


def _hash(obj: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()


def input_key(inputs: dict[str, Any]) -> str:
    """Hash of the canonical JSON of ``inputs`` and `CACHE_SCHEMA` (24 hex digits)."""
    return _hash({"inputs": canonical(inputs), "schema": CACHE_SCHEMA})[:24]


def record_digest(inputs: dict[str, Any], values: dict[str, Any]) -> str:
    """SHA-256 of a record's canonical inputs, values and schema."""
    return _hash({"inputs": canonical(inputs), "values": canonical(values),
                  "schema": CACHE_SCHEMA})


def finite_numbers(record: dict[str, Any], fields: tuple[str, ...], nonnegative: bool = True
                   ) -> bool:
    """True if every field of ``record`` is a finite real number (>= 0 if ``nonnegative``)."""
    for f in fields:
        v = record.get(f)
        if isinstance(v, bool) or not isinstance(v, int | float):
            return False
        if not math.isfinite(v) or (nonnegative and v < 0):
            return False
    return True


def read_entry(path: Path, limit: int = MAX_RECORD_BYTES) -> bytes | None:
    """The bytes of the regular file ``path``, or None: a missing file, a symbolic link, a
    device, a FIFO or a socket (opened without following links and without blocking), or a
    file larger than ``limit`` bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


class PointStore:
    """JSON records in one directory, keyed by `input_key()` of their inputs (see the
    module docstring for what is checked on every read)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._swept = False

    def path(self, inputs: dict[str, Any]) -> Path:
        return self.directory / f"{input_key(inputs)}.json"

    def get(self, inputs: dict[str, Any], fields: tuple[str, ...] = (),
            check: Callable[[dict[str, Any]], bool] | None = None) -> dict[str, Any] | None:
        """The stored record for ``inputs``, or None if absent or not trustworthy: not a
        regular file of at most MAX_RECORD_BYTES, unreadable, not a JSON object, of another
        schema or other inputs, with a wrong digest (a warning says so), missing a finite
        non-negative number in ``fields``, or rejected by ``check``."""
        path = self.path(inputs)
        if path.is_symlink() or (path.exists() and not path.is_file()):
            _distrust(path, "is not a regular file")
            return None
        data = read_entry(path)
        if data is None:
            if path.exists():
                _distrust(path, f"is larger than {MAX_RECORD_BYTES} bytes")
            return None
        try:
            record = json.loads(data.decode())
        except (ValueError, UnicodeDecodeError, RecursionError):
            _distrust(path, "is not a JSON record (truncated or foreign)")
            return None
        if not isinstance(record, dict) or record.get("_schema") != CACHE_SCHEMA:
            return None
        if record.get("_inputs") != canonical(inputs):
            return None
        values = {k: v for k, v in record.items() if k not in _META}
        if record.get("_digest") != record_digest(inputs, values):
            _distrust(path, "failed its integrity check (a value was changed)")
            return None
        public = {k: v for k, v in values.items() if not k.startswith("_")}
        if not finite_numbers(public, fields) or (check is not None and not check(public)):
            return None
        return public

    def put(self, inputs: dict[str, Any], record: dict[str, Any]) -> Path:
        """Store ``record`` for ``inputs`` atomically and return its path (stale temporaries
        of killed runs are removed on the first write of a process)."""
        path = self.path(inputs)
        values = json.loads(json_text(record, finite=False))  # the values as they read back
        body = {**values, "_schema": CACHE_SCHEMA, "_inputs": canonical(inputs),
                "_digest": record_digest(inputs, values)}
        atomic_write_text(path, json_text(body, finite=False))
        if not self._swept:
            self._swept = True
            remove_stale_temporaries(self.directory)
        return path

    def get_or_compute(self, inputs: dict[str, Any], compute: Callable[[], dict[str, Any]],
                       fields: tuple[str, ...] = (), enabled: bool = True) -> dict[str, Any]:
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
            except OutputError as exc:  # an unwritable cache must not cost the result
                warnings.warn(f"cache entry not written ({exc})", stacklevel=2)
        return record


def _distrust(path: Path, why: str) -> None:
    warnings.warn(f"cache entry {path.name} {why}; it is recomputed", stacklevel=3)


def xsec_store() -> PointStore:
    """The store of cross-section points (under `cache_dir()`)."""
    return PointStore(cache_dir() / f"xsec-v{CACHE_SCHEMA}")


__all__ = ["CACHE_SCHEMA", "MAX_RECORD_BYTES", "CacheInfo", "PointStore", "cache_dir", "cache_info",
           "canonical", "clear_cache", "finite_numbers", "input_key", "read_entry",
           "record_digest", "xsec_store"]


def __dir__() -> list[str]:
    return __all__
