"""The house rules of the import graph (``tests/structure.py``): no cycles, features talk to
each other through their packages' front doors, storage and web import no feature, the core
imports nothing of the adapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.structure import (
    Graph,
    Layout,
    cycles,
    import_graph,
    layer_violations,
    modules_of,
    surface_violations,
)

ROOT = Path(__file__).resolve().parents[1]
ADAPTER = "yrkesresan_adapter"
CORE = "yrkesresan_lti"
LAYOUT = Layout(
    features=frozenset(
        f"{ADAPTER}.{name}"
        for name in (
            "lti",
            "advantage",
            "delivery",
            "demo",
            "cli",
            "pages",
            "pages.progress",
            "pages.occasions",
            "pages.attendance",
            "privacy",
        )
    ),
    foundation=frozenset({f"{ADAPTER}.web", f"{ADAPTER}.storage"}),
)


MODULES = {
    **modules_of(ROOT / "adapter" / ADAPTER, ADAPTER),
    **modules_of(ROOT / "src" / CORE, CORE),
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph(MODULES)


def test_every_listed_package_exists(graph: Graph) -> None:
    assert LAYOUT.features | LAYOUT.foundation <= set(graph)


def test_there_are_no_import_cycles(graph: Graph) -> None:
    assert cycles(graph) == []


def test_features_use_each_other_only_through_their_packages(graph: Graph) -> None:
    assert layer_violations(graph, LAYOUT) == []


def test_features_use_only_the_names_a_package_exports() -> None:
    assert surface_violations(MODULES, LAYOUT) == []


def test_the_core_imports_nothing_of_the_adapter(graph: Graph) -> None:
    leaks = sorted(
        f"{source} -> {target}"
        for source, targets in graph.items()
        if source.startswith(CORE)
        for target in targets
        if target.startswith(ADAPTER)
    )
    assert leaks == []


def test_migrations_import_no_live_code(graph: Graph) -> None:
    """An Alembic revision runs years after it was written: what it creates and backfills is
    frozen in it, never imported from code that later revisions may change."""
    revisions = [m for m in graph if m.startswith(f"{ADAPTER}.migrations.versions.")]
    assert revisions
    live = sorted(
        f"{source} -> {target}"
        for source in revisions
        for target in graph[source]
        if target.startswith((ADAPTER, CORE))
    )
    assert live == []


# --- the checks can fail ----------------------------------------------------------------------


def _package(root: Path, files: dict[str, str]) -> Graph:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return import_graph(modules_of(root / "pkg", "pkg"))


def test_a_cycle_through_a_function_local_import_is_found(tmp_path: Path) -> None:
    graph = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import run\n",
            "b.py": "def run() -> None:\n    from pkg import a\n",
            "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n",
        },
    )
    assert cycles(graph) == [["pkg.a", "pkg.b"]]  # c's TYPE_CHECKING import does not count


def test_a_relative_import_cycle_is_found(tmp_path: Path) -> None:
    graph = _package(
        tmp_path,
        {"__init__.py": "", "x/__init__.py": "from . import y\n", "x/y.py": "from .. import x\n"},
    )
    assert cycles(graph) == [["pkg.x", "pkg.x.y"]]


def test_reaching_into_a_sibling_feature_and_storage_importing_a_feature_are_found(
    tmp_path: Path,
) -> None:
    graph = _package(
        tmp_path,
        {
            "__init__.py": "",
            "store/__init__.py": "",
            "store/db.py": "import pkg.one\n",
            "one/__init__.py": "from pkg.one.impl import thing\n",
            "one/impl.py": "import pkg.store.db\nthing = 1\n",
            "one/sub/__init__.py": "from pkg.one import impl\n",
            "two/__init__.py": "",
            "two/view.py": "from pkg.one import thing\nfrom pkg.one.impl import thing as again\n",
            "two/other.py": "from pkg.one import hidden\n",
        },
    )
    layout = Layout(
        features=frozenset({"pkg.one", "pkg.one.sub", "pkg.two"}),
        foundation=frozenset({"pkg.store"}),
    )
    assert layer_violations(graph, layout) == [
        "pkg.store.db -> pkg.one: pkg.store must not import a feature",
        "pkg.two.view -> pkg.one.impl: import pkg.one (its __init__), not a module",
    ]
    assert surface_violations(modules_of(tmp_path / "pkg", "pkg"), layout) == [
        "pkg.two.other imports hidden from pkg.one: not in __all__",
        "pkg.two.view imports thing from pkg.one: not in __all__",
    ]
    (tmp_path / "pkg" / "one" / "__init__.py").write_text(
        'from pkg.one.impl import thing\n\n__all__ = ["thing"]\n', "utf-8"
    )
    assert surface_violations(modules_of(tmp_path / "pkg", "pkg"), layout) == [
        "pkg.two.other imports hidden from pkg.one: not in __all__",
    ]
