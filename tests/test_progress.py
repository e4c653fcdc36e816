"""Progress bars: drawn on stderr when it is a terminal, with the time left; nothing with
--json, --quiet or a pipe."""

import json
import os
import pty
import select
import subprocess
import sys

import pytest


def _run_on_terminal(*args: str, timeout: float = 300.0) -> tuple[int, str, str]:
    """Run ``leptoportal ARGS`` with stderr on a pseudo-terminal and stdout on a pipe."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "leptoportal", *args],
                            stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            proc.kill()
            pytest.fail("no output on the terminal")
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode()
    code = proc.wait(timeout=timeout)
    os.close(master)
    return code, out, b"".join(chunks).decode(errors="replace")


LIST = ("relic-target", "--m-phi", "0.3,0.5,1,1.5", "--alpha-dark", "0.1")


def test_list_command_draws_a_bar_on_a_terminal_only():
    code, out, err = _run_on_terminal(*LIST)
    assert code == 0 and "thermal targets" in out
    assert "thermal targets" in err and "4/4" in err and "0:00:0" in err  # elapsed, time left
    code, out, err = _run_on_terminal(*LIST, "--quiet")
    assert code == 0 and err.strip() == ""
    code, out, err = _run_on_terminal(*LIST, "--json")
    assert code == 0 and err.strip() == "" and len(json.loads(out)["points"]) == 4


def test_reproduce_bar_names_its_stages_and_json_stays_clean(tmp_path):
    # the plane of another model: the same stages as the paper's run, in a third of the time
    fast = ("reproduce", "--fast", "--model", "mumu-emu", "--out")
    code, out, err = _run_on_terminal(*fast, str(tmp_path / "a"))
    assert code == 0, err
    assert "reproduce: scan points" in err and "reproduce: figures and tables" in err
    code, out, err = _run_on_terminal(*fast, str(tmp_path / "b"), "--json")
    assert code == 0 and err.strip() == ""
    assert json.loads(out)["model"] == "mumu-emu"
