"""Parameter scans on Dask with atomic per-point results and resume (SPEC 8).

A scan is a list of *tasks*, each a small dict (kind + parameters). Every finished task is
written as ``<out>/points/<hash>.json`` (atomic rename), so an interrupted scan loses nothing
and a rerun computes only the missing points. Execution: a ``dask.distributed.LocalCluster``
by default, a remote scheduler when an address is given, or ``serial`` (in-process).

Task kinds:

* ``limit``: h_limit of an experiment at m_phi (optional n_obs, background, eot, alpha_dark,
  method, cl, sensitivity);
* ``yield``: n_signal of an experiment at (m_phi, h);
* ``relic``: Omega h^2 at (m_phi, h, alpha_dark, ratio);
* ``relic-target``: h_relic at (m_phi, alpha_dark, ratio);
* ``g2-band``: the band of a dataset at m_phi;
* ``xsec``: sigma of (beam, energy, target, m_phi, method).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import time
from pathlib import Path

import numpy as np
import yaml

from leptoportal.cache import atomic_write_text, input_hash
from leptoportal.errors import InputError

KINDS = ("limit", "yield", "relic", "relic-target", "g2-band", "xsec")


def run_task(task: dict) -> dict:
    """Evaluate one task (pure function of its parameters) and return its result row."""
    kind = task["kind"]
    t0 = time.perf_counter()
    if kind == "limit":
        from leptoportal import experiments as ex
        from leptoportal import stats

        over = {k: task[k] for k in ("n_obs", "background", "eot", "efficiency") if k in task}
        cfg = ex.get_preset(task["experiment"], **over)
        if task.get("sensitivity"):
            cfg = ex.make_config(cfg.model_dump(), n_obs=round(cfg.background))
        n_up = stats.upper_limit(cfg.n_obs, cfg.background, task.get("cl", 0.9),
                                 task.get("method", "cls"))
        from leptoportal.model import DarkSector

        alpha = task.get("alpha_dark")
        dark = DarkSector.benchmark(task["m_phi"], alpha_dark=alpha) if alpha else None
        h = ex.coupling_limit(cfg, task["m_phi"], n_up, dark=dark,
                              br_inv=task.get("br_invisible"),
                              precision=task.get("precision", 0.01))
        result = {"h_limit": h, "n_up": n_up}
    elif kind == "yield":
        from leptoportal import experiments as ex
        from leptoportal.model import Portal

        cfg = ex.get_preset(task["experiment"])
        y = ex.signal_yield(cfg, Portal.from_kind(task["m_phi"], task["h"]),
                            precision=task.get("precision", 0.01))
        result = {"n_signal": y.n_signal, "n_signal_err": y.n_signal_err}
    elif kind == "relic":
        from leptoportal import relic
        from leptoportal.model import DarkSector, Portal

        dark = DarkSector.benchmark(task["m_phi"], alpha_dark=task["alpha_dark"],
                                    ratio=task.get("ratio", 3.0))
        r = relic.omega_h2(Portal.from_kind(task["m_phi"], task["h"]), dark)
        result = {"omega_h2": r.omega_h2, "x_f": r.x_f}
    elif kind == "relic-target":
        from leptoportal import relic

        result = {"h_relic": relic.h_for_relic(task["m_phi"], task["alpha_dark"],
                                               task.get("ratio", 3.0))}
    elif kind == "g2-band":
        from leptoportal import g2

        result = g2.coupling_band(task["m_phi"], task.get("dataset", "fnal2021"))
        result.pop("m_phi", None)
    elif kind == "xsec":
        from leptoportal.production import Process, cross_section

        proc = Process(task.get("beam", "e-"), task["energy"], task.get("target", "Pb"),
                       task["m_phi"])
        r = cross_section(proc, task.get("method", "etl"), task.get("precision", 0.005))
        result = {"sigma_pb": r.sigma_pb, "sigma_err_pb": r.sigma_err_pb}
    else:
        raise InputError(f"task kind = {kind!r} is not one of: {', '.join(KINDS)}")
    return {**task, **result, "time_s": time.perf_counter() - t0}


def task_key(task: dict) -> str:
    return input_hash({"task": task})


def _expand(value):
    """A scan axis: a list, a scalar, or {log: [lo, hi, n]} / {lin: [lo, hi, n]}."""
    if isinstance(value, dict):
        if "log" in value:
            lo, hi, n = value["log"]
            return [float(x) for x in np.geomspace(lo, hi, int(n))]
        if "lin" in value:
            lo, hi, n = value["lin"]
            return [float(x) for x in np.linspace(lo, hi, int(n))]
        raise InputError(f"scan axis {value!r} needs 'log' or 'lin'")
    if isinstance(value, list):
        return value
    return [value]


def tasks_from_config(cfg: dict) -> list[dict]:
    """Cartesian product of the config's axes (``kind`` plus any parameter lists)."""
    if not isinstance(cfg, dict) or "kind" not in cfg:
        raise InputError("scan config needs a 'kind' and parameter axes")
    kind = cfg["kind"]
    if kind not in KINDS:
        raise InputError(f"kind = {kind!r} is not one of: {', '.join(KINDS)}")
    axes = {k: _expand(v) for k, v in cfg.items() if k not in ("kind", "name")}
    names = list(axes)
    tasks = []
    for combo in itertools.product(*(axes[n] for n in names)):
        t = {"kind": kind}
        t.update({n: (float(v) if isinstance(v, int | float) and not isinstance(v, bool)
                      and n not in ("n_obs",) else v) for n, v in zip(names, combo, strict=True)})
        tasks.append(t)
    return tasks


def load_scan_config(path: str | Path) -> dict:
    path = Path(path)
    if not path.exists():
        raise InputError(f"config = {str(path)!r} does not exist")
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise InputError(f"config = {str(path)!r} is not valid YAML") from exc
    return data


def pending(tasks: list[dict], out: Path) -> list[dict]:
    """Tasks without a finished result file."""
    return [t for t in tasks if not (out / "points" / f"{task_key(t)}.json").exists()]


def _write_point(out: Path, row: dict) -> None:
    atomic_write_text(out / "points" / f"{row['_key']}.json", json.dumps(row, default=float))


def run_scan(tasks: list[dict], out: str | Path, scheduler: str | None = None,
             progress=None, n_workers: int = 2) -> list[dict]:
    """Run ``tasks`` (skipping finished ones) and return all rows in task order.

    ``scheduler``: None -> LocalCluster(n_workers), "serial" -> in-process, else an address.
    ``progress``: optional callable(done, total).
    """
    out = Path(out)
    (out / "points").mkdir(parents=True, exist_ok=True)
    todo = pending(tasks, out)
    total, done = len(tasks), len(tasks) - len(todo)
    if progress:
        progress(done, total)
    if todo:
        if scheduler == "serial":
            for t in todo:
                row = {**run_task(t), "_key": task_key(t)}
                _write_point(out, row)
                done += 1
                if progress:
                    progress(done, total)
        else:
            from dask.distributed import Client, LocalCluster, as_completed

            cluster = None
            if scheduler is None:
                cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1,
                                       processes=True, dashboard_address=None)
                client = Client(cluster)
            else:
                client = Client(scheduler)
            try:
                futures = {client.submit(run_task, t, pure=False): t for t in todo}
                for fut in as_completed(futures):
                    t = futures[fut]
                    row = {**fut.result(), "_key": task_key(t)}
                    _write_point(out, row)
                    done += 1
                    if progress:
                        progress(done, total)
            finally:
                client.close()
                if cluster is not None:
                    cluster.close()
    return collect(tasks, out)


def collect(tasks: list[dict], out: str | Path) -> list[dict]:
    out = Path(out)
    rows = []
    for t in tasks:
        path = out / "points" / f"{task_key(t)}.json"
        if path.exists():
            row = json.loads(path.read_text())
            row.pop("_key", None)
            rows.append(row)
    return rows


def rows_to_csv(rows: list[dict]) -> str:
    keys: list[str] = []
    for r in rows:
        for k in r:
            if k not in keys:
                keys.append(k)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=keys)
    w.writeheader()
    for r in rows:
        w.writerow({k: (json.dumps(v) if isinstance(v, list | dict) else v)
                    for k, v in r.items()})
    return buf.getvalue()


def write_results(rows: list[dict], out: str | Path) -> Path:
    path = Path(out) / "results.csv"
    atomic_write_text(path, rows_to_csv(rows))
    return path


__all__ = ["KINDS", "collect", "load_scan_config", "pending", "run_scan", "run_task",
           "task_key", "tasks_from_config", "write_results"]
