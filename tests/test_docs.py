"""The documentation site, built from the repository exactly as `make docs` builds it (once,
into a scratch directory; strict, and not quiet: a warning fails the build): rendered maths and
a figure made by the package on every physics page, every option of every command on the CLI
page, no raw reST role in the API page, nothing loaded from the network and every link working
when the site is opened from disk; and the numbers the docs and the README quote, against the
code."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PHYSICS = sorted(p.stem for p in (ROOT / "docs" / "physics").glob("*.md"))


def _make_docs_command() -> list[str]:
    """The mkdocs command of `make docs` (the Makefile's recipe, its venv's bin replaced by
    this interpreter's), so that the test builds the site exactly as the README's users do."""
    recipe = re.search(r"^docs:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "make docs has no recipe"
    words = recipe.group(1).split()
    words = [w for w in words if "=" not in w]  # environment assignments
    assert words[0].endswith("/mkdocs") and "--strict" in words and not {"-q", "--quiet"} & set(
        words), words
    return [sys.executable, "-m", "mkdocs", *words[1:]]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([*_make_docs_command(), "-d", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    warnings = [ln for ln in done.stderr.splitlines() if ln.startswith("WARNING")]
    assert warnings == []
    return out


def _pages(site: Path) -> list[Path]:
    # 404.html is a web server's page (absolute links by design), not one opened from disk
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts
                  and p.name != "404.html")


def test_site_loads_nothing_from_the_network(site):
    """No remote script, style sheet or font: opened without a network, the maths renders
    (MathJax is in the site) and the pages keep their fonts (system fonts)."""
    for page in _pages(site):
        html = page.read_text()
        remote = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="((?:https?:)?//[^"]+)"',
                            html)
        assert remote == [], (page.name, remote)
    for css in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text()), css.name
        assert "fonts.googleapis" not in css.read_text(), css.name
    assert (site / "javascripts" / "mathjax" / "tex-svg-full.js").stat().st_size > 1_000_000
    assert 'src="../javascripts/mathjax/tex-svg-full.js"' in (
        site / "physics" / "g2.html").read_text()


def test_every_link_works_opened_from_disk(site):
    """Opened as files (no server), every relative link lands on a file of the site, not on a
    directory listing."""
    broken = []
    for page in _pages(site):
        for target in re.findall(r'\b(?:href|src)="([^"#?]+)', page.read_text()):
            if re.match(r"[a-z]+:", target) or target.startswith("//"):
                continue
            path = (page.parent / target).resolve()
            if not path.is_file():
                broken.append((str(page.relative_to(site)), target))
    assert broken == []


@pytest.mark.parametrize("page", PHYSICS)
def test_physics_pages_render_maths_and_show_a_figure(site, page):
    html = (site / "physics" / f"{page}.html").read_text()
    assert 'class="arithmatex"' in html, page  # maths for MathJax
    assert html.count('<img class="lp-figure"') >= 1, page  # made at build time
    assert "<!--" not in re.sub(r"<!--\s*(\[|\])", "", html.split("<body")[1]).replace(
        "<!-- ", "<!--") or "figure:" not in html, page  # every marker replaced


def _help_flags(run_cli, command: str) -> set[str]:
    code, out, _ = run_cli(command, "--help")
    assert code == 0
    # the first flag of each row of the options panel (not flags quoted in help texts)
    return set(re.findall(r"^\W+\*?\s*(--[a-z][a-z0-9-]*)", out, re.M)) - {"--help"}


def test_cli_page_lists_every_option_of_every_command(site, run_cli, monkeypatch):
    """Every flag of every command's --help is on the CLI page, under its command."""
    import typer

    from leptoportal.cli.app import app

    monkeypatch.setenv("COLUMNS", "300")  # unwrapped help text
    html = (site / "cli.html").read_text()
    sections = re.split(r'<h2 id="leptoportal-', html)[1:]
    by_command = {s.split('"')[0]: s for s in sections}
    commands = typer.main.get_command(app).commands
    assert set(by_command) == set(commands)
    for name in commands:
        flags = _help_flags(run_cli, name)
        for flag in flags:
            assert f"<code>{flag}</code>" in by_command[name], (name, flag)
    assert html.count("<code>--m-phi</code>") >= 8


def test_api_page_has_no_raw_rest_roles(site):
    html = (site / "api.html").read_text()
    assert len(html) > 50_000
    text = re.sub(r"<[^>]+>", "", html)
    assert not re.search(r":(func|class|data|meth|mod|attr|ref):`", text)
    assert not re.search(r"\w::\s*$", text, re.M)


def test_quoted_numbers_agree_with_the_code():
    """The numbers the docs, README and presets quote: WW/ETL per channel (the production page
    computes them at build time; the package's warnings quote ranges that must contain them),
    the count of validation checks, the resonance energy of the resonance docs, the presets'
    words on the electron motion."""
    sys.path.insert(0, str(ROOT))
    import docs_figures

    from leptoportal import experiments as ex
    from leptoportal import validate
    from leptoportal.production.resonance import Resonance
    from leptoportal.production.ww import KNOWN_RATIOS

    # the mass ranges the package's warnings were measured on (see KNOWN_RATIOS)
    measured_up_to = {("mu", "e"): 2.0, ("e", "e"): 0.5}
    for (beam, final), known in KNOWN_RATIOS.items():
        rows = [r for r in docs_figures.ww_over_etl() if r[0] == f"{beam}- -> {final}-"
                and r[1] <= measured_up_to[(beam, final)]]
        assert rows
        for column, key in ((4, "ww"), (5, "iww")):
            ratios = [r[column] for r in rows]
            assert known[key][0] - 0.05 <= min(ratios), (beam, final, key, ratios)
            assert max(ratios) <= known[key][1] + 0.05, (beam, final, key, ratios)
    lo, hi = docs_figures.ww_over_etl_range("e- -> mu-")
    assert 1.0 < lo and hi < 1.1  # the e-mu portal: WW within 10% of the exact tree level
    readme = (ROOT / "README.md").read_text()
    quoted = re.search(r"# (\d+) cross-checks", readme)
    assert quoted and int(quoted.group(1)) == len(validate.CHECKS)
    e_r = Resonance("mu+", 0.418).resonance_energy
    assert f"{e_r:.2f} GeV for $M$ = 0.418 GeV" in (
        ROOT / "docs" / "physics" / "resonant-production.md").read_text()
    for name in ex.preset_names():
        cfg = ex.get_preset(name)
        for text in cfg.assumptions:
            if "electrons at rest" in text:
                assert cfg.electron_motion == "rest", name
            if "electron_motion: shells" in text:
                assert cfg.electron_motion == "shells", name


def test_the_set_up_fields_table_has_one_cell_per_column(site):
    """A "|" in a field's meaning ({formula|mass|layers}) no longer splits its row: every
    row of the own-study page's fields table has its five cells."""
    import re

    page = (site / "own-study.html").read_text()
    table = next(t for t in re.findall(r"<table>.*?</table>", page, re.S)
                 if "thickness_x0" in t)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]  # the header row has <th>
    assert rows and all(len(re.findall(r"<td", r)) == 5 for r in rows)
    target = next(r for r in rows if "<code>target</code>" in r)
    assert "formula|mass|layers" in target


def test_the_width_prescription_is_documented_with_computed_numbers(site):
    """Next to the electron-philic limit the resonance page gives the yield's dependence on
    the width prescription, computed when the site is built (docs_figures.width_table)."""
    sys.path.insert(0, str(ROOT))
    import docs_figures

    page = (site / "physics" / "resonant-production.html").read_text()
    assert "yield with a fixed width / running width" in page
    for m, _, ratio in docs_figures.width_prescription_rows():
        assert f"<td>{m:g}</td>" in page and f"<td>{ratio:.2f}</td>" in page


def test_every_default_is_shown_with_its_reason():
    """The docs page "Defaults" lists every name of leptoportal.defaults with its value and
    the reason written beside it in the module."""
    sys.path.insert(0, str(ROOT))
    import re

    import mkdocs_hooks

    from leptoportal import defaults

    rows = [re.split(r"(?<!\\)\|", r)[1:-1]
            for r in mkdocs_hooks._defaults_markdown().splitlines()[2:]]
    assert [name.strip(" `") for name, _, _ in rows] == list(defaults.__all__)
    assert all(reason.strip() for _, _, reason in rows)
