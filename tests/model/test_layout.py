"""The model's layout: blocks apart from the engine, and no import cycle.

The import graph of ``takeoff.model`` is read from the source (every ``import``, also
the lazy ones inside functions), so a cycle fails here even where it would not fail
at import time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import takeoff.model

ROOT = Path(takeoff.model.__file__).parent
PACKAGE = "takeoff.model"
BLOCKS = (
    "compute",
    "software",
    "training",
    "capabilities",
    "labour",
    "adoption",
    "adoption_dense",
    "economy",
    "investment",
)


def module_names() -> dict[str, Path]:
    """Module name -> file, for every module of takeoff.model (packages as their __init__)."""
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join((PACKAGE, *parts))] = path
    return out


def imported(node: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """Modules of ``known`` that one import statement in ``module`` names."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = module.split(".")
            anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
            base = ".".join([*anchor, base] if base else anchor)
        # `from a import b` imports a, and a.b where b is a module.
        targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
    else:
        return set()
    found = set()
    for target in targets:
        # `import a.b.c` also imports a.b; the nearest known module is the edge.
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != module:
            found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the takeoff.model modules it imports anywhere (also inside functions)."""
    modules = module_names()
    known = set(modules)
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        is_package = path.name == "__init__.py"
        edges = set()
        for node in ast.walk(tree):
            edges |= imported(node, name, is_package, known)
        # A parent package is imported first anyway; it is not an edge of its own.
        graph[name] = {e for e in edges if not name.startswith(e + ".")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_lazy_imports_are_in_the_graph():
    # run.integrate imports the JAX backend inside the function.
    graph = import_graph()
    assert f"{PACKAGE}.engine.jax_backend" in graph[f"{PACKAGE}.engine.run"]


def test_the_model_has_no_import_cycle():
    assert find_cycle(import_graph()) is None


def test_blocks_do_not_import_the_engine():
    graph = import_graph()
    for name, edges in graph.items():
        if name.startswith(f"{PACKAGE}.blocks"):
            assert not {e for e in edges if e.startswith(f"{PACKAGE}.engine")}, name


def test_the_eight_blocks_are_in_blocks():
    # The blocks' helpers may sit beside them; the engine's modules may not.
    assert {p.stem for p in (ROOT / "blocks").glob("*.py")} >= {"__init__", *BLOCKS}
    assert not set(BLOCKS) & {p.stem for p in (ROOT / "engine").glob("*.py")}
    assert {p.name for p in ROOT.glob("*.py")} == {"__init__.py"}
    assert (ROOT / "engine" / "milestones.toml").is_file()
