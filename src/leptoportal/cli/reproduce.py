"""Commands ``reproduce`` (the paper's figures, tables and report) and ``scan``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leptoportal.cli._options import Json, Quiet, Scheduler
from leptoportal.cli._output import emit, progress_bar, say


def reproduce(
    out: Annotated[str, typer.Option("--out", help="Output directory.")] = "results",
    fast: Annotated[
        bool, typer.Option("--fast", metavar="", help="Small grids (smoke test).")
    ] = False,
    scheduler: Scheduler = None,
    model: Annotated[
        str, typer.Option("--model", help="Coupling model of the plane: emu-chiral (the "
                          "paper) | mumu-scalar | mumu-pseudoscalar | ee-scalar.")
    ] = "emu-chiral",
    refine: Annotated[int, typer.Option(
        "--refine", help="Passes of adaptive sampling where the curves bend or end (0-5; "
        "each adds up to 4 points per curve).")] = 0,
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Reproduce the paper: figures, tables (CSV + HEPData YAML) and report (--model: the
    (m_phi, h) plane of another coupling model)."""
    from leptoportal.reproduce import PLANES, check_inputs, summary_sentences
    from leptoportal.reproduce import reproduce as run

    out_dir = check_inputs(out, model, refine, scheduler)
    with progress_bar("reproduce", 1, enabled=not (as_json or quiet)) as advance:
        summary = run(out_dir, fast, scheduler, progress=advance, model=model, refine=refine)
    if as_json:
        emit(summary, True)
        return
    say(f"Figures, tables and the report (report.md, report.html) are in {out_dir}/.")
    for line in summary_sentences(summary, PLANES[model]):
        say(line)


def scan(
    config: Annotated[str, typer.Argument(help="Scan configuration (YAML).")],
    out: Annotated[str, typer.Option("--out", help="Output directory.")] = "scan-out",
    scheduler: Scheduler = None,
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Run a resumable parameter scan on Dask; finished points are never recomputed."""
    from leptoportal import scan as engine
    from leptoportal.outputs import check_output_dir
    from leptoportal.tasks import check_task

    check_output_dir(out)
    scheduler = engine.check_scheduler(scheduler)
    tasks = engine.tasks_from_config(engine.load_scan_config(config))
    for task in tasks:  # every task valid before the output directory is made
        check_task(task)
    out_dir = check_output_dir(out, create=True)
    with progress_bar(f"scan {Path(config).name}", len(tasks),
                      enabled=not (as_json or quiet)) as advance:
        rows = engine.run_scan(tasks, out_dir, scheduler, progress=advance)
    path = engine.write_results(rows, out_dir)
    emit(engine.ScanSummary(len(rows), str(path), str(out_dir)), as_json)
