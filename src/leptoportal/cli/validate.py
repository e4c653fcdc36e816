"""Command ``validate``: the package's cross-checks, as a report anyone can rerun."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from leptoportal.cli._options import Json, Quiet
from leptoportal.cli._output import emit, progress_bar, say


def validate(
    fast: Annotated[bool, typer.Option("--fast", metavar="", help="Fewer points, looser "
                                       "MC precision (~5 s).")] = False,
    out: Annotated[str, typer.Option("--out", help="Directory of the report (markdown, "
                                     "HTML, JSON).")] = "validation",
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Run every cross-check (a second method, a symmetry, an analytic limit or a published
    value per check) and write validation.md/.html/.json; exit status 1 if one fails."""
    from leptoportal import validate as val
    from leptoportal.outputs import check_output_dir

    out_dir = check_output_dir(out, create=True)
    for name in val.REPORT_FILES:
        val.check_report_file(out_dir / name)
    with progress_bar("validate", len(val.CHECKS),
                      enabled=not (as_json or quiet)) as advance:
        checks = val.run_checks(fast, progress=advance)
    report = val.write_report(checks, fast, out_dir)
    if as_json:
        emit(report, True)
    else:
        for c in checks:
            mark = "ok  " if c.passed else "FAIL"
            say(f"{mark} {c.name}: deviation {c.deviation:.3g} (tolerance {c.tolerance:g})")
        say(f"{report.passed} of {report.total} checks passed; report in "
            f"{out_dir}/validation.md")
    if report.passed < report.total:
        sys.exit(1)
