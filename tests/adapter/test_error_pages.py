"""Refused requests get our page (Swedish first, English by locale) and an error code,
never Werkzeug's English default; a bad CSRF token says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient

from tests.lti_fixtures import LaunchClientFactory, make_app
from yrkesresan_adapter.state import AdapterState

WERKZEUG = ("The requested URL", "The method is not allowed", "<html lang=en>\n<title>")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    made = make_app(tmp_path)

    @made.route("/test/abort/<int:status>", methods=["GET", "POST"])
    def aborting(status: int) -> str:
        abort(status)

    yield made
    AdapterState.of(made).services.db.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CASES = [
    ("GET", "/finns-inte", {}, 404, "NotFound", "Sidan finns inte.", "The page does not exist."),
    ("GET", "/lti/launch", {}, 405, "MethodNotAllowed", "Sidan kan inte", "cannot be used"),
    ("GET", "/test/abort/400", {}, 400, "BadRequest", "kunde inte läsas", "could not be read"),
    ("GET", "/test/abort/403", {}, 403, "AccessDenied", "inte tillgång", "do not have access"),
    ("GET", "/test/abort/415", {}, 415, "UnsupportedMediaType", "formatet", "this format"),
    ("GET", "/pages/?q=" + "x" * 9000, {}, 414, "UriTooLong", "för lång", "too long"),
    (
        "POST",
        "/pages/task/done",
        {"data": {"task": "t" * 300_000}},
        413,
        "BodyTooLarge",
        "för stort",
        "too large",
    ),
    (
        "GET",
        "/pages/course?course=a%00b",
        {},
        400,
        "InvalidField",
        "Fältet course innehåller tecken",
        "The field course holds characters",
    ),
    (
        "GET",
        "/pages/course?course=" + "c" * 1100,
        {},
        400,
        "InvalidField",
        "Fältet course är för långt (högst 1024 tecken)",
        "The field course is too long (at most 1024 characters)",
    ),
]


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "code", "swedish", "english"),
    [pytest.param(*case, id=f"{case[3]}-{case[4]}") for case in CASES],
)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_refused_request_gets_our_page_in_the_browsers_language(
    client: FlaskClient,
    method: str,
    url: str,
    kwargs: dict[str, object],
    status: int,
    code: str,
    swedish: str,
    english: str,
    language: str,
) -> None:
    response = client.open(url, method=method, headers={"Accept-Language": language}, **kwargs)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.headers["X-Yrkesresan-Error"] == code
    assert response.headers["Content-Language"] == language
    assert response.headers["Cache-Control"] == "no-store"
    assert (swedish if language == "sv" else english) in html
    assert f'<html lang="{language}">' in html
    assert not any(text in html for text in WERKZEUG)
    assert f"<title>{status} – " in html


def test_a_wrong_method_names_the_allowed_ones(client: FlaskClient) -> None:
    response = client.get("/lti/launch")
    assert "POST" in response.headers["Allow"]


def test_a_wrong_csrf_token_says_so_not_that_the_role_is_wrong(
    launched_client: LaunchClientFactory,
) -> None:
    learner = launched_client("learner")
    response = learner.post(
        "/pages/task/done",
        {"csrf_token": "0" * 64, "task": "https://yrkesresan.se/id/x"},
        headers={"Accept-Language": "sv"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert response.headers["X-Yrkesresan-Error"] == "CsrfTokenInvalid"
    assert "CSRF" in html
    assert "roll" not in html


def test_a_missing_csrf_token_says_so_in_english(launched_client: LaunchClientFactory) -> None:
    learner = launched_client("learner")
    learner.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = learner.post("/pages/task/done", {"task": "https://yrkesresan.se/id/x"})
    assert response.status_code == 403
    assert response.headers["X-Yrkesresan-Error"] == "CsrfTokenInvalid"
    assert "security code (CSRF token)" in response.get_data(as_text=True)
