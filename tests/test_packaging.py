"""The set-up a new user meets: the lock files agree with pyproject.toml's ranges, `make venv`
installs exactly the locked versions, and the README's commands are the ones the gate
(tools/readme_check.py, run by `make test`) runs from a fresh directory."""

import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import readme_check  # noqa: E402


def _locked(path: Path) -> dict[str, str]:
    """name -> version of the pins of a lock file that apply to this interpreter."""
    out = {}
    env = default_environment()
    for line in path.read_text().splitlines():
        if not line or line[0].isspace() or line.startswith("#"):
            continue
        req = Requirement(line.rstrip(" \\"))
        if req.marker is None or req.marker.evaluate(env):
            (version,) = [s.version for s in req.specifier]
            out[canonicalize_name(req.name)] = version
    return out


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values()
                                        for r in extra)]
    return [Requirement(r) for r in reqs if not r.startswith("leptoportal")]


def test_lock_pins_every_dependency_inside_pyprojects_ranges():
    locked = _locked(ROOT / "requirements" / "dev.lock")
    assert len(locked) > 100
    for req in _requirements():
        name = canonicalize_name(req.name)
        assert name in locked, f"{name} is not in the lock: run make lock"
        assert req.specifier.contains(locked[name], prereleases=True), (name, locked[name])
    assert {"distributed", "mkdocstrings-python"} <= set(locked)  # the extras' extras
    assert "setuptools" in locked  # the build backend, for make venv's --no-build-isolation


@pytest.mark.skipif(Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(),
                    reason="checks the project's .venv (make venv)")
def test_make_venv_installed_exactly_the_locked_versions():
    locked = _locked(ROOT / "requirements" / "dev.lock")
    installed = {canonicalize_name(d.metadata["Name"]): d.version
                 for d in importlib.metadata.distributions()}
    wrong = {n: (v, installed.get(n)) for n, v in locked.items() if installed.get(n) != v}
    assert wrong == {}
    extra = set(installed) - set(locked) - {"leptoportal", "pip"}
    assert extra == set()


def test_makefile_installs_from_the_lock_and_runs_the_readme_gate():
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"pip install -q --require-hashes --no-deps -r \$\(LOCK\)", make)
    assert "LOCK   := requirements/dev.lock" in make
    test_recipe = make.split("\ntest:")[1].split("\n\n")[0]
    assert "tools/readme_check.py" in test_recipe and "pytest" in test_recipe
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make reproduce" in readme and "make test" in readme
    assert "reproduce: $(STAMP)\n\t$(BIN)/leptoportal reproduce --out results" in make


def test_the_gate_finds_every_command_line_of_the_readme():
    lines = readme_check.commands(ROOT / "README.md")
    assert "leptoportal reproduce --out results" in lines
    assert len(lines) >= 12
    fenced = re.findall(r"^```sh\n(.*?)^```", (ROOT / "README.md").read_text(), re.M | re.S)
    written = [ln for block in fenced for ln in block.splitlines()
               if ln.startswith("leptoportal")]
    assert len(written) == len(lines)
    assert readme_check.promised("leptoportal x --out a.csv") == ["a.csv"]
    assert readme_check.promised("leptoportal e show n --yaml > mine.yaml") == ["mine.yaml"]
    assert readme_check.promised("leptoportal l --pyhf-workspace ws --json") == ["ws"]
    assert readme_check.commands(ROOT / "docs" / "getting-started.md")
