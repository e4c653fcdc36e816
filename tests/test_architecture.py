"""The shape of the tree: imports go down the physics chain only (no cycles, no import of a
higher layer, lazy imports included), the commands stay thin, and the library speaks of
parameters, not of command-line flags."""

import ast
import pathlib
import re

import leptoportal

ROOT = pathlib.Path(leptoportal.__file__).parent

#: the layers, from the ground up: a module may import its own layer and the ones below
LAYERS = [
    {"_typing", "defaults", "constants", "errors", "numerics", "dirac", "results"},
    {"model", "config", "outputs", "cache", "thermo", "stats", "histfactory", "examples",
     "__init__"},
    {"g2", "decays", "lfv"},
    {"production"},
    {"relic"},
    {"experiments"},
    {"constraints"},
    {"generate"},
    {"tasks"},
    {"scan", "validate"},
    {"reproduce"},
    {"cli", "__main__"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}


def _modules() -> dict[str, pathlib.Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _component(module: str) -> str:
    """The layer name of a module: leptoportal.production.etl -> production."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: pathlib.Path, module: str) -> set[str]:
    """Every leptoportal module ``path`` imports, at the top or inside a function."""
    out = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("leptoportal")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            if not base.startswith("leptoportal"):
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.add(full if full in MODULES else base)
    return {m for m in out if m in MODULES and m != module}


GRAPH = {m: _imports(p, m) for m, p in MODULES.items()}


def test_imports_never_go_up_a_layer():
    upward = [(m, t) for m, targets in GRAPH.items() for t in targets
              if LAYER[_component(t)] > LAYER[_component(m)]]
    assert upward == []
    assert set(LAYER) >= {_component(m) for m in MODULES}


def test_no_import_cycles():
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for t in GRAPH[node]:
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t, stack + [t])
        state[node] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_commands_are_thin():
    """No function under cli/ is longer than 60 lines (signature included)."""
    long = []
    for path in (ROOT / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > 60:
                    long.append((path.name, node.name, n))
    assert long == []


#: most parameters of a function under cli/ (options shared by several commands come in
#: groups, `cli._options.option_group`)
MAX_CLI_PARAMETERS = 30


def test_no_command_takes_more_than_30_parameters():
    """The set-up and coupling options are declared once and added as groups: no function's
    own signature under cli/ lists more than MAX_CLI_PARAMETERS parameters."""
    wide = []
    for path in (ROOT / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                a = node.args
                n = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs)
                if n > MAX_CLI_PARAMETERS:
                    wide.append((path.name, node.name, n))
    assert wide == []


def test_no_task_is_dispatched_through_locals():
    """Commands name the fields of their request; nothing is matched by parameter name
    through locals()."""
    found = [path.name for path in (ROOT / "cli").glob("*.py")
             if "locals()" in path.read_text()]
    assert found == []


FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def _strings(node):
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.value


def test_library_errors_name_parameters_not_flags():
    """Only cli/ turns parameter names into --flags; the library's errors and warnings speak
    in physics words."""
    found = []
    for module, path in MODULES.items():
        if _component(module) in ("cli", "__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            calls = isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "warn"
            if isinstance(node, ast.Raise) or calls:
                found += [(module, s) for s in _strings(node) if FLAG.search(s)]
    assert found == []


#: the files that name the resonant channel (l+ e- -> phi of the beam): its registration
#: (presets), its implementation (annihilation) and physics (resonant), the presets that list
#: it (experiments.yaml), its cross-section (tasks), the reproduction's figure and HEPData
#: phrase (grids, tables) and its validation check; every other module reaches it through
#: the channel registry
RESONANT_HOMES = {
    "experiments/presets.py", "experiments/annihilation.py", "experiments/resonant.py",
    "data/experiments.yaml", "tasks/__init__.py", "reproduce/grids.py", "reproduce/tables.py",
    "validate.py",
}


def test_the_resonant_channel_is_named_in_its_homes_only():
    """A production channel is a registered entry, not a boolean and a branch in ten files
    (architecture step 3): the word names it in at most 8 files of the package."""
    named = {str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()
             and p.suffix in (".py", ".yaml", ".md", ".csv")
             and "resonant" in p.read_text().lower()}
    assert named <= RESONANT_HOMES
    assert len(RESONANT_HOMES) <= 8
