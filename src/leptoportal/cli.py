"""Command-line interface (``leptoportal``).

Every command has ``--json`` (exactly one JSON object on stdout). Invalid input ends with a
one-line ``error: ...`` on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from leptoportal import __version__
from leptoportal.errors import InputError
from leptoportal.model import COUPLING_KINDS, Couplings, DarkSector, Portal

app = typer.Typer(
    name="leptoportal",
    help="Physics of the leptonic scalar portal (Gninenko & Krasnikov, arXiv:2202.04410).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
stdout = Console()

# ------------------------------------------------------------------------------------------
# shared option types and parsers
# ------------------------------------------------------------------------------------------

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
CouplingOpt = Annotated[
    str, typer.Option("--coupling", help="Coupling pattern: chiral | scalar | pseudoscalar.")
]
CsOpt = Annotated[str | None, typer.Option("--cs", help="Explicit C_S (complex allowed, 1+2j).")]
GDarkOpt = Annotated[float | None, typer.Option("--g-dark", help="Dark coupling g_D.")]
AlphaDarkOpt = Annotated[float | None, typer.Option("--alpha-dark", help="alpha_D = g_D^2/4pi.")]
MChiOpt = Annotated[
    float | None, typer.Option("--m-chi", help="Dark fermion mass (default m_phi/3).")
]
CpOpt = Annotated[str | None, typer.Option("--cp", help="Explicit C_P (complex allowed).")]


def parse_float_list(name: str, text: str) -> list[float]:
    """Parse 'a,b,c' into floats with a one-line error naming the bad item."""
    out = []
    for item in text.split(","):
        item = item.strip()
        try:
            v = float(item)
        except ValueError:
            raise InputError(f"{name} = {item!r} is not a number (expected M[,M...])") from None
        if not math.isfinite(v):
            raise InputError(f"{name} = {item!r} is not finite")
        out.append(v)
    if not out:
        raise InputError(f"{name} is empty")
    return out


def parse_complex(name: str, text: str) -> complex:
    try:
        return complex(text.replace(" ", ""))
    except ValueError:
        raise InputError(f"{name} = {text!r} is not a (complex) number") from None


def resolve_couplings(h: float | None, coupling: str, cs: str | None, cp: str | None,
                      need_h: bool = True) -> Couplings:
    """Couplings from ``--h`` with ``--coupling``, or explicit ``--cs/--cp`` (h multiplies them).

    With ``need_h=False`` a missing --h means the unit pattern (h = 1).
    """
    if coupling not in COUPLING_KINDS:
        raise InputError(f"coupling = {coupling!r} is not one of: {', '.join(COUPLING_KINDS)}")
    if cs is not None or cp is not None:
        base = Couplings(parse_complex("cs", cs or "0"), parse_complex("cp", cp or "0"))
        return base if h is None else base.scaled(h)
    if h is None:
        if need_h:
            raise InputError("h is required (give --h H, or --cs/--cp)")
        h = 1.0
    return Couplings.from_kind(coupling, h)


def dark_sector_from_options(m_phi: float, g_dark: float | None, alpha_dark: float | None,
                             m_chi: float | None, required: bool) -> DarkSector | None:
    """Dark sector from --g-dark / --alpha-dark (exactly one) and optional --m-chi."""
    if g_dark is None and alpha_dark is None:
        if required:
            raise InputError("give exactly one of --g-dark or --alpha-dark")
        if m_chi is not None:
            raise InputError("--m-chi needs --g-dark or --alpha-dark")
        return None
    if g_dark is not None and alpha_dark is not None:
        raise InputError("give exactly one of --g-dark or --alpha-dark")
    if m_chi is None:
        return DarkSector.benchmark(m_phi, g_dark=g_dark, alpha_dark=alpha_dark)
    if alpha_dark is not None:
        return DarkSector.from_alpha(m_chi, alpha_dark)
    return DarkSector(m_chi, g_dark)


def emit(obj: dict, as_json: bool, title: str = "") -> None:
    """Print ``obj`` as one JSON object, or as a table for people."""
    if as_json:
        sys.stdout.write(json.dumps(_jsonable(obj)) + "\n")
        return
    table = Table(title=title or None, show_header=True)
    table.add_column("quantity")
    table.add_column("value")
    for k, v in obj.items():
        table.add_row(str(k), _fmt(v))
    stdout.print(table)


def emit_points(points: list[dict], as_json: bool, extra: dict | None = None,
                title: str = "") -> None:
    """Print a list of result rows (key ``points`` in JSON)."""
    if as_json:
        sys.stdout.write(json.dumps(_jsonable({**(extra or {}), "points": points})) + "\n")
        return
    if extra:
        for k, v in extra.items():
            stdout.print(f"{k}: {_fmt(v)}")
    table = Table(title=title or None)
    keys = list(points[0]) if points else []
    for k in keys:
        table.add_column(k)
    for row in points:
        table.add_row(*[_fmt(row[k]) for k in keys])
    stdout.print(table)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    return str(v)


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, complex):
        return [obj.real, obj.imag]
    if hasattr(obj, "item") and callable(obj.item):
        return obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    return obj


# ------------------------------------------------------------------------------------------
# g-2 and decays
# ------------------------------------------------------------------------------------------


@app.command("g2")
def cmd_g2(
    m_phi: Annotated[float, typer.Option("--m-phi", help="phi mass in GeV.")],
    h: Annotated[float | None, typer.Option("--h", help="Coupling normalisation h_emu.")] = None,
    coupling: CouplingOpt = "chiral",
    cs: CsOpt = None,
    cp: CpOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One-loop Delta a_mu and Delta a_e from the portal scalar (SPEC 3)."""
    from leptoportal import g2

    c = resolve_couplings(h, coupling, cs, cp)
    portal = Portal(m_phi, c)
    out = {
        "m_phi": portal.m_phi,
        "c_s": c.c_s,
        "c_p": c.c_p,
        "delta_a_mu": g2.delta_a_mu(portal.m_phi, c),
        "delta_a_e": g2.delta_a_e(portal.m_phi, c),
    }
    emit(out, as_json, "portal contributions to g-2")


@app.command("g2-band")
def cmd_g2_band(
    m_phi: Annotated[str, typer.Option("--m-phi", help="phi mass(es) in GeV: M[,M...].")],
    dataset: Annotated[
        str, typer.Option("--dataset", help="fnal2021 | fnal2023 | fnal2025.")
    ] = "fnal2021",
    coupling: CouplingOpt = "chiral",
    cs: CsOpt = None,
    cp: CpOpt = None,
    cl: Annotated[float, typer.Option("--cl", help="CL of the upper limit (no anomaly).")] = 0.9,
    as_json: JsonOpt = False,
) -> None:
    """Coupling band h_emu(m_phi) explaining Delta a_mu (or its upper limit)."""
    from leptoportal import g2

    masses = parse_float_list("m_phi", m_phi)
    pattern = resolve_couplings(None, coupling, cs, cp, need_h=False)
    ds = g2.get_dataset(dataset, "mu")
    points = [g2.coupling_band(m, dataset, pattern, cl) for m in masses]
    for p in points:
        p.pop("delta_a_mu_per_h2", None)
    extra = {
        "dataset": dataset,
        "delta_a_mu": ds.delta,
        "sigma": ds.sigma,
        "reference": f"{ds.a_exp}; {ds.a_sm}",
        "coupling": coupling if cs is None and cp is None else [pattern.c_s, pattern.c_p],
    }
    emit_points(points, as_json, extra, "g-2 coupling band")


@app.command("widths")
def cmd_widths(
    m_phi: Annotated[float, typer.Option("--m-phi", help="phi mass in GeV.")],
    h: Annotated[float | None, typer.Option("--h", help="Coupling normalisation h_emu.")] = None,
    g_dark: GDarkOpt = None,
    alpha_dark: AlphaDarkOpt = None,
    m_chi: MChiOpt = None,
    coupling: CouplingOpt = "chiral",
    cs: CsOpt = None,
    cp: CpOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Decay widths, invisible branching fraction and c*tau of phi (SPEC 4)."""
    from leptoportal import decays

    portal = Portal(m_phi, resolve_couplings(h, coupling, cs, cp))
    dark = dark_sector_from_options(portal.m_phi, g_dark, alpha_dark, m_chi, required=False)
    out = decays.widths(portal, dark).as_dict()
    if dark is not None:
        out["m_chi"] = dark.m_chi
        out["g_dark"] = dark.g_dark
    emit(out, as_json, "phi decays")


@app.command("version")
def cmd_version() -> None:
    """Print the package version."""
    sys.stdout.write(__version__ + "\n")


# ------------------------------------------------------------------------------------------
# entry point
# ------------------------------------------------------------------------------------------


def _register_optional_commands() -> None:
    """Commands of later modules register themselves here (import side effects kept local)."""
    import importlib

    for mod in ("leptoportal.cli_production", "leptoportal.cli_experiments",
                "leptoportal.cli_relic", "leptoportal.cli_reproduce",
                "leptoportal.cli_generate"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error on stderr and exit (status 2 for bad input)."""
    sys.stderr.write("error: " + " ".join(str(message).split()) + "\n")
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point with one-line errors and exit status 2 on bad input."""
    _register_optional_commands()
    try:
        app(args=argv, prog_name="leptoportal", standalone_mode=False)
    except InputError as exc:
        fail(str(exc))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        console.print("aborted", markup=False)
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: bad option value, missing option
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(0)
        msg = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        fail(msg)


if __name__ == "__main__":  # pragma: no cover - run the registered app of the real module
    from leptoportal.cli import main as _main

    _main()
