"""The example files shipped with the package (data/examples/): your own set-ups for `limit`
and `yield` (``own-*.yaml``, explained on the docs page "Your own study") and a scan file
(``scan_limits.yaml``). `write_examples()` copies them into a directory, so that the
commands of the docs that name ``examples/...`` run the same from a clone and from an
installed wheel (``leptoportal examples`` writes ``./examples``).

Examples
--------
>>> sorted(example_names())[-1]
'scan_limits.yaml'
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from leptoportal.results import Result, quantity

__all__ = ["ExamplesWritten", "example_names", "example_text", "write_examples"]


def __dir__() -> list[str]:
    return list(__all__)


def _folder() -> Traversable:
    return files("leptoportal") / "data" / "examples"


def example_names() -> list[str]:
    """The names of the example files, sorted."""
    return sorted(p.name for p in _folder().iterdir() if p.name.endswith(".yaml"))


def example_text(name: str) -> str:
    """The text of one example file."""
    from leptoportal.errors import require_choice

    require_choice("example", name, tuple(example_names()))
    return _folder().joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class ExamplesWritten(Result):
    """Where the example files were written."""

    title = "example files"

    out: str = quantity("", "the directory the files were written into")
    files: list[Any] = quantity("", "the names of the files", default_factory=list)


def write_examples(directory: str | Path = "examples", force: bool = False) -> ExamplesWritten:
    """Write every example file into ``directory`` (created if missing). A file that is
    already there with other content is refused unless ``force`` (nothing is written
    then); one with the same content is left as it is."""
    from leptoportal.errors import InputError
    from leptoportal.outputs import atomic_write_text, check_output_dir, check_output_file

    out = check_output_dir(directory, "out")
    texts = {name: example_text(name) for name in example_names()}
    changed = [name for name in texts if (out / name).exists()
               and (not (out / name).is_file() or (out / name).read_text() != texts[name])]
    if changed and not force:
        raise InputError(f"out = {str(directory)!r} already holds other files named "
                         f"{', '.join(changed)}; give force to replace them",
                         parameters=("out", "force"))
    out = check_output_dir(directory, "out", create=True)
    for name, text in texts.items():
        path = check_output_file(out / name, "out", force)
        if not path.exists() or path.read_text() != text:
            atomic_write_text(path, text)
    return ExamplesWritten(str(out), list(texts))
