"""`leptoportal examples`: the example files a wheel carries, written where the docs' commands
expect them (examples/ of the working directory), never over a user's own edits."""

import json
from pathlib import Path

from leptoportal.examples import example_names, example_text

ROOT = Path(__file__).parents[1]


def test_the_package_carries_the_repositorys_examples():
    assert example_names() == sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))
    for name in example_names():
        assert example_text(name) == (ROOT / "examples" / name).read_text()


def test_examples_are_written_into_examples_and_edits_are_kept(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("examples", "--json")
    assert code == 0, err
    written = json.loads(out)
    assert written["out"] == str(tmp_path / "examples")
    assert sorted(p.name for p in (tmp_path / "examples").iterdir()) == written["files"]
    assert run_cli("examples")[0] == 0  # the same files again: nothing to do
    mine = tmp_path / "examples" / "own-m3.yaml"
    mine.write_text(mine.read_text() + "eot: 1e12\n")
    code, _, err = run_cli("examples")
    assert code == 2 and "own-m3.yaml" in err and "--force" in err
    assert mine.read_text().endswith("eot: 1e12\n")  # nothing written
    assert run_cli("examples", "--force")[0] == 0
    assert mine.read_text() == example_text("own-m3.yaml")
    code, _, err = run_cli("examples", "own-m3.yaml/x")
    assert code == 2 and err.startswith("error:")
