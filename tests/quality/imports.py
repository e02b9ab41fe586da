"""Every import inside the lambda_magic package, read from the source (imports inside functions
included, ``if TYPE_CHECKING:`` blocks excluded), and the layers they must respect.

The layers are docs/architecture.md's, bottom to top: a module may import modules of its own
layer and of the layers below, never above. Islands have a stricter rule: the runtime that runs
inside every environment imports only itself (and the standard library); sample events import
only themselves and the core.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "lambda_magic"

#: Bottom to top: (layer, the package prefixes that belong to it).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("core", ("lambda_magic.core", "lambda_magic.runtime", "lambda_magic.events")),
    ("views", ("lambda_magic.views",)),
    ("platform", ("lambda_magic.platform", "lambda_magic.runtimes")),
    ("engine", ("lambda_magic.engine",)),
    ("api", ("lambda_magic.api",)),
    ("widgets", ("lambda_magic.widgets",)),
    ("front doors", ("lambda_magic.magics", "lambda_magic.server")),
    ("package", ("lambda_magic",)),  # lambda_magic/__init__.py and __main__.py: the facade
]
#: Packages that may import only these (beyond the standard library).
ISLANDS: dict[str, tuple[str, ...]] = {
    "lambda_magic.runtime": ("lambda_magic.runtime",),
    "lambda_magic.events": ("lambda_magic.events", "lambda_magic.core"),
}


@dataclass(frozen=True)
class Import:
    """One import of a lambda_magic module by another."""

    source: str
    target: str
    line: int


def module_name(path: Path) -> str:
    """``lambda_magic/platform/hub.py`` -> ``lambda_magic.platform.hub``."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the package by name."""
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    """The lambda_magic modules ``name`` imports, wherever in its source."""
    found: list[Import] = []
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def add(target: str, line: int) -> None:
        while target not in known and "." in target:  # an attribute of a module
            target = target.rpartition(".")[0]
        if target in known and target != name:
            found.append(Import(name, target, line))

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if _is_type_checking(node.test):
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_Import(self, node: ast.Import) -> None:
            for alias in node.names:
                if alias.name.startswith("lambda_magic"):
                    add(alias.name, node.lineno)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.startswith("lambda_magic"):
                for alias in node.names:
                    add(f"{module}.{alias.name}", node.lineno)

    Visitor().visit(ast.parse(path.read_text()))
    return found


def all_imports() -> list[Import]:
    """Every import between lambda_magic modules."""
    table = modules()
    return [i for name, path in table.items() for i in imports_of(name, path, set(table))]


def layer_of(module: str) -> int:
    """The index in :data:`LAYERS` of the layer ``module`` belongs to (its longest prefix)."""
    best, depth = len(LAYERS) - 1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and prefix.count(".") > depth:
                best, depth = index, prefix.count(".")
    return best


def island_of(module: str) -> str | None:
    """The island ``module`` lives on, if any."""
    return next((i for i in ISLANDS if module == i or module.startswith(i + ".")), None)


def violations(imports: list[Import]) -> list[str]:
    """Imports that go up a layer, or leave an island."""
    bad = []
    for imp in imports:
        island = island_of(imp.source)
        if island is not None:
            allowed = ISLANDS[island]
            if not any(imp.target == a or imp.target.startswith(a + ".") for a in allowed):
                bad.append(f"{imp.source}:{imp.line} imports {imp.target} (off its island)")
        elif layer_of(imp.target) > layer_of(imp.source):
            up, down = LAYERS[layer_of(imp.target)][0], LAYERS[layer_of(imp.source)][0]
            bad.append(f"{imp.source}:{imp.line} ({down}) imports {imp.target} ({up})")
    return bad


def cycles(imports: list[Import]) -> list[list[str]]:
    """Groups of modules that import each other, directly or not (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        graph.setdefault(imp.source, set()).add(imp.target)
        graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
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
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found
