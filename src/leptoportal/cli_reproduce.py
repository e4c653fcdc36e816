"""CLI: ``leptoportal reproduce`` and ``leptoportal scan`` (SPEC 8)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leptoportal.cli import JsonOpt, app, emit

SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address, or 'serial' (default: local "
                 "cluster with 2 workers)."),
]


@app.command("reproduce")
def cmd_reproduce(
    out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("results"),
    fast: Annotated[bool, typer.Option("--fast", help="Small grids (smoke test).")] = False,
    scheduler: SchedulerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Reproduce the paper: figures, tables (CSV + HEPData YAML) and report."""
    from leptoportal.cli_progress import progress_bar
    from leptoportal.reproduce import reproduce

    with progress_bar("scan", 1, enabled=not as_json) as advance:
        summary = reproduce(out, fast, scheduler, progress=advance)
    emit({"out": str(out), "excluded": summary["excluded"], "timings": summary["timings"],
          "report": str(out / "report.md")}, as_json, "reproduce")


@app.command("scan")
def cmd_scan(
    config: Annotated[Path, typer.Argument(help="Scan configuration (YAML).")],
    out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("scan-out"),
    scheduler: SchedulerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a resumable parameter scan on Dask; finished points are never recomputed."""
    from leptoportal import scan
    from leptoportal.cli_progress import progress_bar

    tasks = scan.tasks_from_config(scan.load_scan_config(config))
    with progress_bar(f"scan {config.name}", len(tasks), enabled=not as_json) as advance:
        rows = scan.run_scan(tasks, out, scheduler, progress=advance)
    path = scan.write_results(rows, out)
    emit({"points": len(rows), "results": str(path), "out": str(out)}, as_json, "scan")
