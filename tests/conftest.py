"""Shared fixtures: run the CLI in-process and capture its output (the cache is isolated by
the conftest.py at the top of the repository)."""

from __future__ import annotations

import functools
import json

import jsonschema
import pytest

from leptoportal.cli import main
from leptoportal.cli.schemas import COMMANDS, command_schema


@functools.cache
def _validator(command: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(command_schema(command))


def check_json_output(command: str, text: str) -> None:
    """A command's --json output is one object valid under its documented schema."""
    obj = json.loads(text)
    errors = sorted(_validator(command).iter_errors(obj), key=lambda e: list(e.path))
    assert not errors, (f"leptoportal {command} --json does not match its schema: "
                        + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))


@pytest.fixture
def run_cli(capsys):
    """Run ``leptoportal ARGS``; return (exit code, stdout, stderr). A successful --json run
    of a command with a documented schema is checked against it (every test that reads a
    command's JSON also tests its schema)."""

    def _run(*args: str):
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        if code == 0 and "--json" in args and args and args[0] in COMMANDS and out.out.strip():
            check_json_output(args[0], out.out)
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
