"""mkdocs hooks: pages generated at build time from the package (so that they cannot drift
from the code): the Experiments table from the presets data file, the fields of a set-up from
its pydantic model, the worked examples of "Your own study" (run, with their results) and the
Validation page from a fresh `leptoportal validate --fast` run; and MathJax, copied into the
site from the installed package of the docs extra, so that the site needs no network."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# beside this file: mkdocs puts the hooks' directory on the path while it loads them only
import docs_figures

ROOT = Path(__file__).parent
EXAMPLES = ROOT / "examples"
#: <!-- example: FILE | ARGS --> in a page: show FILE, run `leptoportal ARGS`, show the result
EXAMPLE = re.compile(r"<!-- example: (\S+) \| (.+?) -->")
#: <!-- figure: NAME --> in a page: a figure made by the package (docs_figures.FIGURES)
FIGURE = re.compile(r"<!-- figure: (\S+) -->")
#: <!-- ww-range: CHANNEL --> ("iww-range" for IWW): "lo-hi" of WW/ETL for a channel
#: (docs_figures.ww_over_etl)
WW_RANGE = re.compile(r"<!-- (i?)ww-range: (.+?) -->")


def _presets_markdown() -> str:
    from leptoportal import experiments as ex

    lines = ["| preset | beam | E0 [GeV] | target | thickness [X0] | EOT/MOT | model | n_obs "
             "| b | projection |", "|---|---|---|---|---|---|---|---|---|---|"]
    details = []
    for name in ex.preset_names():
        p = ex.get_preset(name)
        lines.append(f"| `{name}` | {p.beam} | {p.energy:g} | {p.target} | {p.thickness_x0:g} "
                     f"| {p.total_eot:.3g} | {p.model} | {p.n_obs} | {p.background:g} | "
                     f"{'yes' if p.projection else 'no'} |")
        details.append(f"\n### {name}\n\n{p.description}\n")
        details += [f"- source ({k}): {v}" for k, v in p.sources.items()]
        details += [f"- assumption: {a}" for a in p.assumptions]
    return "\n".join(lines + details) + "\n"


def _allowed(spec: dict) -> str:
    parts = []
    for key, op in (("exclusiveMinimum", ">"), ("minimum", ">="), ("exclusiveMaximum", "<"),
                    ("maximum", "<=")):
        for option in [spec, *spec.get("anyOf", [])]:
            if key in option:
                parts.append(f"{op} {option[key]:g}")
    return ", ".join(parts) or "-"


def _cell(text: str) -> str:
    """Text for a cell of a markdown table: "|" escaped, braces as HTML entities."""
    return text.replace("|", "\\|").replace("{", "&#123;").replace("}", "&#125;")


def fields_markdown() -> str:
    """Every field of a set-up: name, unit, meaning, allowed range, default."""
    from leptoportal.experiments import schema

    lines = ["| field | unit | meaning | allowed | default |", "|---|---|---|---|---|"]
    for name, spec in schema()["properties"].items():
        default = spec.get("default", "-")
        default = "-" if default in ([], {}, "") else json.dumps(default)
        cells = [f"`{name}`", spec.get("unit") or "-", spec.get("description", ""),
                 _allowed(spec), default]
        # a "|" inside a cell (``{formula|mass|layers}``) would split the row, and braces
        # would be read as attributes (attr_list): both are escaped
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _cli_type(param) -> str:
    if getattr(param, "is_flag", False):
        return "flag"
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", str)
    return {float: "number", int: "integer", str: "text", bool: "flag"}.get(
        annotation, getattr(annotation, "__name__", "text"))


def _cli_default(param) -> str:
    default = param.default
    if getattr(param, "is_flag", False):
        return "off" if not default else "on"
    if default is None or default == "" or callable(default):
        return "-" if not param.required else "required"
    return f"`{default}`"


def cli_reference_markdown() -> str:
    """Every command with its help and every option: flag, type, default and help (units
    are stated in the help), from the application itself."""
    import typer

    from leptoportal.cli.app import app

    root = typer.main.get_command(app)
    lines = ["Every command prints one JSON object with `--json` (see "
             "[Outputs and formats](outputs.md)); `leptoportal COMMAND --help` shows the same "
             "options.", ""]
    for name, command in root.commands.items():
        text = " ".join((command.help or "").split())
        lines += [f"## `leptoportal {name}`", "", text, "",
                  "| option | type | default | meaning |", "|---|---|---|---|"]
        for param in command.params:
            if param.name == "help":
                continue
            if param.param_type_name == "argument":
                flag = f"`{param.name.upper()}` (argument)"
            else:
                flag = ", ".join(f"`{o}`" for o in param.opts + param.secondary_opts)
            help_text = " ".join((getattr(param, "help", None) or "").split())
            help_text = help_text.replace("|", "or")
            lines.append(f"| {flag} | {_cli_type(param)} | {_cli_default(param)} | "
                         f"{help_text} |")
        lines.append("")
    return "\n".join(lines)


def json_outputs_markdown() -> str:
    """Per command: what its --json prints, every key with type, unit and meaning."""
    from leptoportal.cli.schemas import COMMANDS, command_schema, field_rows

    lines = []
    for command in COMMANDS:
        lines += [f"### `leptoportal {command} --json`", "",
                  f"{command_schema(command)['description'].capitalize()} "
                  f"(`leptoportal schema {command}`).", "",
                  "| key | type | unit | meaning |", "|---|---|---|---|"]
        for key, kind, unit, doc in field_rows(command):
            kind = kind.replace("|", "or")
            doc = doc.replace("|", "or")
            lines.append(f"| `{key}` | {kind} | {unit or '-'} | {doc} |")
        lines.append("")
    return "\n".join(lines)


def examples(text: str | None = None) -> list[tuple[str, list[str]]]:
    """(file, arguments) of every example of the "Your own study" page."""
    text = text if text is not None else (ROOT / "docs" / "own-study.md").read_text()
    return [(m.group(1), m.group(2).split()) for m in EXAMPLE.finditer(text)]


def run_example(args: list[str]) -> list[dict]:
    """Run ``leptoportal ARGS --json`` in examples/ and return its result rows (the points of
    a list command, the rows of a scan's results.csv)."""
    with tempfile.TemporaryDirectory() as out:
        extra = ["--out", out] if args[0] == "scan" else []
        done = subprocess.run([sys.executable, "-m", "leptoportal", *args, *extra, "--json"],
                              cwd=EXAMPLES, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"leptoportal {' '.join(args)}: {done.stderr.strip()}")
        result = json.loads(done.stdout)
        if args[0] == "scan":
            with open(Path(out) / "results.csv") as fh:
                return [{k: v for k, v in row.items() if k not in ("kind", "config")}
                        for row in csv.DictReader(fh)]
    return result.get("points", [result])


def _number(value) -> str:
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return str(value)


def _example_markdown(match: re.Match) -> str:
    name, args = match.group(1), match.group(2).split()
    rows = run_example(args)
    keys = [k for k in rows[0] if k not in ("experiment", "precision")]
    table = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    table += ["| " + " | ".join(_number(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join([f"`examples/{name}`:", "", "```yaml", (EXAMPLES / name).read_text().rstrip(),
                      "```", "", "```sh", f"leptoportal {' '.join(args)}", "```", "",
                      *table, ""])


def _validation_markdown() -> str:
    from leptoportal import validate
    from leptoportal.outputs import render_markdown

    blocks = validate.report_blocks(validate.run_checks(fast=True), fast=True)
    return render_markdown(blocks[1:])  # the page has its own title


def _defaults_markdown() -> str:
    """The table of `leptoportal.defaults`: each default with its value and its reason (the
    comment above it in the module)."""
    import inspect

    from leptoportal import defaults

    reasons: dict[str, str] = {}
    comment: list[str] = []
    for line in inspect.getsource(defaults).splitlines():
        if line.startswith("#: "):
            comment.append(line[3:].strip())
        elif comment and re.match(r"[A-Z][A-Z0-9_]*: Final", line):
            reasons[line.split(":")[0]] = " ".join(comment).replace("|", "\\|")
            comment = []
        else:
            comment = []
    rows = ["| name | value | why |", "|---|---|---|"]
    for name in defaults.__all__:
        value = getattr(defaults, name)
        shown = (", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict)
                 else str(value))
        rows.append(f"| `{name}` | {shown} | {reasons.get(name, '')} |")
    return "\n".join(rows)


def _channels_markdown() -> str:
    """The registered production channels (`leptoportal.experiments.presets.CHANNELS`)."""
    from leptoportal.experiments import CHANNELS

    rows = ["| channel | reaction | beams | targets | its own set-up fields | implementation |",
            "|---|---|---|---|---|---|"]
    for name, c in CHANNELS.items():
        own = ", ".join(f"`{f}`" for f, _ in c.setup_fields) or "-"
        rows.append(f"| `{name}` | {c.reaction} | {', '.join(c.beams)} | "
                    f"{', '.join(c.modes)} | {own} | `{c.implementation}` |")
    return "\n".join(rows)


def _constraints_table() -> str:
    """The registered bounds (`leptoportal.constraints.CONSTRAINTS`) with their measurements."""
    from leptoportal.constraints import CONSTRAINTS

    rows = ["| bound | quantity | limit | CL | masses | by | source |",
            "|---|---|---|---|---|---|---|"]
    for name, c in CONSTRAINTS.items():
        m = c.measurement
        limit = f"{m.limit:.3g} {m.unit}".strip()
        if name.startswith("g-2"):
            limit += " (positive shift)"
        masses = "all" if m.m_phi_max is None else f"<= {m.m_phi_max:g} GeV"
        combined = "" if c.combined else " (not combined)"
        rows.append(f"| `{name}`{combined} | {_cell(m.quantity)} | {limit} | {m.cl:g} | "
                    f"{masses} | {m.experiment} | {_cell(m.source)} |")
    return "\n".join(rows)


def _constraints_validation() -> str:
    """The validation checks of the bounds and the issue's list, computed now."""
    from leptoportal import validate
    from leptoportal.constraints import constraints_at
    from leptoportal.model import CouplingMatrix, DarkSector, ModelPoint

    lines = ["| check | package | independent route | deviation | passed |",
             "|---|---|---|---|---|"]
    for fn in (validate.edm_from_g2_dipole, validate.mu_e_phi_width, validate.bound_scaling,
               validate.lfv_dipole_g2):
        c = fn(True)
        lines.append(f"| {_cell(c.description)} | {c.value:.8g} | {c.reference:.8g} | "
                     f"{c.deviation:.1e} | {'yes' if c.passed else 'no'} |")
    lines += ["", "The bounds of two matrices at $h = 10^{-3}$ (status, $h_\\text{limit}$; "
              "`leptoportal constraints --json` gives every number):", "",
              "| matrix | m_phi [GeV] | bound | status | ratio at h | h_limit |",
              "|---|---|---|---|---|---|"]
    cases = (("mumu-emu", CouplingMatrix.model("mumu-emu"), (0.05, 0.5)),
             ("e-mu, C_P = i C_S", CouplingMatrix.from_mapping(
                 {"e-mu": {"cs": 0.5, "cp": "0.5j"}}), (0.3,)))
    for label, matrix, masses in cases:
        for m in masses:
            r = constraints_at(ModelPoint(m, matrix, 1e-3, DarkSector.default(m),
                                          open_lepton_decays=True))
            for b in r.bounds:
                if b["status"] == "no diagram" and not b["name"].startswith("mu"):
                    continue
                lines.append(f"| {label} | {m:g} | `{b['name']}` | {b['status']} | "
                             f"{_number(b['ratio']) if b['ratio'] is not None else '-'} | "
                             f"{_number(b['h_limit']) if b['h_limit'] is not None else '-'} |")
            lines.append(f"| {label} | {m:g} | **combined** | set by "
                         f"`{r.h_limit_constraint}` | | **{_number(r.h_limit)}** |")
    return "\n".join(lines)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "<!-- defaults -->" in markdown:
        markdown = markdown.replace("<!-- defaults -->", _defaults_markdown())
    if "<!-- channels -->" in markdown:
        markdown = markdown.replace("<!-- channels -->", _channels_markdown())
    if "<!-- constraints-table -->" in markdown:
        markdown = markdown.replace("<!-- constraints-table -->", _constraints_table())
    if "<!-- constraints-validation -->" in markdown:
        markdown = markdown.replace("<!-- constraints-validation -->",
                                    _constraints_validation())
    if "<!-- presets -->" in markdown:
        markdown = markdown.replace("<!-- presets -->", _presets_markdown())
    if "<!-- setup-fields -->" in markdown:
        markdown = markdown.replace("<!-- setup-fields -->", fields_markdown())
    if "<!-- width-table -->" in markdown:
        markdown = markdown.replace("<!-- width-table -->", docs_figures.width_table())
    if "<!-- figure:" in markdown or "<!-- ww-" in markdown:
        markdown = FIGURE.sub(lambda m: docs_figures.figure_html(m.group(1)), markdown)
        markdown = markdown.replace("<!-- ww-table -->", docs_figures.ww_table())
        markdown = WW_RANGE.sub(lambda m: "{:.2f}-{:.2f}".format(
            *docs_figures.ww_over_etl_range(m.group(2), 5 if m.group(1) else 4)), markdown)
    if "<!-- cli-reference -->" in markdown:
        markdown = markdown.replace("<!-- cli-reference -->", cli_reference_markdown())
    if "<!-- json-outputs -->" in markdown:
        markdown = markdown.replace("<!-- json-outputs -->", json_outputs_markdown())
    if "<!-- example:" in markdown:
        markdown = EXAMPLE.sub(_example_markdown, markdown)
    if "<!-- validation -->" in markdown:
        markdown = markdown.replace("<!-- validation -->", _validation_markdown())
    if "<!-- pythia-example -->" in markdown:
        markdown = markdown.replace("<!-- pythia-example -->", _pythia_markdown())
    return markdown


#: the events of the Pythia 8 example (docs/outputs.md): a visible phi left undecayed
PYTHIA_EVENTS = ["generate", "--energy", "100", "--target", "Pb", "--m-phi", "0.2",
                 "--alpha-dark", "0", "--decay", "none", "--n", "1000", "--out", "events.lhe"]
PYTHIA_SCRIPT = ROOT / "docs" / "snippets" / "shower_with_pythia8.py"


def run_pythia_example(directory: Path, events: list[str] = PYTHIA_EVENTS) -> str:
    """Generate ``events`` in ``directory`` and shower them with the example script; returns
    everything the script printed (Pythia's own lines included)."""
    for args in ([sys.executable, "-m", "leptoportal", *events],
                 [sys.executable, str(PYTHIA_SCRIPT)]):
        done = subprocess.run(args, cwd=directory, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[2:])}: {done.stderr.strip()[-2000:]}")
    return done.stdout


def _pythia_markdown() -> str:
    with tempfile.TemporaryDirectory() as here:
        printed = run_pythia_example(Path(here)).splitlines()
    own = [ln for ln in printed if ln.startswith(("events ", "phi ", "largest "))]
    return "\n".join(["```sh", f"leptoportal {' '.join(PYTHIA_EVENTS)}", "```", "",
                      "```python", PYTHIA_SCRIPT.read_text().rstrip(), "```", "",
                      "prints", "", "```text", *own, "```", ""])


#: MathJax 3 with every TeX package and SVG output (no fonts to fetch), from the docs extra's
#: PyPI package of MathJax (django-static-mathjax: the files of the mathjax-full npm package)
MATHJAX = ("static/mathjax/es5/tex-svg-full.js", "static/mathjax/LICENSE")


def on_post_build(config) -> None:
    """Copy MathJax into the built site (javascripts/mathjax/), where mkdocs.yml loads it."""
    from importlib.resources import files

    target = Path(config["site_dir"]) / "javascripts" / "mathjax"
    target.mkdir(parents=True, exist_ok=True)
    for name in MATHJAX:
        with files("mathjax").joinpath(name).open("rb") as src, \
                open(target / Path(name).name, "wb") as dst:
            shutil.copyfileobj(src, dst)
