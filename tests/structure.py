"""The import graph of our packages, read with :mod:`ast` (nothing is imported).

An edge ``a -> b`` is an import statement in module ``a`` that loads module ``b``, at module
level or inside a function; imports under ``if TYPE_CHECKING:`` are left out (they never
run). ``from pkg import name`` is an edge to the module ``pkg.name`` when that is a module,
else to ``pkg``; a submodule's parent packages are not counted (Python's package pattern).

The rules (see docs/architecture.md):

* no cycles between modules;
* a *feature* package imports another feature only through that package itself (its
  ``__init__``), never its modules, unless one feature is inside the other (``pages`` and
  ``pages.occasions``); and only names the package lists in its ``__all__`` (its public
  surface);
* the *foundation* packages (``web``, ``storage``) import no feature;
* the core (``yrkesresan_lti``) imports nothing of the adapter.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

Graph = dict[str, set[str]]


@dataclass(frozen=True)
class Layout:
    features: frozenset[str]
    """Feature packages, by dotted name."""
    foundation: frozenset[str]
    """Packages every feature may use in full, and which import no feature."""


def modules_of(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package at ``root`` (a directory with ``__init__.py``) by name."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([package, *parts])] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _imports_in(other)
        else:
            yield from _imports_in(child)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _imports(node)


def _base(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    keep = len(parts) - node.level + (1 if is_package else 0)
    return ".".join(parts[:keep] + ([node.module] if node.module else []))


def import_graph(modules: dict[str, Path]) -> Graph:
    """Edges between the given modules (imports of anything else are left out)."""
    graph: Graph = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _base(name, node, path.name == "__init__.py")
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _owner(module: str, packages: Iterable[str]) -> str | None:
    """The innermost of ``packages`` that contains ``module``."""
    owners = [p for p in packages if module == p or module.startswith(p + ".")]
    return max(owners, key=len) if owners else None


def _nested(one: str, other: str) -> bool:
    return one == other or one.startswith(other + ".") or other.startswith(one + ".")


def layer_violations(graph: Graph, layout: Layout) -> list[str]:
    """Imports of a sibling feature's internals, and features imported by the foundation."""
    found: list[str] = []
    for source, targets in sorted(graph.items()):
        feature = _owner(source, layout.features)
        foundation = _owner(source, layout.foundation)
        for target in sorted(targets):
            other = _owner(target, layout.features)
            if other is None:
                continue
            if foundation is not None:
                found.append(f"{source} -> {target}: {foundation} must not import a feature")
            elif feature is not None and not _nested(feature, other) and target != other:
                found.append(f"{source} -> {target}: import {other} (its __init__), not a module")
    return found


def _exports(path: Path) -> set[str] | None:
    """The names in a module's literal ``__all__`` (None when it has none)."""
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            return {str(name) for name in value}
    return None


def surface_violations(modules: dict[str, Path], layout: Layout) -> list[str]:
    """Names imported from another feature's package that its ``__all__`` does not list."""
    found: list[str] = []
    for name, path in sorted(modules.items()):
        feature = _owner(name, layout.features)
        if feature is None:
            continue
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in _imports(tree):
            if not isinstance(node, ast.ImportFrom) or node.module not in layout.features:
                continue
            if _nested(feature, node.module):
                continue
            public = _exports(modules[node.module]) or set()
            for alias in node.names:
                if alias.name not in public:
                    found.append(f"{name} imports {alias.name} from {node.module}: not in __all__")
    return found
