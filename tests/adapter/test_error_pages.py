"""Refused requests get our page (Swedish first, English by locale) and an error code,
never Werkzeug's English default; a bad CSRF token says so."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask, abort
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from tests.lti_fixtures import LaunchClientFactory, make_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.sqlite_writers import QueuedConnection

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


def _conflict_routes(app: Flask) -> None:
    database_file = str(AdapterState.of(app).services.db.engine.url.database)

    @app.route("/test/deadlock", methods=["POST"])
    def deadlock() -> str:
        # What SQLAlchemy raises when PostgreSQL aborts the request's transaction.
        raise OperationalError(
            "UPDATE stats_counts SET …", {}, psycopg.errors.DeadlockDetected("deadlock")
        )

    @app.route("/test/locked", methods=["POST"])
    def locked() -> str:
        # A real SQLite lock: another connection holds the write lock, this one gives up.
        holder = sqlite3.connect(database_file, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with AdapterState.of(app).services.db.engine.begin() as db:
                db.exec_driver_sql("PRAGMA busy_timeout = 1")
                db.exec_driver_sql("CREATE TABLE test_conflict (x INTEGER)")
        finally:
            holder.rollback()
            holder.close()
        return "unreachable"

    @app.route("/test/locked-in-line", methods=["POST"])
    def locked_in_line() -> str:
        # Another worker's write transaction stays open (a stuck process): this request's
        # write waits in the writers' line no longer than its timeout, then meets SQLite's
        # lock and gives up, instead of waiting for ever.
        ready, release = threading.Event(), threading.Event()

        def hold() -> None:
            holder = sqlite3.connect(database_file, factory=QueuedConnection)
            holder.execute("INSERT INTO test_conflict VALUES (1)")  # in line, never committed
            ready.set()
            release.wait(30)
            holder.close()

        with AdapterState.of(app).services.db.engine.begin() as db:
            db.exec_driver_sql("CREATE TABLE IF NOT EXISTS test_conflict (x INTEGER)")
        holding = threading.Thread(target=hold)
        holding.start()
        try:
            assert ready.wait(30)
            with AdapterState.of(app).services.db.engine.begin() as db:
                db.connection.dbapi_connection.line_timeout = 0.05  # a stuck holder, not 10 s
                db.exec_driver_sql("PRAGMA busy_timeout = 1")
                db.exec_driver_sql("INSERT INTO test_conflict VALUES (2)")
        finally:
            release.set()
            holding.join(30)
        return "unreachable"

    @app.route("/test/broken-sql", methods=["POST"])
    def broken() -> str:
        with AdapterState.of(app).services.db.engine.begin() as db:
            db.exec_driver_sql("SELECT * FROM no_such_table")
        return "unreachable"


@pytest.mark.parametrize("path", ["/test/deadlock", "/test/locked", "/test/locked-in-line"])
@pytest.mark.parametrize(
    ("language", "text"),
    [("sv", "upptagen med en annan ändring"), ("en", "busy with another change")],
)
def test_a_transaction_the_database_rolled_back_for_another_is_a_503_to_retry(
    app: Flask, path: str, language: str, text: str
) -> None:
    _conflict_routes(app)
    response = app.test_client().post(path, headers={"Accept-Language": language})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.headers["X-Yrkesresan-Error"] == "DatabaseBusy"
    assert text in response.get_data(as_text=True)


def test_another_database_error_stays_an_internal_error(app: Flask) -> None:
    _conflict_routes(app)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().post("/test/broken-sql")
    assert response.status_code == 500
    assert "X-Yrkesresan-Error" not in response.headers
