"""mkdocs hooks: the Experiments page from the presets data file and the Validation page from
a fresh `leptoportal validate --fast` run (both generated at build time)."""

from __future__ import annotations


def _presets_markdown() -> str:
    from leptoportal import experiments as ex

    lines = ["| preset | beam | E0 [GeV] | target | thickness [X0] | EOT/MOT | n_obs | b | "
             "projection |", "|---|---|---|---|---|---|---|---|---|"]
    details = []
    for name in ex.preset_names():
        p = ex.get_preset(name)
        lines.append(f"| `{name}` | {p.beam} | {p.energy:g} | {p.target} | {p.thickness_x0:g} "
                     f"| {p.total_eot:.3g} | {p.n_obs} | {p.background:g} | "
                     f"{'yes' if p.projection else 'no'} |")
        details.append(f"\n### {name}\n\n{p.description}\n")
        details += [f"- source ({k}): {v}" for k, v in p.sources.items()]
        details += [f"- assumption: {a}" for a in p.assumptions]
    return "\n".join(lines + details) + "\n"


def _validation_markdown() -> str:
    from leptoportal import validate
    from leptoportal.outputs import render_markdown

    blocks = validate.report_blocks(validate.run_checks(fast=True), fast=True)
    return render_markdown(blocks[1:])  # the page has its own title


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "<!-- presets -->" in markdown:
        markdown = markdown.replace("<!-- presets -->", _presets_markdown())
    if "<!-- validation -->" in markdown:
        markdown = markdown.replace("<!-- validation -->", _validation_markdown())
    return markdown
