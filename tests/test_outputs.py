"""Outputs given as *relative* paths, the way the README and a user give them: every command
that writes a file writes it under the working directory and reports its absolute path, and
nothing in the package changes the working directory (a relative path means the same thing
at every step). `reproduce` with a relative --out is run by tests/test_reproduce.py."""

import json
import re
from pathlib import Path

import pytest

from leptoportal.outputs import check_output_dir, check_output_file

SRC = Path(__file__).parents[1] / "src" / "leptoportal"


def test_checked_paths_come_back_absolute_and_keep_links(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert check_output_file("a.csv") == tmp_path / "a.csv"
    assert check_output_dir("d", create=True) == tmp_path / "d"
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    # made absolute, not resolved: the symlink check of the file itself still sees the link
    assert check_output_dir("link") == tmp_path / "link"


def test_nothing_in_the_package_changes_the_working_directory():
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                 if re.search(r"\b(os\.chdir|contextlib\.chdir|chdir\()", p.read_text())]
    assert offenders == []


def test_relative_outputs_of_xsec_generate_and_limit(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    code, out, err = run_cli("xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.5",
                             "--spectrum", "x", "--bins", "6", "--precision", "0.05", "--out",
                             "out/x.csv", "--json")
    assert code == 0, err
    assert (tmp_path / "out" / "x.csv").read_text().count("\n") > 6
    code, out, err = run_cli("generate", "--energy", "100", "--target", "Pb", "--m-phi", "0.2",
                             "--n", "200", "--out", "out/ev.lhe", "--json")
    assert code == 0, err
    assert json.loads(out)["out"] == str(tmp_path / "out" / "ev.lhe")
    assert (tmp_path / "out" / "ev.lhe").read_text().rstrip().endswith("</LesHouchesEvents>")
    code, out, err = run_cli("limit", "--experiment", "na64e-2016-2018", "--m-phi", "0.3,0.5",
                             "--precision", "0.05", "--pyhf-workspace", "ws", "--json")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "ws").iterdir()) == ["m_phi_0p3.json",
                                                                   "m_phi_0p5.json"]
    code, out, err = run_cli("limit", "--experiment", "na64e-2016-2018", "--m-phi", "0.3",
                             "--precision", "0.05", "--pyhf-workspace", "out/one.json")
    assert code == 0, err
    assert json.loads((tmp_path / "out" / "one.json").read_text())["observations"]


@pytest.mark.parametrize("where", ["missing/x.csv", "../" * 40 + "no/such/dir/x.csv"])
def test_relative_output_in_a_missing_directory_names_it(run_cli, tmp_path, monkeypatch,
                                                        where):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.5",
                           "--spectrum", "x", "--out", where)
    assert code == 2 and err.startswith("error:") and "does not exist" in err
