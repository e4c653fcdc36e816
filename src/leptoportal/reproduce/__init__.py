"""Reproduce the paper's results: figures, tables (CSV + YAML) and a report, in one call.

The run: `grids` (what to compute) -> `compute` (the numbers; the limit and
thermal-target curves as resumable scan tasks) -> `tables` and `figures` (files
from the numbers, drawn in `style`) -> `report`.

Example: ``reproduce("results", fast=True, scheduler="serial")`` returns the summary (also in
``results/summary.json``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import re
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leptoportal._typing import ProgressFn
from leptoportal.errors import require_choice, require_range
from leptoportal.model import DEFAULT_MODEL, MATRIX_MODELS
from leptoportal.outputs import check_output_dir, json_text, remove_stale_temporaries, write_json
from leptoportal.reproduce import compute, figures, tables
from leptoportal.reproduce.grids import ANNIHILATION_EXPERIMENTS, FIGURES, PLANES, Grids
from leptoportal.reproduce.report import package_versions, summary_sentences, write_report
from leptoportal.reproduce.style import save_figure
from leptoportal.results import Result, quantity
from leptoportal.tasks import NO_LIMIT, NON_PERTURBATIVE_LIMIT

if TYPE_CHECKING:
    from leptoportal.reproduce.grids import PlaneSpec


@dataclasses.dataclass(frozen=True)
class ReproduceSummary(Result):
    """What a reproduction found and where it put it (summary.json, and ``--json``)."""

    title = "reproduction"

    out: str = quantity("", "output directory")
    report: str = quantity("", "the report (markdown; report.html beside it)")
    model: str = quantity("", "coupling model of the (m_phi, h) plane")
    fast: bool = quantity("", "small grids (--fast)")
    excluded: dict[str, Any] = quantity("GeV", "m_phi ranges [lo, hi] where the first experiment "
                              "excludes the central g-2 coupling (central), the whole 2 "
                              "sigma band (whole_2sigma) or part of it (part_2sigma)")
    timings_s: dict[str, Any] = quantity("s", "wall time per stage and in total")
    versions: dict[str, Any] = quantity(
        "", "versions of the package and its numerical dependencies")
    xsec_comparison: list[Any] | None = quantity(
        "", "figure 2's rows: m_phi (GeV), sigma_etl_pb, sigma_etl_err_pb, sigma_ww_pb, "
        "sigma_iww_pb", optional=True)
    relic: dict[str, Any] | None = quantity(
        "", "thermal target at the benchmark: m_phi (GeV), h_relic",
                                  optional=True)
    annihilation_reach: dict[str, Any] | None = quantity(
        "", "per set-up of the mu+ annihilation on atomic electrons, [m_phi (GeV), h] of "
        "its deepest reach", optional=True)
    combined_bound_set_by: dict[str, Any] | None = quantity(
        "GeV", "models of several entries: per bound of leptoportal.constraints, the m_phi "
        "ranges [lo, hi] where it sets the combined bound on h", optional=True)
    clfv_excluded: dict[str, Any] | None = quantity(
        "GeV", "models with charged lepton flavour violation: like excluded, for the "
        "strongest cLFV bound (channels: the decays that set it)", optional=True)


def reproduce(out: str | Path = "results", fast: bool = False, scheduler: str | None = None,
              progress: ProgressFn | None = None, model: str = DEFAULT_MODEL, refine: int = 0
    ) -> dict[str, Any]:
    """Run everything into ``out``; returns the summary (also written as summary.json).

    ``progress``: optional callable(done, total, what) (the scan's points, then the stages
    after it). ``scheduler``: as `leptoportal.scan.run_scan()`; by default (or "local") two
    processes forked from this one run the scan and, beside it, the computations of figures
    2-4.

    ``model``: the coupling model of the (m_phi, h) plane (`PLANES`); the
    paper's e-mu model also gives the cross-section, spectrum and relic figures. ``refine``:
    passes of adaptive sampling where the curves bend or end
    (`refinement_tasks()`).
    """
    from leptoportal import scan

    require_choice("model", model, tuple(PLANES))
    spec = PLANES[model]
    out = check_output_dir(out, create=True)
    for sub in ("figures", "tables"):
        remove_stale_temporaries(out / sub)
    grids = Grids.make(fast, spec)
    grids.refinement_passes = int(require_range("refine", refine, 0, 5))
    tw = tables.TableWriter(out)
    timings: dict[str, float] = {}
    report = _StageProgress(progress)
    t_all = t0 = time.perf_counter()
    tasks = compute.scan_tasks(grids, spec)
    if model == DEFAULT_MODEL:
        tasks += compute.annihilation_tasks(grids) + compute.shower_tasks(grids)
    with contextlib.ExitStack() as stack:
        # the planes reach past every experiment on purpose: a mass without a limit is an
        # empty stretch of a curve here, not a warning (the scan keeps h_limit null)
        stack.enter_context(warnings.catch_warnings())
        for text in (NO_LIMIT, NON_PERTURBATIVE_LIMIT):
            warnings.filterwarnings("ignore", message=re.escape(text))
        pool = None
        if (scheduler or scan.default_scheduler()) == scan.LOCAL:
            compute.warm_up()  # the forked workers start with the compiled kernels loaded
            pool = stack.enter_context(scan.local_pool())
        # the figures' own computations run beside the scan on the same workers
        jobs = _paper_jobs(grids, pool) if model == DEFAULT_MODEL else {}
        rows = scan.run_scan(tasks, out / "scan", scheduler, progress=report.scan,
                             executor=pool)
        for _ in range(grids.refinement_passes):  # adaptive sampling where the curves bend
            extra = compute.refinement_tasks(tasks, rows)
            if not extra:
                break
            tasks += extra
            rows = scan.run_scan(tasks, out / "scan", scheduler, progress=report.scan,
                                 executor=pool)
        scan.write_results(rows, out / "scan")
        timings["scan (limits, thermal target)"] = time.perf_counter() - t0
        report.stage("figures' data")
        t0 = time.perf_counter()
        data = {key: job.result() if hasattr(job, "result") else job()
                for key, job in jobs.items()}
        data["plane"] = compute.plane(grids, rows, spec)
        if model == DEFAULT_MODEL:
            data["annihilation"] = compute.annihilation_reach(rows, data["plane"])
            data["showers"] = compute.shower_reach(rows)
        if model in MATRIX_MODELS:  # every bound on a matrix of several entries
            data["constraints"] = compute.constraints_plane(grids, data["plane"], spec)
        timings["figures' data"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        report.stage("figures and tables")
        drawn = _draw_figures(data, spec, out, pool)  # on the workers, beside the tables
        _tables(tw, data, spec)
        drawn = [d.result() if hasattr(d, "result") else d for d in drawn]
        timings["figures and tables"] = time.perf_counter() - t0
    plane = data["plane"]
    summary: dict[str, Any] = {
        "out": str(out), "report": str(out / "report.md"), "model": model, "fast": fast,
        "excluded": compute.excluded_ranges(plane.masses, plane.bands.get("fnal2021", []),
                                            plane.limits.get(spec.experiments[0], [])),
    }
    if "constraints" in data:
        summary["combined_bound_set_by"] = compute.set_by_ranges(data["constraints"])
    if plane.clfv:
        summary["clfv_excluded"] = {
            **compute.excluded_ranges(plane.masses, plane.bands.get("fnal2021", []),
                                      plane.clfv),
            "channels": sorted({p[2] for p in plane.clfv})}
    if model == DEFAULT_MODEL:
        rc = data["relic"]
        summary.update({"xsec_comparison": data["xsec"],
                        "relic": {"m_phi": rc.m_phi, "h_relic": rc.h_relic},
                        "annihilation_reach": {name: min(pts, key=lambda p: p[1])[:2]
                                           for name, pts in data["annihilation"].reach.items()
                                           if pts and name in ANNIHILATION_EXPERIMENTS}})
    timings["total"] = time.perf_counter() - t_all
    summary["timings_s"] = timings
    summary["versions"] = package_versions()
    report.stage("report and HEPData submission")
    write_report(out, summary, tw.written, drawn, timings, grids, fast, spec)
    tw.write_hepdata(out / "report.md")
    report.stage(None)
    summary = ReproduceSummary(**summary).to_dict()
    write_json(out / "summary.json", summary)
    returned: dict[str, Any] = json.loads(json_text(summary))
    return returned


#: the steps after the scan (figures' data, figures and tables, report): the progress shown
#: counts each as one scan point
_STAGES_AFTER_SCAN = 3


class _StageProgress:
    """The progress of a run: the scan points, then the stages after the scan, through
    ``progress(done, total, what)``."""

    def __init__(self, progress: ProgressFn | None) -> None:
        self.progress = progress
        self.done = self.total = 0

    def scan(self, done: int, total: int) -> None:
        self.done, self.total = done, total + _STAGES_AFTER_SCAN
        if self.progress:
            self.progress(done, self.total, "scan points")

    def stage(self, what: str | None) -> None:
        """The next stage (None: finished)."""
        self.done = self.total if what is None else min(self.done + 1, self.total)
        if self.progress:
            self.progress(self.done, self.total, what or "done")


#: the computations of figures 2-4 (e-mu run)
_PAPER_JOBS = {"xsec": compute.xsec_comparison, "spectra": compute.spectra,
               "relic": compute.relic_curve}


def _paper_jobs(grids: Grids, pool: Any) -> dict[str, Any]:
    """Figures 2-4's computations: futures of ``pool``, or functions to call in this
    process."""
    if pool is None:
        return {key: functools.partial(fn, grids) for key, fn in _PAPER_JOBS.items()}
    return {key: pool.submit(fn, grids) for key, fn in _PAPER_JOBS.items()}


def _figure_functions(spec: PlaneSpec) -> dict[str, Any]:
    """Stage -> the function drawing its figure from its data."""
    return {"plane": functools.partial(figures.plane, spec=spec),
            "xsec": figures.xsec_comparison, "spectra": figures.spectra,
            "relic": figures.relic, "annihilation": figures.annihilation_reach,
            "showers": figures.shower_positrons,
            "constraints": functools.partial(figures.constraints_plane, spec=spec)}


def draw_figure(key: str, draw: Callable[[Any], Any], data: Any, out: Path) -> dict[str, Any]:
    """Draw and save one figure (PNG and PDF); returns what the report says of it."""
    fig = FIGURES[key]
    save_figure(draw(data), out / "figures" / fig.stem)
    return {"name": fig.stem, "caption": f"Figure {fig.number}: {fig.caption}",
            "number": fig.number, "paper": fig.paper}


def _draw_figures(data: dict[str, Any], spec: PlaneSpec, out: Path, pool: Any) -> list[Any]:
    """Every figure whose data is there, in figure order: futures of ``pool`` (the workers
    draw while this process writes the tables), or the results drawn here."""
    draw = _figure_functions(spec)
    keys = sorted((k for k in data if k in FIGURES), key=lambda k: FIGURES[k].number)
    if pool is None:
        return [draw_figure(k, draw[k], data[k], out) for k in keys]
    return [pool.submit(draw_figure, k, draw[k], data[k], out) for k in keys]


def _tables(tw: tables.TableWriter, data: dict[str, Any], spec: PlaneSpec) -> None:
    """The CSV tables of every figure whose data is there."""
    tables.plane_tables(tw, data["plane"], spec)
    if "constraints" in data:
        tables.constraints_tables(tw, data["constraints"], spec)
    for key, write in (("xsec", tables.xsec_tables), ("spectra", tables.spectra_tables),
                       ("relic", tables.relic_tables), ("annihilation", tables.annihilation_tables),
                       ("showers", tables.shower_tables)):
        if key in data:
            write(tw, data[key])


def check_inputs(out: str | Path, model: str = DEFAULT_MODEL, refine: int = 0,
                 scheduler: str | None = None) -> Path:
    """Check every input of a run before anything is computed or created, then create the
    output directory; returns it."""
    from leptoportal.scan import check_scheduler

    require_choice("model", model, tuple(PLANES))
    require_range("refine", refine, 0, 5)
    check_scheduler(scheduler)
    check_output_dir(out)
    return check_output_dir(out, create=True)


__all__ = [
    "PLANES", "Grids", "ReproduceSummary", "check_inputs", "reproduce", "summary_sentences"]


def __dir__() -> list[str]:
    return __all__
