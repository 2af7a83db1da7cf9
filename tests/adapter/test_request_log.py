"""Every request has an id (the proxy's ``X-Request-ID`` when well-formed) and one line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.log_fixtures import Lines
from tests.lti_fixtures import make_app

PROXY_ID = "3f2c9a1e-7b4d-4c2a-9f00-1234567890ab"


def test_the_proxys_request_id_is_echoed_and_logged(
    tmp_path: Path, configure_logs: Callable[..., Lines]
) -> None:
    lines = configure_logs(log_format="json")
    client = make_app(tmp_path).test_client()
    response = client.get("/healthz?lt=secret-launch-token", headers={"X-Request-ID": PROXY_ID})
    assert response.headers["X-Request-ID"] == PROXY_ID
    page = client.get("/pages/?lt=secret-launch-token", headers={"X-Request-ID": PROXY_ID})
    (line,) = [line for line in lines.events("http_request") if line["path"] == "/pages/"]
    assert line["request_id"] == PROXY_ID
    assert line["method"] == "GET"
    assert line["status"] == page.status_code
    assert isinstance(line["duration_ms"], int | float)
    assert "secret-launch-token" not in lines.buffer.getvalue()


def test_a_malformed_request_id_is_replaced(tmp_path: Path) -> None:
    client = make_app(tmp_path).test_client()
    response = client.get("/healthz", headers={"X-Request-ID": "id with spaces event=forged"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    other = client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", other.headers["X-Request-ID"])
    assert other.headers["X-Request-ID"] != response.headers["X-Request-ID"]


def test_health_checks_are_logged_only_at_debug(
    tmp_path: Path, configure_logs: Callable[..., Lines]
) -> None:
    lines = configure_logs(log_format="json")
    make_app(tmp_path).test_client().get("/healthz")
    assert lines.events("http_request") == []
