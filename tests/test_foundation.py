"""Foundation: the core stays framework-free, the app factory and settings behave."""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from yrkesresan_lti import catalog
from yrkesresan_lti.lti import pipeline
from yrkesresan_lti.settings import Settings


def test_importing_the_core_does_not_import_flask() -> None:
    code = (
        "import sys, pkgutil, importlib, yrkesresan_lti\n"
        "for m in pkgutil.walk_packages(yrkesresan_lti.__path__, 'yrkesresan_lti.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in {'flask', 'werkzeug'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


TESTING = "yrkesresan_lti.testing"

FRONT_DOOR = {
    "load_catalog",
    "Catalog",
    "StatementFactory",
    "Learner",
    "Pseudonymizer",
    "LrsClient",
    "Outbox",
    "OutboxWorker",
    "LaunchValidator",
    "LaunchContext",
    "LoginRequest",
    "PlatformRegistration",
    "PlatformStore",
    "LaunchStateStore",
    "NonceStore",
    "YrkesresanError",
    "__version__",
}


def test_the_front_door_exports_what_a_developer_starts_from() -> None:
    import yrkesresan_lti

    assert set(yrkesresan_lti.__all__) == FRONT_DOOR
    for name in FRONT_DOOR:
        assert getattr(yrkesresan_lti, name) is not None, name
    assert yrkesresan_lti.load_catalog is catalog.load_catalog
    assert yrkesresan_lti.LaunchValidator is pipeline.LaunchValidator
    with pytest.raises(AttributeError, match="no_such_thing"):
        yrkesresan_lti.no_such_thing  # type: ignore[attr-defined]  # noqa: B018


def test_importing_the_front_door_is_cheap_and_reads_no_settings() -> None:
    code = (
        "import sys, yrkesresan_lti\n"
        "heavy = ('flask', 'werkzeug', 'requests', 'sqlalchemy', 'pydantic_settings', "
        "'yrkesresan_lti.xapi', 'yrkesresan_lti.lti', 'yrkesresan_lti.settings')\n"
        "print(','.join(sorted(n for n in sys.modules if n.startswith(heavy))))\n"
        "from yrkesresan_lti import LaunchValidator, StatementFactory\n"
        "print('flask' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("YRKESRESAN_")}
    env["YRKESRESAN_PORT"] = "not a port"  # a settings read at import time would fail
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.splitlines() == ["", "False"]


def test_every_subpackage_has_a_deliberate_all() -> None:
    import yrkesresan_lti

    packages = [
        m.name for m in pkgutil.walk_packages(yrkesresan_lti.__path__, "yrkesresan_lti.") if m.ispkg
    ]
    assert len(packages) >= 8
    without = [name for name in packages if not hasattr(importlib.import_module(name), "__all__")]
    assert without == []


def test_settings_precedence_argument_over_env_over_dotenv_over_default(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    for name in ("YRKESRESAN_PORT", "YRKESRESAN_HOST"):
        monkeypatch.delenv(name, raising=False)
    assert Settings().port == 5000
    (tmp_path / ".env").write_text("YRKESRESAN_PORT=5100\nYRKESRESAN_HOST=0.0.0.0\n")  # type: ignore[operator]
    assert Settings().port == 5100
    monkeypatch.setenv("YRKESRESAN_PORT", "5200")
    assert Settings().port == 5200
    assert Settings().host == "0.0.0.0"
    assert Settings(port=5300).port == 5300


def test_settings_nested_lrs_target_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YRKESRESAN_LRS__ENDPOINT", "http://127.0.0.1:8100/xAPI")
    monkeypatch.setenv("YRKESRESAN_LRS__USERNAME", "ralph")
    monkeypatch.setenv("YRKESRESAN_LRS__PASSWORD", "hemligt")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    target = settings.all_lrs_targets[0]
    assert target.endpoint == "http://127.0.0.1:8100/xAPI/"
    assert "hemligt" not in repr(settings)


def test_settings_refuse_demo_in_production() -> None:
    with pytest.raises(ValueError, match="demo mode"):
        Settings(demo=True, production=True, base_url="https://lti.example.se", _env_file=None)  # type: ignore[call-arg]


def test_settings_refuse_unknown_keys() -> None:
    with pytest.raises(ValueError, match="Extra inputs"):
        Settings(no_such_setting=1, _env_file=None)  # type: ignore[call-arg]


def test_the_runtime_core_does_not_import_the_test_support() -> None:
    core = Path(__file__).resolve().parents[1] / "src" / "yrkesresan_lti"
    importing = sorted(
        str(path.relative_to(core))
        for path in core.rglob("*.py")
        if "testing" not in path.relative_to(core).parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.ImportFrom) and (node.module or "").startswith(TESTING))
        or (isinstance(node, ast.Import) and any(a.name.startswith(TESTING) for a in node.names))
    )
    assert importing == []
