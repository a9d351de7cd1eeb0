"""The import graph of a package, read from its source with ``ast``, and the cycles in it.

Every import counts, wherever it is written: at module level, inside a function (a deferred
import is still a dependency: it runs the first time the function does), under
``if TYPE_CHECKING:`` (a dependency of the module's types, which a reader, a type checker and
``typing.get_type_hints`` all follow), and ``importlib.import_module("efl.x")`` with a literal name.
So "no cycle" means the modules can be read, tested and replaced in a layered order, not only that
Python happens to import them without failing.

An edge goes to the module actually named: ``from efl.core import models`` is an edge to
``efl.core.models``, ``from efl.core.models import Trace`` one to ``efl.core.models``, and
``import efl.core.models`` one to ``efl.core.models`` (not to its parent packages, which Python
runs first but which import nothing of their children here).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Graph:
    """Modules (dotted names) and, for each edge, where it is written (``path:line``)."""

    modules: dict[str, Path]
    edges: dict[str, dict[str, str]] = field(default_factory=dict)  # from -> {to: "path:line"}


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``root`` by its dotted name (a package by its own name)."""
    names = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module ``name`` is, or the nearest enclosing one that exists (``efl.x.Thing`` -> ``efl.x``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imported(node: ast.AST, module: str, is_package: bool, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [t for a in node.names if (t := _resolve(a.name, modules))]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[:len(base) - (node.level - 1)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        found = []
        for alias in node.names:
            target = f"{source}.{alias.name}"
            found.append(target if target in modules else _resolve(source, modules))
        return [t for t in found if t]
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str) and ast.unparse(node.func) in (
                "import_module", "importlib.import_module", "__import__"):
        target = _resolve(node.args[0].value, modules)
        return [target] if target else []
    return []


def build(root: Path, package: str) -> Graph:
    """The import graph of ``package`` (a folder under ``root``), every kind of import included."""
    modules = module_names(root, package)
    graph = Graph(modules, {m: {} for m in modules})
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            for target in _imported(node, module, path.name == "__init__.py", modules):
                if target != module:
                    graph.edges[module].setdefault(target, f"{path.relative_to(root)}:{node.lineno}")
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """One cycle through each strongly connected group of modules, as ``[a, b, ..., a]``, sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan's algorithm; the graph is small, recursion is fine
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.edges[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph.edges):
        if v not in index:
            connect(v)
    return sorted(_one_cycle(graph, group) for group in groups)


def _one_cycle(graph: Graph, group: list[str]) -> list[str]:
    """The shortest cycle from the group's first module back to itself, within the group."""
    start, members = group[0], set(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        step = []
        for v in frontier:
            for w in sorted(graph.edges[v]):
                if w == start:
                    return paths[v] + [start]
                if w in members and w not in paths:
                    paths[w] = paths[v] + [w]
                    step.append(w)
        frontier = step
    raise AssertionError(f"no cycle through {start}")  # a strongly connected group always has one


def describe(graph: Graph, cycle: list[str]) -> str:
    """``a -> b (efl/a.py:3) -> a (efl/b.py:9)``: the cycle, with where each import is written."""
    steps = [cycle[0]] + [f"{b} ({graph.edges[a][b]})" for a, b in zip(cycle, cycle[1:])]
    return " -> ".join(steps)
