"""Hostile input and a database error that quotes the learner: no log line carries a name,
an e-mail address, a ``sub`` or a token, on SQLite and PostgreSQL (issue 12, item 5)."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from sqlalchemy import text

from tests.db_fixtures import BACKENDS, empty_database_url
from tests.hostile import NUL, TEN_KB, header_of, sign_raw
from tests.log_fixtures import Lines
from tests.lti_fixtures import attach_simulator, make_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

ROOT = Path(__file__).resolve().parents[2]
NAME, EMAIL, SUB = "Greta Gåsström", "greta.gasstrom@kommun.example", "sub-greta-4711"

REFUSE_LEARNERS = {
    # a database error whose message quotes the row: the learner's name and sub
    "postgresql": [
        """CREATE FUNCTION refuse_learner() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'refused % %', NEW.name, NEW.user_sub; END $$
           LANGUAGE plpgsql""",
        """CREATE TRIGGER refuse_learner BEFORE INSERT OR UPDATE ON page_learners
           FOR EACH ROW EXECUTE FUNCTION refuse_learner()""",
    ],
    "sqlite": [
        """CREATE TRIGGER refuse_learner BEFORE INSERT ON page_learners
           BEGIN SELECT RAISE(ABORT, 'refused'); END""",
    ],
}


@pytest.fixture(params=BACKENDS)
def backend_app(
    request: pytest.FixtureRequest, tmp_path: Path, simulator: PlatformSimulator
) -> Iterator[tuple[str, Flask]]:
    with empty_database_url(request.param, tmp_path) as url:
        made = make_app(tmp_path, database_url=url)
        attach_simulator(made, simulator)
        yield request.param, made
        AdapterState.of(made).services.db.dispose()


def _launch(app: Flask, sim: PlatformSimulator, **claims: object) -> tuple[int, list[str]]:
    """A launch of Greta with ``claims`` changed; (status, the secrets it carried)."""
    client = app.test_client()
    login = client.post("/lti/login", data=sim.login_form("/lti/login").fields)
    query = dict(parse_qsl(urlsplit(login.headers["Location"]).query))
    values = sim.claims(SimLaunch(), nonce=query["nonce"])
    values.update(name=NAME, email=EMAIL, sub=SUB, given_name="Greta", family_name="Gåsström")
    values.update(claims)
    token = sign_raw(sim, header_of(sim), json.dumps(values))
    response = client.post("/lti/launch", data={"state": query["state"], "id_token": token})
    lt = dict(parse_qsl(urlsplit(response.headers.get("Location", "")).query)).get("lt", "")
    secrets = [query["state"], query["nonce"], token] + ([lt] if lt else [])
    if lt:
        client.get("/pages/", query_string={"lt": lt, "person": SUB})
    return response.status_code, secrets


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_hostile_input_and_a_database_error_leave_no_personal_data_in_logs(
    backend_app: tuple[str, Flask],
    simulator: PlatformSimulator,
    configure_logs: Callable[..., Lines],
    log_format: str,
) -> None:
    backend, app = backend_app
    lines = configure_logs(log_format=log_format, log_level="DEBUG")
    secrets = [NAME, EMAIL, SUB, "Gåsström"]
    for claims in (
        {"name": NAME + NUL},  # refused: NUL
        {"sub": SUB + NUL},
        {"exp": 1e15},  # refused: a date out of range
        {"name": NAME + TEN_KB},  # accepted, shortened
    ):
        _status, carried = _launch(app, simulator, **claims)
        secrets += carried
    client = app.test_client()
    client.get("/lti/login", query_string={"iss": "https://x.example" + NUL, "login_hint": SUB})
    client.get("/pages/course", query_string={"course": "c" * 2000, "person": SUB})

    with AdapterState.of(app).services.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM page_learners"))
        for statement in REFUSE_LEARNERS[backend]:
            connection.execute(text(statement))
    status, carried = _launch(app, simulator)
    secrets += carried
    assert status == 500  # the launch records the person in its own transaction: refused

    written = lines.buffer.getvalue()
    assert "Traceback" in written  # the page on the refusing database, logged
    assert "page_learners" in written
    if log_format == "json":
        parsed = lines.json()  # every line is JSON
        failed = [line for line in parsed if line["level"] == "ERROR" and "exc_info" in line]
        assert "page_learners" in failed[-1]["exc_info"]
        events = {line.get("event") for line in parsed}
        assert {"lti_rejected", "request_refused", "lti_launch"} <= events
    assert [secret for secret in secrets if secret in written] == []
    assert [s for s in secrets if json.dumps(s)[1:-1] in written] == []  # nor JSON-escaped


def _create_engine_calls() -> list[tuple[str, int, bool]]:
    found = []
    for base in (ROOT / "src", ROOT / "adapter"):
        for path in base.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", "")) == "create_engine"
                ):
                    hides = any(
                        k.arg == "hide_parameters"
                        and isinstance(k.value, ast.Constant)
                        and k.value.value is True
                        for k in node.keywords
                    )
                    found.append((str(path.relative_to(ROOT)), node.lineno, hides))
    return found


def test_every_engine_we_create_hides_sql_parameters() -> None:
    calls = _create_engine_calls()
    assert len(calls) >= 3
    database = [c for c in calls if c[0].endswith("storage/database.py")]
    others = [c for c in calls if c not in database]
    assert [c for c in others if not c[2]] == []
    # storage.Database passes its options: hide_parameters is a default there
    source = (ROOT / "adapter/yrkesresan_adapter/storage/database.py").read_text("utf-8")
    assert 'options.setdefault("hide_parameters", True)' in source


def test_a_claim_named_with_a_lone_surrogate_is_refused_on_a_page_and_in_a_log_line(
    backend_app: tuple[str, Flask],
    simulator: PlatformSimulator,
    configure_logs: Callable[..., Lines],
) -> None:
    """A custom claim named with a lone surrogate (JSON's ``\\ud800``) and holding a NUL:
    the launch is refused with a 400 page that names the claim (it was a 500: the page could
    not be encoded), and the rejection's line is written, the name escaped."""
    _backend, app = backend_app
    lines = configure_logs(log_format="json")
    custom = "https://purl.imsglobal.org/spec/lti/claim/custom"
    status, _carried = _launch(app, simulator, **{custom: {"k\ud800": "v" + NUL}})
    assert status == 400
    (rejected,) = [line for line in lines.json() if line.get("event") == "lti_rejected"]
    assert rejected["error"] == "InvalidClaim"
    assert rejected["claim"] == custom + ".k\\ud800"  # the six characters \ud800
