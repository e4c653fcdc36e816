"""Reproduce the paper's results: figures, tables (CSV + YAML) and a report, in one call.

The run: :mod:`~.grids` (what to compute) -> :mod:`~.compute` (the numbers; the limit and
thermal-target curves as resumable scan tasks) -> :mod:`~.tables` and :mod:`~.figures` (files
from the numbers, drawn in :mod:`~.style`) -> :mod:`~.report`.

Example: ``reproduce("results", fast=True, scheduler="serial")`` returns the summary (also in
``results/summary.json``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import time
from pathlib import Path

from leptoportal.errors import require_choice, require_range
from leptoportal.model import DEFAULT_MODEL
from leptoportal.outputs import check_output_dir, json_text, remove_stale_temporaries, write_json
from leptoportal.reproduce import compute, figures, tables
from leptoportal.reproduce.grids import PLANES, Grids
from leptoportal.reproduce.report import package_versions, summary_sentences, write_report
from leptoportal.reproduce.style import save_figure
from leptoportal.results import Result, quantity

#: (file stem, caption) of each figure
FIGURES = {
    "plane": ("fig1_mphi_h_plane", "The (m_phi, h_emu) plane: muon g-2 bands, NA64 2016-2018 "
              "exclusion, projected sensitivities, thermal target and electron g-2 limits."),
    "xsec": ("fig2_xsec_100GeV", "Total cross-section at 100 GeV on Pb: exact tree level vs WW "
             "and IWW."),
    "spectra": ("fig3_spectra", "Normalised phi energy-fraction and outgoing-muon energy "
                "spectra (ETL) at m_phi = 0.2, 0.5, 1 GeV."),
    "relic": ("fig4_relic", "Relic density versus the portal coupling at the benchmark point; "
              "the dotted line marks h giving Omega h^2 = 0.120."),
    "resonant": ("fig5_resonant_reach", "Reach of the resonance mu+ e- -> phibar on the "
                 "electrons of 40 X0 of Pb: 160 GeV mu+ (1.98e10 MOT, resonance + conversion) "
                 "and a beam-energy scan (42 energies 40-200 GeV, 5e8 MOT each), projections "
                 "with zero background, 3% beam spread, unpolarised beam, bound electrons."),
}


@dataclasses.dataclass
class ReproduceSummary(Result):
    """What a reproduction found and where it put it (summary.json, and ``--json``)."""

    title = "reproduction"

    out: str = quantity("", "output directory")
    report: str = quantity("", "the report (markdown; report.html beside it)")
    model: str = quantity("", "coupling model of the (m_phi, h) plane")
    fast: bool = quantity("", "small grids (--fast)")
    excluded: dict = quantity("GeV", "m_phi ranges [lo, hi] where the first experiment "
                              "excludes the central g-2 coupling (central), the whole 2 "
                              "sigma band (whole_2sigma) or part of it (part_2sigma)")
    timings_s: dict = quantity("s", "wall time per stage and in total")
    versions: dict = quantity("", "versions of the package and its numerical dependencies")
    xsec_comparison: list | None = quantity(
        "", "figure 2's rows: m_phi (GeV), sigma_etl_pb, sigma_etl_err_pb, sigma_ww_pb, "
        "sigma_iww_pb", optional=True)
    relic: dict | None = quantity("", "thermal target at the benchmark: m_phi (GeV), h_relic",
                                  optional=True)
    resonant_reach: dict | None = quantity(
        "", "per resonant set-up, [m_phi (GeV), h] of its deepest reach", optional=True)


def reproduce(out: str | Path = "results", fast: bool = False, scheduler: str | None = None,
              progress=None, model: str = DEFAULT_MODEL, refine: int = 0) -> dict:
    """Run everything into ``out``; returns the summary (also written as summary.json).

    ``scheduler``: as :func:`leptoportal.scan.run_scan`; by default (or "local") two
    processes forked from this one run the scan and, beside it, the computations of figures
    2-4.

    ``model``: the coupling model of the (m_phi, h) plane (:data:`~.grids.PLANES`); the
    paper's e-mu model also gives the cross-section, spectrum and relic figures. ``refine``:
    passes of adaptive sampling where the curves bend or end
    (:func:`~.compute.refinement_tasks`).
    """
    from leptoportal import scan

    require_choice("model", model, tuple(PLANES))
    spec = PLANES[model]
    out = check_output_dir(out)
    for sub in ("figures", "tables"):
        remove_stale_temporaries(out / sub)
    grids = Grids.make(fast, spec)
    grids.refinement_passes = int(require_range("refine", refine, 0, 5))
    tw = tables.TableWriter(out)
    drawn: list[dict] = []
    timings: dict[str, float] = {}

    def stage(key: str, label: str, data_fn, table_fn, figure_fn):
        """Compute, tabulate and draw one figure; record its wall time."""
        t0 = time.perf_counter()
        data = data_fn()
        table_fn(tw, data)
        stem, caption = FIGURES[key]
        save_figure(figure_fn(data), out / "figures" / stem)
        drawn.append({"name": stem, "caption": caption})
        timings[label] = time.perf_counter() - t0
        return data

    t_all = t0 = time.perf_counter()
    tasks = compute.scan_tasks(grids, spec)
    if model == DEFAULT_MODEL:
        tasks += compute.resonant_tasks(grids)
    with contextlib.ExitStack() as stack:
        pool = None
        if (scheduler or scan.default_scheduler()) == scan.LOCAL:
            compute.warm_up()  # the forked workers start with the compiled kernels loaded
            pool = stack.enter_context(scan.local_pool())
        # the figures' own computations run beside the scan on the same workers
        jobs = _paper_jobs(grids, pool) if model == DEFAULT_MODEL else {}
        rows = scan.run_scan(tasks, out / "scan", scheduler, progress=progress, executor=pool)
        for _ in range(grids.refinement_passes):  # adaptive sampling where the curves bend
            extra = compute.refinement_tasks(tasks, rows)
            if not extra:
                break
            tasks += extra
            rows = scan.run_scan(tasks, out / "scan", scheduler, progress=progress,
                                 executor=pool)
        scan.write_results(rows, out / "scan")
        timings["scan (limits, thermal target)"] = time.perf_counter() - t0
        results = {key: job.result() if hasattr(job, "result") else job()
                   for key, job in jobs.items()}
    plane = stage("plane", "figure 1", lambda: compute.plane(grids, rows, spec),
                  lambda tw_, d: tables.plane_tables(tw_, d, spec),
                  lambda d: figures.plane(d, spec))
    summary = {
        "out": str(out), "report": str(out / "report.md"), "model": model, "fast": fast,
        "excluded": compute.excluded_ranges(plane.masses, plane.bands.get("fnal2021", []),
                                            plane.limits.get(spec.experiments[0], [])),
    }
    if model == DEFAULT_MODEL:
        summary.update(_paper_figures(results, stage))
        reach = stage("resonant", "figure 5 (resonant reach)",
                      lambda: compute.resonant_reach(rows, plane), tables.resonant_tables,
                      figures.resonant_reach)
        summary["resonant_reach"] = {
            name: min(pts, key=lambda p: p[1])[:2] for name, pts in reach.reach.items() if pts}
    tw.write_hepdata()
    timings["total"] = time.perf_counter() - t_all
    summary["timings_s"] = timings
    summary["versions"] = package_versions()
    write_report(out, summary, tw.written, drawn, timings, grids, fast, spec)
    summary = ReproduceSummary(**summary).to_dict()
    write_json(out / "summary.json", summary)
    return json.loads(json_text(summary))


#: the computations of figures 2-4 (e-mu run)
_PAPER_JOBS = {"xsec": compute.xsec_comparison, "spectra": compute.spectra,
               "relic": compute.relic_curve}


def _paper_jobs(grids: Grids, pool) -> dict:
    """Figures 2-4's computations: futures of ``pool``, or functions to call in this
    process."""
    if pool is None:
        return {key: functools.partial(fn, grids) for key, fn in _PAPER_JOBS.items()}
    return {key: pool.submit(fn, grids) for key, fn in _PAPER_JOBS.items()}


def _paper_figures(results: dict, stage) -> dict:
    """Figures 2-4 of the e-mu run (computed beside the scan): ETL vs WW/IWW, spectra,
    relic density."""
    xsec_rows = stage("xsec", "figure 2 (ETL/WW/IWW)", lambda: results["xsec"],
                      tables.xsec_tables, figures.xsec_comparison)
    stage("spectra", "figure 3 (spectra)", lambda: results["spectra"],
          tables.spectra_tables, figures.spectra)
    rc = stage("relic", "figure 4 (relic)", lambda: results["relic"],
               tables.relic_tables, figures.relic)
    return {"xsec_comparison": xsec_rows, "relic": {"m_phi": rc.m_phi, "h_relic": rc.h_relic}}


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
