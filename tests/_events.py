"""Waiting on events, not on the clock: a test that signals or kills a running command waits
until the command has reached the state the test is about (a file appeared, the process has
spent so much CPU time), however slow or loaded the machine is. The limits below only end a
test that would otherwise hang; they are never what a test measures."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

#: the longest a test waits for an event before it fails (a hung command, not a slow one)
HANG_S = 600.0


def wait_for(event: Callable[[], bool], what: str, limit_s: float = HANG_S) -> None:
    """Poll ``event`` every 20 ms until it is true; fail (naming ``what``) after
    ``limit_s``."""
    end = time.monotonic() + limit_s
    while not event():
        assert time.monotonic() < end, f"waited {limit_s:.0f} s for {what}"
        time.sleep(0.02)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc), 0 once it has ended. It
    grows only while the process runs, so "after 1.5 s of CPU" is the same point of its work
    on an idle and on a loaded machine."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alive(proc) -> bool:
    return proc.poll() is None


def ctrl_c_enabled() -> None:
    """``preexec_fn`` of a command that a test interrupts with SIGINT: Ctrl-C acts as at a
    terminal even where the test runner was started in the background (a shell then starts
    its jobs with SIGINT ignored, and Python leaves an ignored SIGINT ignored)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
