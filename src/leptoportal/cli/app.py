"""The ``leptoportal`` command: the typer app, the registration of every command, and the
entry point that turns the library's errors into one ``error:`` line with exit status 2.

Every command has ``--json`` (exactly one JSON object on stdout). The library's errors speak
of parameters by their names (``m_phi``); here they become the command's flags (``--m-phi``).
The command modules import only typer and the option declarations at start: the physics is
imported by the command that runs, so ``leptoportal --help`` starts in a fraction of a second.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import re
import signal
import sys
import threading
import warnings
from typing import Annotated, Any, TextIO

import typer

from leptoportal.cli import (
    constraints,
    decays,
    experiments,
    g2,
    generate,
    lfv,
    production,
    relic,
    reproduce,
    validate,
)
from leptoportal.cli._options import Json
from leptoportal.cli._output import emit
from leptoportal.errors import InputError, LeptoportalError, echo

app = typer.Typer(
    name="leptoportal",
    help="Physics of the leptonic scalar portal (Gninenko & Krasnikov, arXiv:2202.04410).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version() -> str:
    import leptoportal

    return leptoportal.__version__


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(_version() + "\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", metavar="", callback=_print_version, is_eager=True,
                           help="Print the package version and exit.")
    ] = False,
) -> None:
    """Physics of the leptonic scalar portal (Gninenko & Krasnikov, arXiv:2202.04410)."""


def cache(
    action: Annotated[str, typer.Argument(help="info | clear")] = "info",
    as_json: Json = False,
) -> None:
    """Show where the cross-section cache is and what it holds, or clear it."""
    from leptoportal import cache as store
    from leptoportal.errors import require_choice

    require_choice("action", action, ("info", "clear"))
    removed = store.clear_cache() if action == "clear" else None
    emit(dataclasses.replace(store.cache_info(), removed=removed), as_json)


def schema(
    command: Annotated[str, typer.Argument(help="The command whose --json output to describe.")],
) -> None:
    """Print the JSON schema of a command's --json output (every key with its unit and
    meaning)."""
    from leptoportal.cli.schemas import command_schema

    emit(command_schema(command), True)


def examples(
    out: Annotated[str, typer.Argument(help="Directory to write the example files into.")
                   ] = "examples",
    force: Annotated[bool, typer.Option("--force", help="Replace example files of the same "
                                        "name that differ.")] = False,
    as_json: Json = False,
) -> None:
    """Write the example set-ups and scan file (the docs' examples/...) into a directory."""
    from leptoportal.examples import write_examples

    emit(write_examples(out, force), as_json)


def version(as_json: Json = False) -> None:
    """Print the package version."""
    if as_json:
        emit({"version": _version()}, True)
    else:
        sys.stdout.write(_version() + "\n")


# the physics chain: g-2 and decays -> production -> experiments -> relic -> events -> runs
app.command("g2")(g2.g2)
app.command("g2-band")(g2.g2_band)
app.command("widths")(decays.widths)
app.command("lfv")(lfv.lfv)
app.command("constraints")(constraints.constraints)
app.command("xsec")(production.xsec)
app.command("experiments")(experiments.experiments)
app.command("yield")(experiments.yield_)
app.command("limit")(experiments.limit)
app.command("relic")(relic.relic)
app.command("relic-target")(relic.relic_target)
app.command("generate")(generate.generate)
app.command("reproduce")(reproduce.reproduce)
app.command("scan")(reproduce.scan)
app.command("validate")(validate.validate)
app.command("examples")(examples)
app.command("cache")(cache)
app.command("schema")(schema)
app.command("version")(version)


#: the one line of an interrupted run
INTERRUPTED = "interrupted (Ctrl-C); finished scan points and cache entries are kept"
#: the one line of a terminated run (exit status 128 + SIGTERM)
TERMINATED = "terminated (SIGTERM); finished scan points and cache entries are kept"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread: it unwinds like Ctrl-C, so that every temporary
    file and spool directory is removed on the way out."""


#: whether SIGTERM arrived (the libraries in between may turn the exception into their own)
_SIGNALS = {"terminated": False}


def _on_sigterm(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: the clean-up is not interrupted
    _SIGNALS["terminated"] = True
    raise Terminated()


def _interrupted() -> None:
    """The one line and exit status of Ctrl-C (130) or SIGTERM (143)."""
    if _SIGNALS["terminated"]:
        fail(TERMINATED, 128 + signal.SIGTERM)
    fail(INTERRUPTED, 130)


#: longest error line (characters); longer messages are cut in the middle
MAX_ERROR = 400


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error on stderr and exit (status 2 for bad input)."""
    text = " ".join(str(message).split())
    if len(text) > MAX_ERROR:  # cut in the middle: the start and the options stay readable
        text = f"{text[:MAX_ERROR - 150]} ... {text[-140:]}"
    sys.stderr.write("error: " + text + "\n")
    sys.exit(code)


def option_flags(argv: list[str]) -> dict[str, str]:
    """Parameter name -> flag (``m_phi`` -> ``--m-phi``) of the command named in ``argv``."""
    root = typer.main.get_command(app)
    name = next((a for a in argv if not a.startswith("-")), None)
    command = getattr(root, "commands", {}).get(name) if name else None
    if command is None:
        return {}
    return {p.name: p.opts[0] for p in command.params if p.opts and p.opts[0].startswith("--")}


def in_flags(exc: LeptoportalError, flags: dict[str, str]) -> str:
    """The message of a library error in the words of the command line: a leading
    ``name = value`` becomes ``--flag value``; the flags of the other parameters it names
    follow in brackets."""
    message = str(exc)
    named = [p for p in exc.parameters if p in flags]
    if not named:
        return message
    first = named[0]
    lead = re.match(rf"{re.escape(first)} = ", message)
    if lead:
        message = flags[first] + " " + message[lead.end():]
        named = named[1:]
    if named:
        message += f" (option{'s' if len(named) > 1 else ''} "
        message += ", ".join(flags[p] for p in dict.fromkeys(named)) + ")"
    return message


#: the warnings a command has printed (each text once per command, whatever resets Python's
#: own registry of shown warnings on the way)
_WARNED: set[str] = set()


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str,
                      lineno: int, file: TextIO | None = None,
                      line: str | None = None) -> None:
    text = " ".join(str(message).split())
    if text not in _WARNED:
        _WARNED.add(text)
        sys.stderr.write(f"warning: {text}\n")


def _caused_by_interrupt(exc: BaseException) -> BaseException | None:
    """The KeyboardInterrupt (or SIGTERM) in the cause/context chain of ``exc``, if any."""
    seen = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return link
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return None


class StdoutError(Exception):
    """Standard output cannot take what a command prints (disk full, file too large, a
    closed pipe); its argument is the OSError."""


class _GuardedStdout:
    """sys.stdout while a command runs: a failed write or flush becomes `StdoutError`, so
    that it is told apart from a bug and never ends in a truncated output with status 0."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            buffer = getattr(self._stream, "buffer", None)
            if buffer is None:
                return self._stream.write(text)
            # through the bytes layer, every byte accounted for: an unbuffered stream
            # (PYTHONUNBUFFERED) drops what a short write leaves (a file-size limit)
            self._stream.flush()
            data = memoryview(text.encode(self._stream.encoding or "utf-8",
                                          self._stream.errors or "strict"))
            while data:
                written = buffer.write(data)
                if not written:
                    raise OSError(errno.EAGAIN, "standard output takes no more")
                data = data[written:]
            if getattr(self._stream, "line_buffering", False) and "\n" in text:
                buffer.flush()  # a terminal sees each line as it comes
            return len(text)
        except OSError as exc:
            raise StdoutError(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise StdoutError(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


#: exit status of a command whose reader closed the pipe (the shell's 128 + SIGPIPE)
EXIT_CLOSED_PIPE = 128 + 13


def _stdout_failed(exc: OSError) -> None:
    """A closed pipe ends the command quietly with 141 (as SIGPIPE would); any other failure
    to write standard output is one line and status 2. Standard output is pointed at
    /dev/null first, so that the interpreter's last flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, (sys.__stdout__ or sys.stdout).fileno())
    if exc.errno == errno.EPIPE:
        sys.exit(EXIT_CLOSED_PIPE)
    fail(f"cannot write the output to standard output: {exc.strerror or exc}")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point with one-line errors and exit status 2 on bad input,
    130 on Ctrl-C; warnings are one line ("warning: ..."), floating-point RuntimeWarnings
    are silenced (every result is checked to be finite instead)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _WARNED.clear()
    warnings.showwarning = _one_line_warning
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    stdout, sys.stdout = sys.stdout, _GuardedStdout(sys.stdout)
    try:
        _run(argv)
    finally:
        sys.stdout = stdout


def plain_numbers(argv: list[str]) -> None:
    """Refuse numbers written in forms that Python reads but a user does not mean: digit
    groups with underscores (``1_0`` is 10 to Python) and digits of other scripts
    (Arabic-Indic, full-width): numbers on the command line are written with 0-9."""
    for token in argv:
        value = token.partition("=")[2] if token.startswith("--") else token
        if not value or (value.isascii() and "_" not in value):
            continue
        try:
            float(value)
        except ValueError:
            continue  # not a number at all: a name, a path
        raise InputError(f"{echo(value)} is read as the number {float(value):g}: write "
                         "numbers with the digits 0-9 only (no '_' groups, no other scripts)")


def _run(argv: list[str]) -> None:
    """Run the command of ``argv`` and exit with its status (see `main`)."""
    try:
        plain_numbers(argv)
        code = app(args=argv, prog_name="leptoportal", standalone_mode=False)
        sys.stdout.flush()  # here, not at exit: a failure is still one line and status 2
    except StdoutError as exc:
        _stdout_failed(exc.args[0])
    except LeptoportalError as exc:
        fail(in_flags(exc, option_flags(argv)))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        _interrupted()
    except typer.TyperException as exc:  # usage errors: bad option value, missing option
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(0)
        msg = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        fail(msg)
    except (RecursionError, MemoryError) as exc:
        fail(f"the input is too large to process ({type(exc).__name__})")
    except Exception as exc:  # a bug: still one line, with a way to see the traceback
        if _caused_by_interrupt(exc) is not None:  # a library made Ctrl-C its own error
            _interrupted()
        if os.environ.get("LEPTOPORTAL_DEBUG"):
            raise
        fail(f"unexpected {type(exc).__name__}: {exc} (a bug; please report it with the "
             "command; LEPTOPORTAL_DEBUG=1 shows the traceback)")
    else:
        if code == 130:  # typer returns Ctrl-C as exit code 130 in non-standalone mode
            _interrupted()
        sys.exit(code if isinstance(code, int) else 0)
