"""The app factory and the health endpoints."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from yrkesresan_adapter import create_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.exceptions import ConfigurationError
from yrkesresan_lti.settings import Settings


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return create_app(Settings(instance_path=tmp_path / "instance", _env_file=None))  # type: ignore[call-arg]


def test_healthz_answers_ok(app: Flask) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_state_cannot_be_registered_twice(app: Flask) -> None:
    with pytest.raises(ConfigurationError, match="already registered"):
        AdapterState.init_app(app, AdapterState.of(app).settings)


def test_a_service_nobody_set_up_is_a_configuration_error(tmp_path: Path) -> None:
    app = Flask(__name__)
    state = AdapterState.init_app(app, Settings(instance_path=tmp_path, _env_file=None))  # type: ignore[call-arg]
    with pytest.raises(ConfigurationError, match="'db' is not set up"):
        state.services.db  # noqa: B018 - the read is the test
    assert state.services.advantage is None  # optional services read None


def test_a_service_cannot_be_set_twice(app: Flask) -> None:
    services = AdapterState.of(app).services
    with pytest.raises(ConfigurationError, match="'db' is already registered"):
        services.db = services.db


def test_two_apps_keep_separate_state(tmp_path: Path) -> None:
    one = create_app(Settings(instance_path=tmp_path / "a", port=5001, _env_file=None))  # type: ignore[call-arg]
    two = create_app(Settings(instance_path=tmp_path / "b", port=5002, _env_file=None))  # type: ignore[call-arg]
    assert AdapterState.of(one).settings.port == 5001
    assert AdapterState.of(two).settings.port == 5002
