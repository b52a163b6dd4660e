"""The package's layers (sim/__init__.py): each layer imports only the layers before it, and no
module imports itself through others (no import circles, inside a layer either).

    core -> data -> mechanisms -> engine -> lab -> present -> cli (top level)

The checks read every module's imports with `ast` (also imports inside functions), so a
lazy import cannot hide a dependency. Each is shown failing on made-up modules.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"
LAYERS = ("core", "data", "mechanisms", "engine", "lab", "present")
MAX_LINES = 500


def layer_of(module: str) -> str | None:
    """'sim.lab.sweep' -> 'lab'; 'sim.cli' / 'sim' -> None (top level)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def imported_modules(source: str, module: str, is_package: bool = False, known=frozenset()) -> set[str]:
    """Absolute names of the `sim` modules that `source` (the text of `module`) imports. With `known`
    (every module's name), `from sim.core import files` names the module sim.core.files, not the package."""
    package = module if is_package else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "sim"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "sim":
                continue
            if node.module is None:           # `from . import a, b` names modules
                found |= {f"{target}.{a.name}" for a in node.names}
            else:
                found |= {f"{target}.{a.name}" if f"{target}.{a.name}" in known else target for a in node.names}
    return found


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """Imports of `module` that break the layer rule, as 'a -> b' strings."""
    mine = layer_of(module)
    if mine is None:                          # the top level (cli, __main__, __init__) may import anything
        return []
    rank = LAYERS.index(mine)
    bad = []
    for target in sorted(imported_modules(source, module, is_package)):
        theirs = layer_of(target)
        if theirs is None or LAYERS.index(theirs) > rank:
            bad.append(f"{module} -> {target}")
    return bad


def _modules():
    for path in sorted(SIM.rglob("*.py")):
        rel = path.relative_to(SIM.parent).with_suffix("")
        is_package = path.name == "__init__.py"
        name = ".".join(rel.parts[:-1] if is_package else rel.parts)
        yield path, name, is_package


def import_graph(sources: dict[str, tuple[str, bool]]) -> dict[str, set[str]]:
    """{module: the modules of `sources` it imports} from {module: (source text, is a package)}; an import
    of a name that is no module of its own counts as an import of the nearest enclosing module."""
    known = set(sources)
    graph = {}
    for name, (source, is_package) in sources.items():
        targets = set()
        for t in imported_modules(source, name, is_package, known):
            while t not in known and "." in t:
                t = t.rsplit(".", 1)[0]
            if t in known and t != name:
                targets.add(t)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of `graph`: each group of modules that import one another (directly or through
    others; Tarjan's strongly connected components), sorted, as 'a -> b' lines of the imports within."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(f"{a} -> {b}" for a in group for b in graph[a] if b in group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _sources() -> dict[str, tuple[str, bool]]:
    return {name: (path.read_text(encoding="utf-8"), is_package) for path, name, is_package in _modules()}


def test_no_import_circles():
    found = cycles(import_graph(_sources()))
    assert not found, "modules that import each other (move what both need into a third module):\n" + \
        "\n".join("  " + "; ".join(c) for c in found)


@pytest.mark.parametrize("sources, expect", [
    ({"sim.present.a": ("def f():\n    from .b import g\n", False), "sim.present.b": ("from . import a\n", False)},
     [["sim.present.a -> sim.present.b", "sim.present.b -> sim.present.a"]]),
    ({"sim.core.a": ("from .b import x\n", False), "sim.core.b": ("from sim.core import c\n", False),
      "sim.core.c": ("import sim.core.a\n", False), "sim.core": ("", True)},
     [["sim.core.a -> sim.core.b", "sim.core.b -> sim.core.c", "sim.core.c -> sim.core.a"]]),
    ({"sim.core.a": ("from .b import x\n", False), "sim.core.b": ("from sim.core import names\n", False),
      "sim.core": ("", True)}, []),
])
def test_the_check_catches_an_import_circle(sources, expect):
    """A test of the test: a circle through a lazy import or through a third module is found; a package
    import that is no circle is not."""
    assert cycles(import_graph(sources)) == expect


def test_every_module_respects_the_layers():
    bad = []
    for path, name, is_package in _modules():
        bad += violations(path.read_text(encoding="utf-8"), name, is_package)
    assert not bad, "imports that break the layer rule (sim/__init__.py):\n" + "\n".join(bad)


def test_every_module_sits_in_a_layer():
    stray = [p.name for p in SIM.glob("*.py") if p.name not in ("__init__.py", "__main__.py", "cli.py")]
    assert not stray, f"modules at the top of sim/ outside any layer: {stray}"
    assert {p.name for p in SIM.iterdir() if p.is_dir() and not p.name.startswith("__")} == set(LAYERS)


@pytest.mark.parametrize("source, module, expect", [
    ("from ..lab.experiments import compare\n", "sim.mechanisms.purchases", ["sim.mechanisms.purchases -> sim.lab.experiments"]),
    ("def f():\n    from ..present import plots\n", "sim.mechanisms.groups", ["sim.mechanisms.groups -> sim.present"]),
    ("import sim.engine.runner\n", "sim.core.result", ["sim.core.result -> sim.engine.runner"]),
    ("from sim.cli import main\n", "sim.lab.sweep", ["sim.lab.sweep -> sim.cli"]),
    ("from ..core.population import POOL\nfrom . import offers\n", "sim.mechanisms.purchases", []),
    ("from ..lab import experiments\n", "sim.present.report", []),
    ("from ..lab.orders import occasions\n", "sim.data.exports", ["sim.data.exports -> sim.lab.orders"]),
    ("from ..core.errors import UsageError\n", "sim.data.values", []),
])
def test_the_check_catches_a_forbidden_import(source, module, expect):
    """A test of the test: made-up modules that import upwards are reported, lawful ones are not."""
    assert violations(source, module) == expect


def test_modules_stay_short():
    long = {str(p.relative_to(SIM)): n for p, _, _ in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them by what a reader looks for): {long}"
