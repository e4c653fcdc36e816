"""Command ``validate``: the package's cross-checks, as a report anyone can rerun."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from leptoportal.cache import atomic_write_text, check_output_dir
from leptoportal.cli._options import Json
from leptoportal.cli._output import emit, progress_bar, stdout


def validate(
    fast: Annotated[bool, typer.Option("--fast", metavar="", help="Fewer points, looser "
                                       "MC precision (~5 s).")] = False,
    out: Annotated[str, typer.Option("--out", help="Directory of the report (markdown, "
                                     "HTML, JSON).")] = "validation",
    as_json: Json = False,
) -> None:
    """Run every cross-check (a second method, a symmetry, an analytic limit or a published
    value per check) and write validation.md/.html/.json; exit status 1 if one fails."""
    from leptoportal import validate as val
    from leptoportal.reproduce.report import render_html, render_markdown

    out = check_output_dir(out, create=True)
    with progress_bar("validate", len(val.CHECKS), enabled=not as_json) as advance:
        checks = val.run_checks(fast, progress=advance)
    n_ok = sum(c.passed for c in checks)
    obj = {"fast": fast, "passed": n_ok, "total": len(checks), "out": str(out),
           "checks": [c.as_dict() for c in checks]}
    blocks = val.report_blocks(checks, fast)
    atomic_write_text(out / "validation.md", render_markdown(blocks))
    atomic_write_text(out / "validation.html", render_html(blocks, out))
    atomic_write_text(out / "validation.json", json.dumps(obj, indent=1, default=str) + "\n")
    if as_json:
        emit(obj, True)
    else:
        for c in checks:
            mark = "ok  " if c.passed else "FAIL"
            stdout.print(f"{mark} {c.name}: deviation {c.deviation:.3g} (tolerance "
                         f"{c.tolerance:g})", markup=False)
        stdout.print(f"{n_ok} of {len(checks)} checks passed; report in {out}/validation.md",
                     markup=False)
    if n_ok < len(checks):
        sys.exit(1)
