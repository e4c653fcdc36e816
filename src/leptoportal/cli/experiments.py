"""Commands ``experiments`` (list, show, schema), ``yield`` and ``limit``: set-ups, signal
yields, coupling limits. ``yield`` and ``limit`` take the same set-up flags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from leptoportal.cli._options import (
    COUPLING_OPTIONS,
    SETUP_OPTIONS,
    AlphaDark,
    BrInvisible,
    Cl,
    Config,
    Experiment,
    Force,
    H,
    Json,
    MPhiList,
    NoCache,
    Precision,
    Quiet,
    option_group,
    parse_float_list,
)
from leptoportal.cli._output import emit, say, stdout
from leptoportal.cli._run import run_one, run_points


def _cut_text(p: dict[str, Any]) -> str:
    parts = []
    for key, label, op in (("e_conv_min", "E_conv", ">"), ("e_out_min", "E_out", ">"),
                           ("e_out_max", "E_out", "<"), ("theta_out_max", "th_out", "<"),
                           ("e_phi_min", "E_phi", ">")):
        if p.get(key):
            parts.append(f"{label}{op}{p[key]:g}")
    return " ".join(parts) or "-"


def _list(presets: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="experiment presets")
    for col in ("name", "beam", "E0 [GeV]", "target", "T [X0]", "mode", "EOT", "cuts",
                "model", "n_obs", "b", "projection"):
        table.add_column(col)
    for n, p in presets.items():
        table.add_row(*map(Text, (n, p["beam"], f"{p['energy']:g}", str(p["target"]),
                                  f"{p['thickness_x0']:g}", p["mode"], f"{p['eot']:.3g}",
                                  _cut_text(p), str(p["model"]), str(p["n_obs"]),
                                  f"{p['background']:g}", "yes" if p["projection"] else "no")))
    stdout.print(table)
    for n, p in presets.items():
        say(f"{n}: {p['description']}")
        for k, v in p["sources"].items():
            say(f"  source {k}: {v}")
        for a in p["assumptions"]:
            say(f"  assumption: {a}")


def _channels(as_json: bool) -> None:
    """The registered production channels (`leptoportal.experiments.presets.CHANNELS`)."""
    from leptoportal.experiments import CHANNELS

    rows: dict[str, dict[str, Any]] = {
        name: {"reaction": c.reaction, "beams": list(c.beams), "modes": list(c.modes),
               "xsec": c.xsec, "setup_fields": [f for f, _ in c.setup_fields]}
        for name, c in CHANNELS.items()}
    if as_json:
        emit({"channels": rows}, True)
        return
    for name, row in rows.items():
        say(f"{name}: {row['reaction']}; beams {', '.join(row['beams'])}; "
            f"{' or '.join(row['modes'])} targets"
            + (f"; its own set-up fields: {', '.join(row['setup_fields'])}"
               if row["setup_fields"] else ""))


def experiments(
    action: Annotated[str, typer.Argument(help="list | show | schema | channels")] = "list",
    name: Annotated[str | None, typer.Argument(help="The preset to show.")] = None,
    yaml: Annotated[bool, typer.Option("--yaml", metavar="", help="show: print the preset as "
                                       "a YAML template of your own set-up.")] = False,
    as_json: Json = False,
) -> None:
    """The experiment presets: list them, show one (--yaml: as a template for your own
    set-up), print the JSON schema of a set-up (every field with unit and meaning), or list
    the production channels a set-up may name (production: [...])."""
    import sys

    from leptoportal import experiments as ex
    from leptoportal.errors import InputError, require_choice

    require_choice("action", action, ("list", "show", "schema", "channels"))
    if yaml and as_json:
        raise InputError("yaml and json are two formats of the same output; give one",
                         parameters=("yaml", "as_json"))
    if action == "schema":
        emit(ex.schema(), True)
    elif action == "channels":
        _channels(as_json)
    elif action == "list":
        if name is not None or yaml:
            raise InputError("list takes no preset and no yaml; use show NAME",
                             parameters=("action",))
        presets = {n: ex.get_preset(n).model_dump() for n in ex.preset_names()}
        if as_json:
            emit({"experiments": presets}, True)
        else:
            _list(presets)
    elif name is None:
        raise InputError("show needs the preset's name (leptoportal experiments show NAME)",
                         parameters=("name",))
    elif yaml:
        sys.stdout.write(ex.get_preset(name).to_yaml())
    else:
        emit(ex.get_preset(name).model_dump(), as_json, name)


@option_group("coupling_options", COUPLING_OPTIONS)
@option_group("setup_options", SETUP_OPTIONS)
def yield_(
    m_phi: MPhiList,
    h: H = None,
    experiment: Experiment = None,
    config: Config = None,
    br_invisible: BrInvisible = None,
    alpha_dark: AlphaDark = None,
    precision: Precision = None,
    no_cache: NoCache = False,
    quiet: Quiet = False,
    as_json: Json = False,
    setup_options: dict[str, Any] | None = None,
    coupling_options: dict[str, Any] | None = None,
) -> None:
    """Expected signal events of a preset or your own set-up (--config FILE, or --beam,
    --energy, --target, --thickness-x0 and the other set-up flags) at one mass or a list."""
    from leptoportal.tasks.requests import YieldRequest

    fields = dict(h=h, experiment=experiment, config=config, br_invisible=br_invisible,
                  alpha_dark=alpha_dark, precision=precision, cache=not no_cache,
                  **(setup_options or {}), **(coupling_options or {}))
    if "," not in m_phi:  # one mass: one result, as before lists were taken
        run_one(YieldRequest, as_json, m_phi=parse_float_list("m_phi", m_phi)[0], **fields)
    else:
        run_points(YieldRequest, as_json, quiet, m_phi, "yields", **fields)


@option_group("coupling_options", COUPLING_OPTIONS)
@option_group("setup_options", SETUP_OPTIONS)
def limit(
    m_phi: MPhiList,
    experiment: Experiment = None,
    config: Config = None,
    method: Annotated[str | None, typer.Option(
        "--method", help="cls (default) | fc | classical.")] = None,
    cl: Cl = None,
    sensitivity: Annotated[bool, typer.Option(
        "--sensitivity", metavar="", help="Expected limit: n_obs = background.")] = False,
    br_invisible: BrInvisible = None,
    alpha_dark: AlphaDark = None,
    precision: Precision = None,
    no_cache: NoCache = False,
    force: Force = False,
    pyhf_workspace: Annotated[str | None, typer.Option(
        "--pyhf-workspace", help="Write the HistFactory (pyhf) JSON workspace of the limit: "
        "a file for one mass, else a directory with m_phi_<M>.json per mass.")] = None,
    quiet: Quiet = False,
    as_json: Json = False,
    setup_options: dict[str, Any] | None = None,
    coupling_options: dict[str, Any] | None = None,
) -> None:
    """Upper limits (90% CL by default) on h versus m_phi for a preset or your own set-up
    (h normalises the coupling pattern, the set-up's model, a named model or a matrix)."""
    from leptoportal.errors import InputError
    from leptoportal.tasks.requests import LimitRequest

    if force and pyhf_workspace is None:
        raise InputError("force replaces the pyhf_workspace file; give pyhf_workspace",
                         parameters=("force", "pyhf_workspace"))
    write = (_workspace_writer(pyhf_workspace, parse_float_list("m_phi", m_phi), force)
             if pyhf_workspace else None)
    run_points(LimitRequest, as_json, quiet, m_phi, "limits", write=write,
               experiment=experiment, config=config, method=method, cl=cl,
               sensitivity=sensitivity, br_invisible=br_invisible, alpha_dark=alpha_dark,
               precision=precision, cache=not no_cache, **(setup_options or {}),
               **(coupling_options or {}))


def _workspace_writer(path: str, masses: list[float],
                      force: bool = False) -> Callable[[Any, list[Any]], None]:
    """Check ``path`` now (for a list of masses, every file it will hold: one name per mass,
    a read-only one kept unless ``force``); return the function that writes the limits'
    workspaces there."""
    import warnings

    from leptoportal.histfactory import workspace_name
    from leptoportal.outputs import check_output_dir, check_output_file, write_json
    from leptoportal.stats import PYHF_MIN_EVENTS

    n_masses = len(masses)
    if n_masses == 1:
        check_output_file(path, "pyhf_workspace", force)
    else:
        directory = check_output_dir(path, "pyhf_workspace")
        for name in {workspace_name(m) for m in masses} if directory.is_dir() else ():
            check_output_file(directory / name, "pyhf_workspace", force)

    def write(setup: Any, points: list[Any]) -> None:
        from leptoportal.tasks import limit_workspace

        specs = [limit_workspace(setup, p) for p in points]  # every one before any file
        if n_masses == 1:
            write_json(path, specs[0])
        else:
            directory = check_output_dir(path, "pyhf_workspace", create=True)
            for p, spec in zip(points, specs, strict=True):
                write_json(directory / workspace_name(p.m_phi), spec)
        if min(setup.n_obs, setup.background) < PYHF_MIN_EVENTS:
            warnings.warn(f"n_obs = {setup.n_obs} and b = {setup.background:g}: pyhf's "
                          "asymptotic formulae do not hold for so few events; on these "
                          "workspaces leptoportal.stats.pyhf_upper_limit uses the exact CLs "
                          "(the limit printed here)", stacklevel=2)

    return write
