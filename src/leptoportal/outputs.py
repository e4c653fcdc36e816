"""Everything the package writes goes through here: output-path checks, the one atomic writer,
and the one JSON shaper and CSV writer.

* `check_output_file()` / `check_output_dir()`: checked before any computation (not
  empty, not a directory / symlink / device, a writable existing directory, names within the
  file system's 255 bytes).
* `atomic_output()` / `atomic_write_bytes()` / `atomic_write_text()`: data land
  in a temporary file beside the target (a hidden name that fits the same 255 bytes) and are
  renamed into place, so an interrupted run never leaves a half-written file; on failure the
  temporary file is removed and an `OutputError` names the file
  and the cause (disk full, file too large, read-only file system, ...). Files get the
  permissions of an ordinary ``open()`` (0666 less the umask).
* `to_jsonable()` / `json_text()`: JSON of results (complex numbers as [re, im],
  numpy scalars as numbers, non-finite numbers as null, -0.0 as 0.0).
* `csv_text()` / `write_csv()`: CSV whose columns are the keys of the rows (the
  same keys as the JSON), with optional ``#`` comment lines in front.
* `render_markdown()` / `render_html()`: reports (of ``reproduce`` and ``validate``)
  from blocks (heading, paragraph, list, table, figure).

Examples
--------

>>> print(csv_text([{"m_phi": 0.2, "h_limit": 2.4e-3}], comments=["experiment: ldmx"]), end="")
# experiment: ldmx
m_phi,h_limit
0.2,0.0024
>>> json_text({"c_s": complex(0.5, 0), "h_limit": float("inf"), "x": -0.0})
'{"c_s": [0.5, 0.0], "h_limit": null, "x": 0.0}'
"""

from __future__ import annotations

import base64
import contextlib
import csv
import errno
import glob
import html
import io
import json
import math
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from leptoportal.errors import InputError, OutputError, echo

#: longest file name accepted (most file systems allow 255 bytes)
MAX_NAME_BYTES = 255
#: marks the temporary files of `atomic_output()` (``.<name>.<token>.partial<suffix>``)
TEMP_MARK = ".partial"
#: temporaries older than this (s) are stale: a killed run left them
STALE_AFTER_S = 300.0


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()


# ------------------------------------------------------------------------------------------
# paths, checked before any computation
# ------------------------------------------------------------------------------------------


def _check_parent(path: Path, what: str) -> None:
    parent = path.parent
    if not parent.exists():
        raise InputError(f"{what} = {echo(str(path))}: the directory {echo(str(parent))} does "
                         "not exist", parameters=(what,))
    if not parent.is_dir():
        raise InputError(f"{what} = {echo(str(path))}: {echo(str(parent))} is not a directory",
                         parameters=(what,))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{what} = {echo(str(path))}: the directory {echo(str(parent))} is "
                         "not writable", parameters=(what,))


def _check_name(text: str | Path, what: str) -> Path:
    if not str(text).strip():
        raise InputError(f"{what} = {str(text)!r} is empty; give a path", parameters=(what,))
    if "\x00" in str(text):
        raise InputError(f"{what} = {echo(str(text))} contains a NUL byte", parameters=(what,))
    path = Path(text)
    if any(len(part.encode(errors="surrogateescape")) > MAX_NAME_BYTES for part in path.parts):
        raise InputError(f"{what} = {echo(str(path))}: a name is longer than "
                         f"{MAX_NAME_BYTES} bytes", parameters=(what,))
    return path


def check_output_file(path: str | Path, what: str = "out", force: bool = False) -> Path:
    """Check before any computation that ``path`` can be written as a regular file: not empty,
    not a directory, symlink or device, its directory existing and writable; an existing
    read-only file is refused unless ``force``. Returns the absolute path."""
    path = _check_name(path, what)
    if path.is_symlink():
        raise InputError(f"{what} = {echo(str(path))} is a symbolic link; give a regular file",
                         parameters=(what,))
    if path.exists():
        if path.is_dir():
            raise InputError(f"{what} = {echo(str(path))} is a directory; give a file name",
                             parameters=(what,))
        if not path.is_file():
            raise InputError(f"{what} = {echo(str(path))} is not a regular file",
                             parameters=(what,))
        # the mode bits too: root may write anything, but a read-only file says "keep me"
        if not force and (not os.access(path, os.W_OK)
                          or not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP
                                                        | stat.S_IWOTH)):
            raise InputError(f"{what} = {echo(str(path))} exists and is read-only; remove it "
                             "or give force to replace it", parameters=(what, "force"))
    _check_parent(path, what)
    return _absolute(path)


def _absolute(path: Path) -> Path:
    """``path`` made absolute once, where it is checked (links kept, not resolved): the
    package never changes the working directory, and a result names the file it wrote."""
    return Path(os.path.abspath(path))


def check_output_dir(path: str | Path, what: str = "out", create: bool = False) -> Path:
    """Check before any computation that ``path`` is (or can be created as) a writable
    directory; with ``create`` make it (one-line error if that fails). Commands create their
    output directory only after every other input is validated. Returns the absolute
    path."""
    path = _check_name(path, what)
    if path.exists():
        if not path.is_dir():
            raise InputError(f"{what} = {echo(str(path))} exists and is not a directory",
                             parameters=(what,))
        if not os.access(path, os.W_OK | os.X_OK):
            raise InputError(f"{what} = {echo(str(path))} is not writable", parameters=(what,))
        return _absolute(path)
    _check_parent(path, what)
    if create:
        try:
            path.mkdir()
        except FileExistsError:
            return check_output_dir(path, what)
        except OSError as exc:
            raise InputError(f"{what} = {echo(str(path))} cannot be created "
                             f"({exc.strerror})", parameters=(what,)) from None
    return _absolute(path)


# ------------------------------------------------------------------------------------------
# atomic writes
# ------------------------------------------------------------------------------------------


def _short_name(name: str, room: int) -> str:
    """``name`` cut to ``room`` bytes of UTF-8 (at a character boundary)."""
    raw = name.encode(errors="surrogateescape")
    if len(raw) <= room:
        return name
    return raw[:room].decode(errors="ignore")


def temporary_name(path: Path, suffix: str = "") -> str:
    """The name of a temporary file beside ``path``: ``.<name>.<pid>-<8 hex>.partial<suffix>``
    (the writing process's id: a later run removes it once that process is gone), the name
    cut so that the whole stays within `MAX_NAME_BYTES`."""
    tail = f".{os.getpid()}-{secrets.token_hex(4)}{TEMP_MARK}{suffix}"
    room = MAX_NAME_BYTES - 1 - len(tail.encode())
    return f".{_short_name(path.name, room)}{tail}"


#: the owner's process id in a temporary's name (see `temporary_name()`)
_OWNER = re.compile(r"\.(\d+)-[0-9a-f]{8}" + re.escape(TEMP_MARK))


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0
    return True


def _orphan(name: str) -> bool:
    """A temporary whose writing process is gone."""
    m = _OWNER.search(name)
    return m is not None and not process_alive(int(m.group(1)))


def _remove_orphans_of(path: Path) -> None:
    """Remove the temporaries of ``path`` that a killed run left beside it."""
    head = glob.escape("." + _short_name(path.name, 100))
    for old in path.parent.glob(f"{head}*{TEMP_MARK}*"):
        if _orphan(old.name) and old.is_file() and not old.is_symlink():
            with contextlib.suppress(OSError):
                old.unlink()


def output_error(path: Path, exc: OSError) -> OutputError:
    """The one-line error of an OSError writing ``path`` (its cause in words)."""
    causes = {errno.ENOSPC: "no space left on the device", errno.EFBIG: "file too large",
              errno.EDQUOT: "disk quota exceeded", errno.EROFS: "read-only file system",
              errno.EACCES: "permission denied", errno.EPERM: "operation not permitted",
              errno.ENAMETOOLONG: "file name too long", errno.EISDIR: "is a directory",
              errno.ENOTDIR: "a parent is not a directory", errno.ENOENT: "no such directory"}
    cause = causes.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return OutputError(f"{echo(str(path))} cannot be written: {cause}; nothing was written",
                       parameters=("out",))


@contextlib.contextmanager
def atomic_output(path: str | Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` when the block succeeds,
    remove it when the block fails. An OSError of the block or of the rename (disk full, file
    size limit, read-only file system, ...) becomes an `OutputError` naming ``path``.
    For writers that need a file name (pyhepmc, matplotlib, pyarrow)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / temporary_name(path, suffix)
        _remove_orphans_of(path)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except OSError as exc:
        raise output_error(path, exc) from None
    _IN_FLIGHT.add(tmp)
    try:
        yield tmp
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, InputError):
            raise output_error(path, exc) from None
        raise
    finally:
        _IN_FLIGHT.discard(tmp)


#: the temporaries of this process's `atomic_output()` blocks still open
_IN_FLIGHT: set[Path] = set()


def remove_in_flight() -> None:
    """Remove the temporaries of the writes still under way, for a process that must end at
    once (a forked worker stopped by its parent's SIGTERM does not unwind its stack)."""
    for tmp in list(_IN_FLIGHT):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see `atomic_output()`)."""
    with atomic_output(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode())


def remove_stale_temporaries(directory: str | Path, older_than_s: float = STALE_AFTER_S) -> int:
    """Remove the temporary files of `atomic_output()` that a killed run left in
    ``directory``: those whose writing process is gone, and any older than ``older_than_s``
    (so that the writes of a concurrent run are untouched); returns how many were removed."""
    directory = Path(directory)
    if not directory.is_dir():
        return 0
    now, removed = time.time(), 0
    for f in directory.glob(f".*{TEMP_MARK}*"):
        with contextlib.suppress(OSError):
            if f.is_file() and not f.is_symlink() and (
                    _orphan(f.name) or now - f.lstat().st_mtime > older_than_s):
                f.unlink()
                removed += 1
    return removed


# ------------------------------------------------------------------------------------------
# JSON and CSV
# ------------------------------------------------------------------------------------------


def to_jsonable(obj: Any, finite: bool = True) -> Any:
    """JSON-ready values: results via their ``to_dict()``, complex as [re, im], numpy scalars
    and arrays as numbers and lists, paths as strings, -0.0 as 0.0 and (``finite``) non-finite
    numbers as null (e.g. a coupling limit that no coupling reaches)."""
    if hasattr(obj, "to_dict") and callable(obj.to_dict):
        obj = obj.to_dict()
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v, finite) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v, finite) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "tolist") and callable(obj.tolist) and not isinstance(obj, str):
        obj = obj.tolist()
        if isinstance(obj, list):
            return [to_jsonable(v, finite) for v in obj]
    if isinstance(obj, complex):
        return [to_jsonable(obj.real, finite), to_jsonable(obj.imag, finite)]
    if isinstance(obj, float):
        if math.isfinite(obj):
            return obj + 0.0
        return None if finite else obj
    return obj


def json_text(obj: Any, indent: int | None = None, finite: bool = True) -> str:
    """The JSON text of ``obj`` (see `to_jsonable()`); ``finite=False`` keeps infinities
    (as ``Infinity``) for the package's own stores."""
    return json.dumps(to_jsonable(obj, finite), indent=indent, allow_nan=not finite)


def write_json(path: str | Path,
               obj: Any,
               indent: int | None = 1) -> Path:
    """Write ``obj`` as JSON atomically; returns the path."""
    atomic_write_text(path, json_text(obj, indent) + "\n")
    return Path(path)


def _cell(value: float) -> str | float:
    value = to_jsonable(value)
    if isinstance(value, list | dict):
        return json.dumps(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return value


def csv_text(rows: Iterable[dict[str, Any]], comments: Iterable[str] = ()) -> str:
    """CSV of result rows (results or dicts): the columns are the keys in order of first
    appearance, nested values as JSON, missing or null values empty; ``comments`` become
    ``# ...`` lines in front."""
    rows = [to_jsonable(r) if hasattr(r, "to_dict") else r for r in rows]
    keys: list[str] = []
    for r in rows:
        keys.extend(k for k in r if k not in keys)
    buf = io.StringIO()
    for line in comments:
        buf.write(f"# {' '.join(str(line).split())}\n")
    writer = csv.DictWriter(buf, fieldnames=keys, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _cell(v) for k, v in r.items()})
    return buf.getvalue()


def write_csv(path: str | Path, rows: Iterable[dict[str, Any]], comments: Iterable[str] = ()
              ) -> Path:
    """Write `csv_text()` of ``rows`` atomically; returns the path."""
    atomic_write_text(path, csv_text(rows, comments))
    return Path(path)


def temporary_directory(parent: str | Path | None, prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary directory ``<prefix><pid>-<random>`` in ``parent`` (default: the
    system's) whose creation failure is an `OutputError` naming it; directories of the same
    prefix whose process is gone (a killed run) are removed first."""
    base = Path(parent or tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for old in base.glob(f"{prefix}*"):
            m = re.match(re.escape(prefix) + r"(\d+)-", old.name)
            if m and old.is_dir() and not old.is_symlink() and not process_alive(
                    int(m.group(1))):
                shutil.rmtree(old, ignore_errors=True)
    try:
        return tempfile.TemporaryDirectory(dir=parent, prefix=f"{prefix}{os.getpid()}-")
    except OSError as exc:
        raise output_error(base / prefix, exc) from None


# ------------------------------------------------------------------------------------------
# reports
# ------------------------------------------------------------------------------------------


def render_markdown(blocks: list[tuple[str, Any]]) -> str:
    """Markdown of report blocks (kind, value): h1, h2, h3, p, ul, table, img."""
    out = []
    for kind, val in blocks:
        if kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + f" {val}\n")
        elif kind == "p":
            out.append(f"{val}\n")
        elif kind == "ul":
            out.append("\n".join(f"- {x}" for x in val) + "\n")
        elif kind == "table":
            head, *body = val
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + "---|" * len(head))
            out.extend("| " + " | ".join(str(c) for c in r) + " |" for r in body)
            out.append("")
        elif kind == "img":
            out.append(f"![{val['caption']}](figures/{val['name']}.png)\n\n*{val['caption']}*\n")
    return "\n".join(out)


def render_html(blocks: list[tuple[str, Any]], out_dir: Path) -> str:
    """Self-contained HTML of report blocks (figures embedded from ``out_dir``)."""
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>leptoportal report"
             "</title><style>body{font-family:sans-serif;max-width:1000px;margin:auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px}"
             "img{max-width:100%}</style></head><body>"]
    for kind, val in blocks:
        if kind in ("h1", "h2", "h3"):
            parts.append(f"<{kind}>{html.escape(val)}</{kind}>")
        elif kind == "p":
            parts.append(f"<p>{html.escape(val)}</p>")
        elif kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in val) + "</ul>")
        elif kind == "table":
            head, *body = val
            parts.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head)
                         + "</tr>" + "".join("<tr>" + "".join(
                             f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                             for r in body) + "</table>")
        elif kind == "img":
            data = (out_dir / "figures" / f"{val['name']}.png").read_bytes()
            b64 = base64.b64encode(data).decode()
            parts.append(f"<figure><img src='data:image/png;base64,{b64}'>"
                         f"<figcaption>{html.escape(val['caption'])}</figcaption></figure>")
    parts.append("</body></html>")
    return "\n".join(parts)


__all__ = [
    "MAX_NAME_BYTES", "STALE_AFTER_S", "TEMP_MARK", "atomic_output", "atomic_write_bytes",
    "atomic_write_text", "check_output_dir", "check_output_file", "csv_text", "json_text",
    "output_error", "process_alive", "remove_in_flight", "remove_stale_temporaries",
    "render_html", "render_markdown", "temporary_directory", "temporary_name", "to_jsonable",
    "write_csv", "write_json",
]


def __dir__() -> list[str]:
    return __all__
