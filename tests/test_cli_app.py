"""The command-line application: explicit registration, version, one JSON object."""

import json
from pathlib import Path

import leptoportal
from leptoportal.cli.app import app

COMMANDS = {"g2", "g2-band", "widths", "lfv", "constraints", "xsec", "experiments", "yield",
            "limit", "relic",
            "cache", "relic-target", "generate", "reproduce", "scan", "validate", "version",
            "schema", "examples"}


def test_every_command_is_registered_explicitly():
    assert {c.name for c in app.registered_commands} == COMMANDS
    cli_dir = Path(leptoportal.__file__).parent / "cli"
    for f in cli_dir.glob("*.py"):
        assert "importlib" not in f.read_text(), f


def test_version(run_cli, run_json):
    assert run_json("version") == {"version": leptoportal.__version__}
    code, out, _ = run_cli("--version")
    assert code == 0 and out.strip() == leptoportal.__version__
    code, out, _ = run_cli("version")
    assert code == 0 and out.strip() == leptoportal.__version__


def test_help_lists_the_commands(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0
    for name in COMMANDS:
        assert name in out


def test_an_interrupt_wrapped_by_a_library_still_exits_130(monkeypatch, capsys):
    """A KeyboardInterrupt that a library re-raises as its own error (e.g. inside compiled
    code) is still Ctrl-C: status 130 and one line."""
    import importlib

    import pytest

    app_module = importlib.import_module("leptoportal.cli.app")

    def wrapped(*args, **kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("library error") from exc

    monkeypatch.setattr(app_module, "app", wrapped)
    with pytest.raises(SystemExit) as info:
        app_module.main(["g2"])
    assert info.value.code == 130
    err = capsys.readouterr().err
    assert err.startswith("error: interrupted") and len(err.strip().splitlines()) == 1


def test_every_json_schema_is_a_valid_schema_with_units_and_meanings(run_cli):
    """`leptoportal schema COMMAND` prints a valid JSON schema whose every key says what it
    is; the keys follow the naming rule (no unit word without its underscore)."""
    import jsonschema

    from leptoportal.cli.schemas import COMMANDS

    registered = {c.name for c in app.registered_commands}
    for command in COMMANDS:
        assert command in registered
        code, out, err = run_cli("schema", command)
        assert code == 0, err
        schema = json.loads(out)
        jsonschema.Draft202012Validator.check_schema(schema)
        for sub in [schema] + schema.get("anyOf", []):
            for key, prop in sub.get("properties", {}).items():
                assert prop.get("description"), (command, key)
                assert not key.endswith(("cm3s", "gev2", "seconds")), (command, key)
    code, _, err = run_cli("schema", "nope")
    assert code == 2 and "command = 'nope'" in err
