"""The app factory and the health endpoints."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask, Response, after_this_request

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


def test_the_sync_check_remembers_plain_functions_but_not_per_request_callbacks(
    app: Flask,
) -> None:
    """Flask's ``ensure_sync`` is asked once per function; a coroutine function is still
    handed to Flask's async wrapper, and a request's own callback is not kept alive."""
    calls: list[str] = []

    def hook() -> None:
        calls.append("hook")

    assert app.ensure_sync(hook) is hook
    assert app.ensure_sync(hook) is hook

    async def coroutine() -> None:
        return None

    with pytest.raises(RuntimeError, match="async"):  # Flask's wrapper, not the function
        app.ensure_sync(coroutine)

    kept: list[weakref.ref[Callable[[Response], Response]]] = []

    @app.get("/test-after-this-request")
    def view() -> str:
        def callback(response: Response) -> Response:
            calls.append("callback")
            return response

        kept.append(weakref.ref(callback))
        after_this_request(callback)
        return "ok"

    assert app.test_client().get("/test-after-this-request").status_code == 200
    gc.collect()
    assert calls == ["callback"]
    assert kept[0]() is None
