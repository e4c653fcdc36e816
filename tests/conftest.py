"""Shared fixtures: run the CLI in-process and capture its output (the cache is isolated by
the conftest.py at the top of the repository)."""

from __future__ import annotations

import json

import pytest

from leptoportal.cli import main


@pytest.fixture
def run_cli(capsys):
    """Run ``leptoportal ARGS``; return (exit code, stdout, stderr)."""

    def _run(*args: str):
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


@pytest.fixture
def run_json(run_cli):
    """Run a command with --json, assert success and exactly one JSON object on stdout."""

    def _run(*args: str) -> dict:
        code, out, err = run_cli(*args, "--json")
        assert code == 0, err
        lines = [ln for ln in out.splitlines() if ln.strip()]
        assert len(lines) == 1, out
        obj = json.loads(lines[0])
        assert isinstance(obj, dict)
        return obj

    return _run
