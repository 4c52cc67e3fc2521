"""The house's layers look only down: nothing imports the shell, and no module imports itself back.

Imports are read from the source, those inside functions included (mdl imports lazily for its
start-up), and those under `if TYPE_CHECKING:` left out, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mdlcli"


class _Imports(ast.NodeVisitor):
    """The modules of mdl that one module imports, by their dotted names under mdlcli."""

    def __init__(self, package: str) -> None:
        self.package = package  # where `.` points: "" for mdlcli itself, "commands" inside that package
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.orelse:
                self.visit(statement)
            return
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level == 1:
            base = self.package
        elif node.level == 0 and module.split(".")[0] == "mdlcli":
            base, module = "", module.removeprefix("mdlcli").removeprefix(".")
        else:
            return
        prefix = ".".join(part for part in (base, module) if part)
        self.found |= {prefix} if module else {".".join(p for p in (prefix, a.name) if p) for a in node.names}


def import_graph() -> dict[str, set[str]]:
    """Each module (a package by its name) and the modules it imports, names cut to modules that exist."""
    paths = sorted(PACKAGE.rglob("*.py"))
    names = {p: ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__") for p in paths}
    known = set(names.values())
    graph = {}
    for path, name in names.items():
        if name == "__init__":
            continue
        visitor = _Imports(name if path.name == "__init__.py" else name.rpartition(".")[0])
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        graph[name] = {_module(found, known) for found in visitor.found} - {"__init__", name}
    return graph


def _module(name: str, known: set[str]) -> str:
    """`render.Block` is the module `render`; `commands.common` is that module itself."""
    while name not in known and "." in name:
        name = name.rpartition(".")[0]
    return name


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
    assert {"cli", "commands", "commands.views", "run", "parse", "query", "render"} <= set(graph)
    assert "commands.common" in graph["commands.views"] and "query" in graph["commands.views"]
    assert cycle_in(graph) is None


def test_nothing_imports_the_shell() -> None:
    assert [module for module, imported in import_graph().items() if "cli" in imported] == []


LIBRARIES = {"typer", "click", "rich", "yaml", "icalendar", "dateutil"}


def private_imports(source: str) -> list[str]:
    """What a source imports from the private parts of the libraries mdl is built on (`typer._click`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        found += [n for n in names if n.split(".")[0] in LIBRARIES and any(p.startswith("_") for p in n.split(".")[1:])]
    return found


def test_the_search_finds_a_private_import() -> None:
    assert private_imports("from typer._click import exceptions") == ["typer._click", "typer._click.exceptions"]
    assert private_imports("import typer._click") == ["typer._click"]
    assert private_imports("from typer import _completion_shared") == ["typer._completion_shared"]
    assert private_imports("from typer.core import TyperGroup\nimport typer") == []
    assert private_imports("from _collections import _tuplegetter") == []  # the standard library's own


def test_mdl_uses_only_the_frameworks_public_api() -> None:
    """Typer vendors Click privately (typer._click): what mdl needs of it, it takes through Typer's
    public names, so a Typer release that moves its insides does not break mdl."""
    used = {str(p.relative_to(PACKAGE)): private_imports(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")}
    assert {name: found for name, found in used.items() if found} == {}
