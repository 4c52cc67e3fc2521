"""The house's layers look only down: nothing imports the shell, and no module imports itself back.

Imports are read from the source, those inside functions included (mdl imports lazily for its
start-up), and those under `if TYPE_CHECKING:` left out, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mdlcli"


class _Imports(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.orelse:
                self.visit(statement)
            return
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 1:  # `from .x import y`, or `from . import x, y`
            self.found |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(PACKAGE.glob("*.py")):
        visitor = _Imports()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        graph[path.stem] = visitor.found - {"__init__"}
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None (a depth-first search for a back edge)."""
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> list[str] | None:
        state[module] = "open"
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == "open":
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported, [*path, imported])):
                return found
        state[module] = "done"
        return None

    for module in graph:
        if module not in state and (found := visit(module, [module])):
            return found
    return None


def test_the_search_finds_a_cycle_when_there_is_one() -> None:
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_module_of_mdl_imports_itself_back() -> None:
    graph = import_graph()
    assert {"cli", "commands", "run", "parse", "query", "render"} <= set(graph)
    assert cycle_in(graph) is None


def test_nothing_imports_the_shell() -> None:
    assert [module for module, imported in import_graph().items() if "cli" in imported] == []
