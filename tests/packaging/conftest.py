"""The built wheel (once per session) and a fresh virtualenv with it alone installed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.packaging.docblocks import REPO
from tests.ralph_fixtures import ralph  # noqa: F401

PIP = ["-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
FAST = ["--no-compile"]
"""Installing is most of this suite's time: no byte-compiling of every dependency."""


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pip wheel .`` of this checkout (an isolated PEP 517 build, as a release does)."""
    out = tmp_path_factory.mktemp("dist")
    done = run([sys.executable, *PIP, "wheel", "--no-deps", "-w", str(out), str(REPO)])
    assert done.returncode == 0, done.stderr
    (wheel,) = out.glob("yrkesresan_lti-*.whl")
    return wheel


@dataclass
class WheelEnv:
    """A virtualenv outside the checkout with the wheel installed (core dependencies only)."""

    root: Path
    wheel: Path
    workdir: Path
    adapter_import_error: str = ""
    """What ``import yrkesresan_adapter`` said before the extra was installed."""
    extras: set[str] = field(default_factory=set)

    @property
    def python(self) -> str:
        return str(self.root / "bin" / "python")

    def run_code(
        self, code: str, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("YRKESRESAN_", "PYTHON"))}
        return run(
            [self.python, "-c", code], cwd=self.workdir, env={**clean, **(env or {})}, timeout=120
        )

    def install(self, requirement: str) -> None:
        """``pip install`` into this venv with the suite's pip (the venv has none of its own)."""
        done = run([sys.executable, *PIP, "--python", self.python, "install", *FAST, requirement])
        assert done.returncode == 0, done.stderr

    def install_extra(self, extra: str) -> None:
        if extra not in self.extras:
            self.install(f"{self.wheel}[{extra}]")
            self.extras.add(extra)


@pytest.fixture(scope="session")
def wheel_env(built_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> WheelEnv:
    root = tmp_path_factory.mktemp("wheel-venv")
    made = run([sys.executable, "-m", "venv", "--without-pip", str(root)])
    assert made.returncode == 0, made.stderr
    env = WheelEnv(root, built_wheel, tmp_path_factory.mktemp("wheel-work"))
    env.install(str(built_wheel))
    probe = env.run_code(
        "import importlib.util as u\n"
        "assert u.find_spec('flask') is None, 'flask came with the core'\n"
        "import yrkesresan_adapter\n"
    )
    env.adapter_import_error = probe.stderr
    return env
