"""The lines an operator reads: JSON in production, key=value in development."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from tests.db_fixtures import postgres_schema_url
from tests.log_fixtures import Lines
from yrkesresan_lti.logs import request_scope
from yrkesresan_lti.logs.context import request_id_from
from yrkesresan_lti.settings import Settings

log = logging.getLogger("yrkesresan.test")


def test_json_line_has_time_level_logger_request_and_fields_once(
    configure_logs: Callable[..., Lines],
) -> None:
    lines = configure_logs(log_format="json")
    with request_scope("req-1234abcd"):
        log.info("lti_launch", extra={"event": "lti_launch", "launch_id": "L1", "role": "learner"})
    (line,) = lines.json()
    assert line["level"] == "INFO"
    assert line["logger"] == "yrkesresan.test"
    assert line["request_id"] == "req-1234abcd"
    assert line["event"] == "lti_launch"
    assert line["launch_id"] == "L1"
    assert line["role"] == "learner"
    moment = datetime.fromisoformat(line["timestamp"])
    assert moment.utcoffset() == timedelta(0)
    assert line["timestamp"].endswith("Z")
    assert lines.text()[0].count('"L1"') == 1


@pytest.mark.parametrize(
    ("created", "written"),
    [
        (1_765_000_000.0, "2025-12-06T05:46:40.000Z"),
        (1_765_000_000.0004995, "2025-12-06T05:46:40.000Z"),
        (1_765_000_000.1239, "2025-12-06T05:46:40.123Z"),
        (1_765_000_000.9994, "2025-12-06T05:46:40.999Z"),
        # rounded to the microsecond first, as datetime.fromtimestamp rounds: the next second
        (1_765_000_000.9999996, "2025-12-06T05:46:41.000Z"),
        (1_765_000_001.5, "2025-12-06T05:46:41.500Z"),
        (1_765_000_000.5, "2025-12-06T05:46:40.500Z"),  # an earlier second after a later one
    ],
)
def test_each_line_carries_its_own_time_to_the_millisecond(
    configure_logs: Callable[..., Lines], created: float, written: str
) -> None:
    """The date and seconds are formatted once per second and reused: never for a line
    from another second."""
    lines = configure_logs(log_format="json")
    for moment in (created - 1, created, created + 86_400, created):
        record = log.makeRecord(log.name, logging.INFO, __file__, 1, "tick", None, None)
        record.created = moment
        log.handle(record)
    stamps = [line["timestamp"] for line in lines.json()]
    expected = datetime.fromtimestamp(created, tz=UTC)
    assert stamps[1] == stamps[3] == written
    assert written.startswith(expected.strftime("%Y-%m-%dT%H:%M:%S."))
    assert stamps[0] != written
    assert stamps[2] != written
    assert stamps[2].startswith((expected + timedelta(days=1)).strftime("%Y-%m-%dT"))


def test_text_line_is_key_value_and_cannot_be_forged(configure_logs: Callable[..., Lines]) -> None:
    lines = configure_logs(log_format="text")
    log.warning(
        "lti_rejected",
        extra={"event": "lti_rejected", "status": 400, "issuer": "https://x\r\nevent=lti_launch"},
    )
    (line,) = lines.text()
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARNING yrkesresan\.test ", line)
    assert "event=lti_rejected status=400" in line
    assert 'issuer="https://x  event=lti_launch"' in line


def test_plain_messages_and_third_party_lines_use_the_same_format(
    configure_logs: Callable[..., Lines],
) -> None:
    lines = configure_logs(log_format="json")
    logging.getLogger("gunicorn.error").info("Booting worker with pid: %s", 42)
    (line,) = lines.json()
    assert line["logger"] == "gunicorn.error"
    assert line["message"] == "Booting worker with pid: 42"
    assert "request_id" not in line


def test_level_comes_from_the_settings(configure_logs: Callable[..., Lines]) -> None:
    lines = configure_logs(log_format="json", log_level="WARNING")
    log.info("quiet", extra={"event": "quiet"})
    log.warning("loud", extra={"event": "loud"})
    assert [line["event"] for line in lines.json()] == ["loud"]


def test_format_defaults_to_json_in_production_and_text_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from yrkesresan_lti.logs import log_format_of

    assert log_format_of(Settings(_env_file=None)) == "text"  # type: ignore[call-arg]
    production = Settings(_env_file=None, production=True, base_url="https://tool.example")  # type: ignore[call-arg]
    assert log_format_of(production) == "json"
    monkeypatch.setenv("YRKESRESAN_LOG_FORMAT", "text")
    production = Settings(_env_file=None, production=True, base_url="https://tool.example")  # type: ignore[call-arg]
    assert log_format_of(production) == "text"
    assert Settings(_env_file=None, log_format="json").log_format == "json"  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        ("3f2c9a1e-7b4d-4c2a-9f00-1234567890ab", True),
        ("abcDEF0123456789", True),
        ("short", False),
        ("has space 0123456789", False),
        ("x" * 200, False),
        ("evil\nevent=lti_launch000", False),
        (None, False),
    ],
)
def test_a_request_id_from_the_proxy_is_kept_only_when_well_formed(
    header: str | None, kept: bool
) -> None:
    chosen = request_id_from(header)
    assert (chosen == header) is kept
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}", chosen)


@pytest.mark.parametrize("hide_parameters", [True, False])
def test_database_errors_in_tracebacks_show_no_values(
    configure_logs: Callable[..., Lines], hide_parameters: bool
) -> None:
    lines = configure_logs(log_format="json")
    engine = create_engine("sqlite://", hide_parameters=hide_parameters)
    values = {"sub": "secret-" + "sub-1"}  # (a traceback quotes source lines, not values)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT * FROM missing WHERE sub = :sub"), values)
    except SQLAlchemyError:
        log.exception("page_failed", extra={"event": "page_failed"})
    (line,) = lines.json()
    assert "secret-sub-1" not in lines.buffer.getvalue()
    assert "SELECT * FROM missing WHERE sub = ?" in line["exc_info"]
    assert "OperationalError" in line["exc_info"]


def test_validation_errors_in_tracebacks_show_no_input(
    configure_logs: Callable[..., Lines],
) -> None:
    class Person(BaseModel):
        age: int

    lines = configure_logs(log_format="text")
    given = {"age": " ".join(("Lina", "Larsson"))}
    try:
        Person.model_validate(given)
    except ValueError:
        log.exception("bad_input", extra={"event": "bad_input"})
    written = lines.buffer.getvalue()
    assert "Lina Larsson" not in written
    assert "ValidationError" in written
    assert "age (int_parsing)" in written


def test_other_exceptions_keep_their_message(configure_logs: Callable[..., Lines]) -> None:
    lines = configure_logs(log_format="json")
    try:
        raise RuntimeError("LRS rss answered 503")
    except RuntimeError:
        log.exception("failed", extra={"event": "failed"})
    (line,) = lines.json()
    assert "RuntimeError: LRS rss answered 503" in line["exc_info"]
    assert "Traceback (most recent call last)" in line["exc_info"]


@pytest.mark.postgres
def test_postgres_key_details_stay_out_of_tracebacks(configure_logs: Callable[..., Lines]) -> None:
    lines = configure_logs(log_format="json")
    with postgres_schema_url() as url:
        engine = create_engine(url, hide_parameters=True)
        values = {"sub": "secret-" + "sub-2"}
        try:
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE people (sub text PRIMARY KEY)"))
                conn.execute(text("INSERT INTO people VALUES (:sub)"), values)
                conn.execute(text("INSERT INTO people VALUES (:sub)"), values)
        except SQLAlchemyError as err:
            log.exception("page_failed", extra={"event": "page_failed"})
            detail = str(err.orig)
        finally:
            engine.dispose()
    assert "secret-sub-2" in detail  # PostgreSQL's DETAIL quotes the key
    (line,) = lines.json()
    assert "secret-sub-2" not in lines.buffer.getvalue()
    assert "UniqueViolation" in line["exc_info"]
    assert "INSERT INTO people VALUES (%(sub)s)" in line["exc_info"]


def test_the_engines_we_create_hide_sql_parameters(tmp_path: Path) -> None:
    from yrkesresan_adapter.storage.database import Database
    from yrkesresan_lti.outbox.cli import _open

    database = Database(f"sqlite:///{tmp_path / 'a.db'}")
    engine, _ = _open(Settings(_env_file=None, instance_path=tmp_path), create=True)  # type: ignore[call-arg]
    try:
        assert database.engine.hide_parameters
        assert engine.hide_parameters
    finally:
        database.dispose()
        engine.dispose()


def test_remote_answers_lose_the_identities_of_what_we_sent() -> None:
    from yrkesresan_lti.logs.redact import without_identities

    sent = json.dumps(
        {
            "actor": {"name": "Lina Larsson", "mbox": "mailto:lina@kommun.example"},
            "object": {"definition": {"name": {"sv": "Samtal med barn"}}},
        }
    ).encode()
    answer = 'bad actor "Lina Larsson" <mailto:lina@kommun.example> in "Samtal med barn"'
    assert (
        without_identities(answer, sent) == 'bad actor "[hidden]" <[hidden]> in "Samtal med barn"'
    )
    assert without_identities("plain", b"not json") == "plain"


@pytest.mark.parametrize(
    ("value", "read_back"),
    [
        (10**30, 10**30),  # orjson writes integers of at most 64 bits
        ({"deployment_id": -(2**70)}, {"deployment_id": -(2**70)}),
        ("iss\ud800", "iss\ud800"),  # a lone surrogate: not UTF-8
        ("Göteborg", "Göteborg"),
    ],
)
def test_a_field_orjson_refuses_is_still_written_as_one_json_line(
    configure_logs: Callable[..., Lines], value: object, read_back: object
) -> None:
    """A hostile token can carry such a value into a rejection's line: the line must be
    written, not lost to a "Logging error" on standard error."""
    lines = configure_logs(log_format="json")
    log.warning("lti_rejected", extra={"event": "lti_rejected", "issuer": value, "status": 400})
    log.info("next", extra={"event": "next"})
    first, second = lines.json()
    assert first["event"] == "lti_rejected"
    assert first["issuer"] == read_back
    assert first["status"] == 400
    assert second["event"] == "next"
    assert len(lines.text()) == 2
