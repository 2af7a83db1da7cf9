"""Fixtures for the scripts in examples/: each is loaded as a module and its main() run."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tests.ralph_fixtures import ralph  # noqa: F401

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

ENV_PREFIX = "YRKESRESAN_"


def load_example(name: str) -> ModuleType:
    """Import ``examples/<name>.py`` as the module ``example_<name>``."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def example() -> Callable[[str], ModuleType]:
    return load_example


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The examples read Settings(): no YRKESRESAN_* of the machine, no .env of the checkout."""
    import os

    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
