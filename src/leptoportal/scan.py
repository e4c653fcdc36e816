"""Resumable parameter scans: the tasks of `leptoportal.tasks` over a grid, on Dask.

A scan is a list of tasks (``kind`` plus parameters, see `leptoportal.tasks.TASKS`).
Every finished task is stored as one record of a `PointStore` in
``<out>/points`` (atomic rename, keyed by the task and the cache schema), so an interrupted
scan loses nothing and a rerun computes only the missing points; a record that cannot be
trusted is recomputed. Execution: a ``dask.distributed.LocalCluster`` by default, a remote
scheduler when an address is given, or ``serial`` (in-process).

Example config (YAML):

    kind: limit
    experiment: [na64e-2016-2018, na64e-upgrade]
    m_phi: {log: [0.11, 3.0, 12]}
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib.util
import itertools
import logging
import math
import os
import re
import shutil
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from leptoportal._typing import ProgressFn
from leptoportal.cache import PointStore
from leptoportal.config import read_yaml_mapping
from leptoportal.errors import InputError, echo, require_extra, require_finite
from leptoportal.outputs import (
    atomic_write_text,
    check_output_dir,
    csv_text,
    remove_stale_temporaries,
)
from leptoportal.results import Result, quantity
from leptoportal.tasks import KINDS, check_task, run_task


@dataclasses.dataclass(frozen=True)
class ScanSummary(Result):
    """What a scan wrote."""

    title = "scan"

    points: int = quantity("", "finished points (rows of results.csv)")
    results: str = quantity("", "the table of every point (CSV; columns = the JSON keys of "
                            "the points' commands, plus the task parameters)")
    out: str = quantity("", "output directory (points/ holds one JSON file per point)")


#: scheduler value that runs the tasks in this process
SERIAL = "serial"
#: scheduler value that runs the tasks on processes forked from this one: they start in
#: milliseconds with the package and its compiled kernels already loaded (reproduce's default)
LOCAL = "local"
#: scheduler value that starts a Dask LocalCluster (scratch space in the output directory)
DASK_LOCAL = "dask"
#: a Dask scheduler address
SCHEDULER_ADDRESS = re.compile(r"^(tcp|ws)://[^\s/:]+(:\d{1,5})?$")
#: Dask protocols a scan cannot use, and why
UNSUPPORTED_PROTOCOLS = {
    "tls": "needs a Dask security configuration (certificates), which scan does not take",
    "wss": "needs a Dask security configuration (certificates), which scan does not take",
    "ucx": "needs the UCX transport (ucx-py), which the scan extra does not install",
    "inproc": "reaches a scheduler inside the same process only",
}
#: seconds to wait for a remote scheduler
CONNECT_TIMEOUT_S = 10
#: a scan with no worker for this long stops (keeping finished points)
NO_WORKER_TIMEOUT_S = 60.0


#: largest number of tasks one scan may define
MAX_TASKS = 100_000


def _axis_count(name: str, n: Any) -> int:
    if (isinstance(n, bool) or not isinstance(n, int | float) or not math.isfinite(n)
            or n != int(n)):
        raise InputError(f"scan axis {name}: the count {n!r} is not a whole number")
    if not 1 <= n <= MAX_TASKS:
        raise InputError(f"scan axis {name}: the count {n!r} is outside [1, {MAX_TASKS}]")
    return int(n)


def _expand(name: str, value: Any) -> list[Any]:
    """A scan axis: a list, a scalar, or {log: [lo, hi, n]} / {lin: [lo, hi, n]}."""
    if isinstance(value, dict):
        if len(value) != 1 or next(iter(value)) not in ("log", "lin"):
            raise InputError(f"scan axis {name} = {value!r} needs exactly one of 'log' or "
                             "'lin': [lo, hi, n]")
        how, spec = next(iter(value.items()))
        if not isinstance(spec, list) or len(spec) != 3:
            raise InputError(f"scan axis {name}: {how} needs [lo, hi, n], got {spec!r}")
        lo = require_finite(f"scan axis {name} lower end", spec[0])
        hi = require_finite(f"scan axis {name} upper end", spec[1])
        n = _axis_count(name, spec[2])
        if how == "log":
            if lo <= 0 or hi <= 0:
                raise InputError(f"scan axis {name}: log needs positive ends, got [{lo:g}, "
                                 f"{hi:g}]")
            return [float(x) for x in np.geomspace(lo, hi, n)]
        return [float(x) for x in np.linspace(lo, hi, n)]
    if isinstance(value, list):
        if not value:
            raise InputError(f"scan axis {name} is an empty list")
        if len(value) > MAX_TASKS:
            raise InputError(f"scan axis {name} has {len(value)} values; at most {MAX_TASKS}")
        return value
    return [value]


def tasks_from_config(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """Cartesian product of the config's axes (``kind`` plus any parameter lists)."""
    if not isinstance(cfg, dict) or "kind" not in cfg:
        raise InputError("scan config needs a 'kind' and parameter axes")
    kind = cfg["kind"]
    if not isinstance(kind, str) or kind not in KINDS:
        raise InputError(f"kind = {kind!r} is not one of: {', '.join(KINDS)}")
    axes = {k: _expand(k, v) for k, v in cfg.items() if k not in ("kind", "name")}
    total = math.prod(len(v) for v in axes.values())
    if total > MAX_TASKS:
        raise InputError(f"the scan defines {total} tasks; at most {MAX_TASKS}")
    names = list(axes)
    tasks = []
    for combo in itertools.product(*(axes[n] for n in names)):
        t: dict[str, Any] = {"kind": kind}
        t.update({n: (float(v) if isinstance(v, int | float) and not isinstance(v, bool)
                      and n not in ("n_obs", "seed") else v)
                  for n, v in zip(names, combo, strict=True)})
        tasks.append(t)
    return tasks


#: parameters of a scan that name files: relative paths are relative to the scan file
FILE_PARAMETERS = ("config", "couplings")


def load_scan_config(path: str | Path) -> dict[str, Any]:
    """The mapping of a scan YAML file, with one-line errors; the files it names (an
    experiment ``config``, a ``couplings`` matrix) are found relative to the scan file."""
    data = read_yaml_mapping(path, "scan config")
    here = Path(path).resolve().parent
    for key in FILE_PARAMETERS:
        value = data.get(key)
        if isinstance(value, str):
            data[key] = _beside(here, value)
        elif isinstance(value, list):
            data[key] = [_beside(here, v) if isinstance(v, str) else v for v in value]
    return data


def _beside(directory: Path, name: str) -> str:
    path = Path(name).expanduser()
    return str(path if path.is_absolute() else directory / path)


def _store(out: Path) -> PointStore:
    return PointStore(out / "points")


def _is_row(task: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    return lambda record: len(record) > len(task)


def pending(tasks: list[dict[str, Any]], out: str | Path) -> list[dict[str, Any]]:
    """Tasks without a trustworthy finished record."""
    store = _store(Path(out))
    return [t for t in tasks if store.get(t, check=_is_row(t)) is None]


def _timed(task: dict[str, Any]) -> dict[str, Any]:
    """Run one task (on whatever worker) and return its row with its wall time and the
    warnings it raised (the caller shows them once each: a worker's own stderr is not the
    user's)."""
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        row = run_task(task)
    messages = list(dict.fromkeys(str(w.message) for w in caught))
    return {**row, "_time_s": time.perf_counter() - t0, "_warnings": messages}


class _Finisher:
    """Stores each finished point at once, reports the progress and shows the warnings of
    the points once each (``warning:`` lines on the command line)."""

    def __init__(self, store: PointStore, done: int, total: int,
                 progress: ProgressFn | None) -> None:
        self.store, self.done, self.total, self.progress = store, done, total, progress
        self._shown: set[str] = set()

    def __call__(self, task: dict[str, Any], row: dict[str, Any]) -> None:
        for message in row.pop("_warnings", ()):
            if message not in self._shown:
                self._shown.add(message)
                warnings.warn(message, stacklevel=2)
        self.store.put(task, row)
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)


def run_scan(tasks: list[dict[str, Any]], out: str | Path, scheduler: str | None = None,
             progress: ProgressFn | None = None, n_workers: int = 2,
             executor: Any = None) -> list[dict[str, Any]]:
    """Run ``tasks`` (skipping finished ones) and return all rows in task order.

    ``scheduler``: "local" -> ``n_workers`` processes forked from this one, "dask" -> a Dask
    LocalCluster(n_workers), "serial" -> this process, else the address of a Dask scheduler;
    None -> "local" where processes can be forked, else "dask" if the ``scan`` extra
    (dask.distributed) is installed, else "serial". An ``executor`` (a
    ``concurrent.futures`` pool the caller shares with other work) replaces the scheduler.
    ``progress``: optional callable(done, total).
    """
    scheduler = check_scheduler(scheduler)
    for t in tasks:  # every task is valid before the output directory is made
        check_task(t)
    out = check_output_dir(out, create=True)
    remove_stale_temporaries(out / "points")
    if scheduler is None:
        scheduler = default_scheduler()
    store = _store(out)
    todo = pending(tasks, out)
    total, done = len(tasks), len(tasks) - len(todo)
    if progress:
        progress(done, total)
    finish = _Finisher(store, done, total, progress)
    if todo and (executor is not None or scheduler == LOCAL):
        with contextlib.ExitStack() as stack:
            pool = executor or stack.enter_context(local_pool(n_workers))
            _run_on_pool(todo, pool, finish)
    elif todo and scheduler == SERIAL:
        for t in todo:
            finish(t, _timed(t))
    elif todo:
        _run_on_dask(todo, out, scheduler, n_workers, finish)
    return collect(tasks, out)


def default_scheduler() -> str:
    """"local" where processes can be forked, else "dask" if dask.distributed is installed,
    else "serial"."""
    if can_fork():
        return LOCAL
    return DASK_LOCAL if importlib.util.find_spec("distributed") is not None else SERIAL


def check_scheduler(scheduler: str | None) -> str | None:
    """None (the default), "local", "dask", "serial", or a Dask address like
    tcp://host:8786."""
    if scheduler == LOCAL and not can_fork():
        raise InputError("scheduler = 'local' needs processes forked from this one, which "
                         "this platform cannot do; use 'dask' or 'serial'",
                         parameters=("scheduler",))
    if scheduler is None or scheduler in (SERIAL, LOCAL, DASK_LOCAL):
        return scheduler
    protocol = scheduler.partition("://")[0] if isinstance(scheduler, str) else ""
    if protocol in UNSUPPORTED_PROTOCOLS:
        raise InputError(f"scheduler = {echo(scheduler)}: {protocol}:// "
                         f"{UNSUPPORTED_PROTOCOLS[protocol]}; give tcp://host:port",
                         parameters=("scheduler",))
    if not isinstance(scheduler, str) or not SCHEDULER_ADDRESS.match(scheduler):
        raise InputError(f"scheduler = {echo(scheduler)} is not 'local', 'dask', "
                         "'serial' or an address like tcp://host:8786", parameters=("scheduler",))
    return scheduler


def can_fork() -> bool:
    """Whether this platform can fork worker processes (not on Windows)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


#: how often a forked worker looks whether its parent is still there (s)
PARENT_CHECK_S = 0.2


def _worker_stopped(signum: int, frame: Any) -> None:
    """SIGTERM in a worker (its parent stops it): remove its half-written files, end."""
    from leptoportal.outputs import remove_in_flight

    remove_in_flight()
    os._exit(128 + signal.SIGTERM)


def _worker_start(parent: int) -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the workers); SIGTERM ends
    it after removing its temporaries; and it ends itself once its parent is gone (killed
    with SIGKILL, the parent cannot stop it): a daemon thread compares the parent's pid every
    `PARENT_CHECK_S`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stopped)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="leptoportal-parent-watch", daemon=True).start()


def _quiet_cancelled_futures() -> None:
    """Drop one known error of Python 3.11's process pool: when its workers are stopped
    while the futures are being cancelled (an interrupt), the pool's manager thread marks the
    cancelled futures broken and fails with InvalidStateError (fixed in later Pythons). The
    futures are cancelled either way; the traceback would follow the one-line message."""
    from concurrent.futures import InvalidStateError

    previous = threading.excepthook
    if getattr(previous, "leptoportal", False):
        return

    def hook(args: Any) -> None:
        if not (isinstance(args.exc_value, InvalidStateError)
                and "CANCELLED" in str(args.exc_value)):
            previous(args)

    hook.leptoportal = True  # type: ignore[attr-defined]
    threading.excepthook = hook


@contextlib.contextmanager
def local_pool(n_workers: int = 2) -> Iterator[Any]:
    """A pool of ``n_workers`` processes forked from this one (which has imported the package
    and loaded its compiled kernels: the workers start at once). On an error or an interrupt
    (Ctrl-C, SIGTERM) the workers are stopped at once rather than left to finish their
    tasks; if this process is killed (SIGKILL), they end within `PARENT_CHECK_S`."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _quiet_cancelled_futures()
    pool = ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        for child in multiprocessing.active_children():
            child.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_on_pool(todo: list[dict[str, Any]], pool: Any, finish: _Finisher) -> None:
    """Run ``todo`` on a ``concurrent.futures`` pool, storing each point when it finishes;
    on an error or an interrupt the unstarted tasks are cancelled (finished points kept)."""
    from concurrent.futures import as_completed

    futures = {pool.submit(_timed, t): t for t in todo}
    try:
        for fut in as_completed(futures):
            finish(futures[fut], fut.result())
    except BaseException:
        for fut in futures:
            fut.cancel()
        raise


#: loggers of dask.distributed: their tracebacks (lost heartbeats, reconnection attempts)
#: would reach the user's terminal; the scan reports lost schedulers and workers in one line
_DASK_LOGGERS = ("distributed", "distributed.client", "distributed.worker",
                 "distributed.nanny", "distributed.scheduler", "distributed.core",
                 "distributed.comm", "tornado", "asyncio")


@contextlib.contextmanager
def _quiet_dask_logs() -> Iterator[None]:
    saved = {name: logging.getLogger(name).level for name in _DASK_LOGGERS}
    try:
        for name in _DASK_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _lost(what: str, finish: _Finisher) -> InputError:
    return InputError(f"{what}; {finish.done} of {finish.total} points are finished and kept, "
                      "rerun to resume", parameters=("scheduler",))


def _run_on_dask(todo: list[dict[str, Any]], out: Path, scheduler: str, n_workers: int,
                 finish: _Finisher) -> None:
    """Run ``todo`` on a local cluster (scratch space in ``out``, removed afterwards) or at
    ``scheduler``; stores each finished point at once. Fails with one line if the scheduler
    cannot be reached or is lost, if a task keeps killing its workers, or if no worker is
    left for NO_WORKER_TIMEOUT_S."""
    distributed = require_extra("dask.distributed", "scan")
    with contextlib.ExitStack() as stack:
        stack.enter_context(_quiet_dask_logs())
        if scheduler == DASK_LOCAL:
            scratch = out / "dask-scratch"
            scratch.mkdir(parents=True, exist_ok=True)
            stack.callback(shutil.rmtree, scratch, True)  # its lock files and spills
            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True,
                dashboard_address=None, local_directory=str(scratch),
                silence_logs=logging.CRITICAL))
            client = stack.enter_context(distributed.Client(cluster))
        else:
            try:
                client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError) as exc:
                raise InputError(f"scheduler = {scheduler!r} cannot be reached "
                                 f"({type(exc).__name__}); finished points are kept",
                                 parameters=("scheduler",)) from None
            stack.callback(_close_quietly, client)
        try:
            _wait_for_dask(distributed, client, todo, finish)
        except (distributed.client.FuturesCancelledError, OSError,
                asyncio.CancelledError) as exc:
            raise _lost(f"the Dask scheduler {scheduler} was lost ({type(exc).__name__})",
                        finish) from None


def _close_quietly(client: Any) -> None:
    with contextlib.suppress(Exception):
        client.close(timeout=2)


def _wait_for_dask(distributed: Any, client: Any, todo: list[dict[str, Any]],
                   finish: _Finisher) -> None:
    futures = {client.submit(_timed, t, pure=False): t for t in todo}
    pending_futs = set(futures)
    no_worker_since = None
    while pending_futs:
        try:
            finished, pending_futs = distributed.wait(pending_futs, timeout=2.0,
                                                      return_when="FIRST_COMPLETED")
        except TimeoutError:  # nothing finished in 2 s: check the scheduler and workers
            finished = set()
        for fut in finished:
            try:
                row = fut.result()
            except distributed.KilledWorker:
                raise _lost("a scan task killed its Dask workers repeatedly", finish) \
                    from None
            finish(futures[fut], row)
        if finished:
            no_worker_since = None
            continue
        if client.status not in ("running", "connecting"):
            raise _lost(f"the Dask scheduler was lost (client {client.status})", finish)
        try:
            workers = client.scheduler_info().get("workers")
        except (OSError, TimeoutError, AttributeError):
            raise _lost("the Dask scheduler does not answer", finish) from None
        if not workers:
            no_worker_since = no_worker_since or time.monotonic()
            if time.monotonic() - no_worker_since > NO_WORKER_TIMEOUT_S:
                raise _lost(f"no Dask worker left for {NO_WORKER_TIMEOUT_S:g} s", finish)


def collect(tasks: list[dict[str, Any]], out: str | Path) -> list[dict[str, Any]]:
    """The finished rows of ``tasks`` in task order (without private fields)."""
    store = _store(Path(out))
    rows = []
    for t in tasks:
        rec = store.get(t, check=_is_row(t))
        if rec is not None:
            rows.append(rec)
    return rows


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    """CSV text of result rows (`leptoportal.outputs.csv_text()`: the columns are the
    rows' keys, nested values as JSON)."""
    return csv_text(rows)


def write_results(rows: list[dict[str, Any]], out: str | Path) -> Path:
    """Write ``<out>/results.csv`` atomically and return its path."""
    path = Path(out) / "results.csv"
    atomic_write_text(path, rows_to_csv(rows))
    return path


__all__ = [
    "CONNECT_TIMEOUT_S", "DASK_LOCAL", "FILE_PARAMETERS", "LOCAL", "MAX_TASKS",
    "NO_WORKER_TIMEOUT_S", "SCHEDULER_ADDRESS", "SERIAL", "can_fork", "check_scheduler",
    "collect", "default_scheduler", "load_scan_config", "local_pool", "pending",
    "rows_to_csv", "run_scan", "tasks_from_config", "write_results",
]


def __dir__() -> list[str]:
    return __all__
