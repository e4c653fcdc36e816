"""Reading inputs: the package's own data tables (`data_table()`) and the user's YAML
files (experiment configs, coupling matrices, scan definitions), the latter safely: one
regular, bounded, UTF-8 file holding one mapping of plain values.

Refused with a one-line error: a missing path, a directory, a FIFO or device (which could
block), files over MAX_BYTES, non-UTF-8 bytes, invalid YAML, anchors and aliases (which let a
few hundred bytes expand into gigabytes: "billion laughs"), nesting deeper than MAX_DEPTH,
values that are not plain scalars, lists or mappings (e.g. dates), a key given twice in one
mapping, and a top level that is not a mapping.

Example: ``read_yaml_mapping("my.yaml", "config")`` -> ``{"experiment": "ldmx", ...}``.
"""

from __future__ import annotations

import csv
import os
import stat
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BeforeValidator
from yaml.nodes import MappingNode, ScalarNode

from leptoportal.errors import InputError

#: largest config file read (bytes)
MAX_BYTES = 1_000_000
#: longest integer literal read from a file (digits): Python refuses to convert above 4300
MAX_INT_DIGITS = 300


def not_bool(value: float | str | bool | int) -> float | str | int:
    """Refuse booleans where a number is expected (``eot: true`` is not 1 EOT)."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    return value


#: a real number of a validated input (ints and numeric strings accepted, booleans refused)
Number = Annotated[float, BeforeValidator(not_bool)]
#: a whole number of a validated input (booleans refused)
Whole = Annotated[int, BeforeValidator(not_bool)]
#: deepest nesting of lists and mappings accepted
MAX_DEPTH = 20


def data_table(name: str) -> list[dict[str, str]]:
    """The rows of the packaged CSV file ``data/<name>`` (lines starting with '#' are
    comments). Example: ``data_table("targets.csv")[0]["name"] == "Pb"``."""
    text = resources.files("leptoportal").joinpath(f"data/{name}").read_text()
    return list(csv.DictReader(ln for ln in text.splitlines() if not ln.startswith("#")))


#: libyaml's parser where PyYAML was built with it (the pure-Python one reads ~40 kB/s)
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """A safe loader that refuses integers of more than MAX_INT_DIGITS digits (Python
    refuses to convert them, and no input of the package needs them) and a key given twice
    in one mapping (YAML would keep the last one silently). Anchors and aliases are refused
    before it runs (`_refuse_aliases`)."""

    def construct_yaml_int(self, node: ScalarNode) -> int:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise yaml.YAMLError(f"an integer of {digits} digits (at most {MAX_INT_DIGITS})")
        returned: int = super().construct_yaml_int(node)
        return returned

    def construct_mapping(self, node: MappingNode, deep: bool=False) -> dict[str, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                continue  # unhashable: the mapping's own construction says so
            if key in seen:
                line = key_node.start_mark.line + 1
                raise yaml.YAMLError(f"the key {key!r} is given twice (line {line})")
            seen.add(key)
        returned: dict[str, Any] = super().construct_mapping(node, deep)
        return returned


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def _refuse_aliases(text: str) -> None:
    """Anchors and aliases (which let a few hundred bytes expand into gigabytes) are refused
    on the parser's events, before anything is built."""
    for event in yaml.parse(text, Loader=_BASE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not allowed")
        if getattr(event, "anchor", None) is not None:
            raise yaml.YAMLError("anchors (&name) are not allowed")


def _check_plain(value: Any, where: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise InputError(f"{where} is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str | int | float | bool):
                raise InputError(f"{where} has a key of type {type(k).__name__}")
            _check_plain(v, where, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _check_plain(v, where, depth + 1)
    elif value is not None and not isinstance(value, str | int | float | bool):
        raise InputError(f"{where} holds a value of type {type(value).__name__} ({value!r}); "
                         "allowed: numbers, strings, booleans, lists and mappings")


def read_yaml_mapping(path: str | Path, what: str = "config") -> dict[str, Any]:
    """The mapping in the YAML file ``path`` (see the module docstring for what is refused)."""
    text_path = str(path)
    if not text_path.strip():
        raise InputError(f"{what} = {text_path!r} is empty; give a YAML file")
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{what} = {text_path!r} does not exist") from None
    except OSError as exc:
        raise InputError(f"{what} = {text_path!r} cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{what} = {text_path!r} is a directory; give a YAML file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{what} = {text_path!r} is not a regular file")
    if st.st_size > MAX_BYTES:
        raise InputError(f"{what} = {text_path!r} is {st.st_size} bytes; at most {MAX_BYTES}")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{what} = {text_path!r} is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{what} = {text_path!r} cannot be read ({exc.strerror})") from None
    try:
        _refuse_aliases(text)
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as exc:
        first = " ".join(str(exc).split())[:200]
        raise InputError(f"{what} = {text_path!r} is not valid YAML: {first}") from None
    except RecursionError:
        raise InputError(f"{what} = {text_path!r} is nested too deeply") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(f"{what} = {text_path!r} must be a mapping (key: value lines), "
                         f"not a {type(data).__name__}")
    _check_plain(data, f"{what} = {text_path!r}")
    return data


__all__ = [
    "MAX_BYTES", "MAX_DEPTH", "MAX_INT_DIGITS", "data_table", "not_bool", "Number",
    "read_yaml_mapping", "Whole",
]


def __dir__() -> list[str]:
    return __all__
