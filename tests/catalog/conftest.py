"""Fixtures for catalog tests: a fresh valid catalog, file writers, an in-process CLI."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.catalog.factories import Data, make_catalog, to_yaml
from yrkesresan_lti.cli import build_cli


@pytest.fixture
def write_catalog(tmp_path: Path) -> Callable[..., Path]:
    """Write catalog data (or raw text) as a YAML or JSON file; return its path."""

    def write(data: Data | str, name: str = "catalog.yaml") -> Path:
        path = tmp_path / name
        if isinstance(data, str):
            text = data
        elif name.endswith(".json"):
            text = json.dumps(data, indent=2, ensure_ascii=False)
        else:
            text = to_yaml(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def catalog_data() -> Data:
    """A fresh valid catalog to modify."""
    return copy.deepcopy(make_catalog())


@pytest.fixture
def run_cli() -> Callable[..., Any]:
    """Run ``yrkesresan catalog ...`` in-process (the console script with every installed
    package, so in the test's locale, Swedish); returns click's Result."""
    root = build_cli()
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(root, ["catalog", *[str(a) for a in args]])

    return run
