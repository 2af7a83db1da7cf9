"""Finds everything the adapter holds on one person of one tenant (read only).

A person is (issuer, client_id, LTI ``sub``), optionally within one deployment: the same
``sub`` on another issuer or registration is someone else. Rows are found by their tenant
and ``user_sub`` columns; stored launches by their JSON; statements in the outbox by their
actor (the pseudonym, the pre-1.2 pseudonym, or an e-mail the tool knows) *and* their
deployment extension; AGS scores by ``userId``; score heads by computing their hash.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, select

from yrkesresan_adapter.privacy.registry import (
    ACTOR_ROWS,
    LAUNCH_STATES,
    LEARNER_KEY_ROWS,
    LINKED_ROWS,
    OUTBOX,
    PERSON_ROWS,
    SCORE_HEADS,
    TRAINER_REGISTER,
)
from yrkesresan_adapter.stats.events import learner_key
from yrkesresan_adapter.tables import all_tables
from yrkesresan_lti.lti.advantage.ags_outbox import AGS_SCORE_KIND
from yrkesresan_lti.lti.advantage.score_heads import head_key
from yrkesresan_lti.outbox.outbox import XAPI_STATEMENT
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

Row = dict[str, Any]


@dataclass(frozen=True)
class Person:
    """One learner (or member of staff) of one platform registration."""

    issuer: str
    client_id: str
    sub: str
    deployment_id: str | None = None
    """Only this deployment's rows; all of the registration's when None."""

    def __repr__(self) -> str:  # the sub stays out of logs and tracebacks
        return f"Person(issuer={self.issuer!r}, client_id={self.client_id!r}, sub=***)"

    def owns(self, issuer: Any, client_id: Any, deployment_id: Any) -> bool:
        return (
            issuer == self.issuer
            and client_id == self.client_id
            and (self.deployment_id is None or deployment_id == self.deployment_id)
        )


@dataclass(frozen=True)
class Actor:
    """How the LRS knows the person: accounts (current and pre-1.2 pseudonym) and e-mails."""

    accounts: tuple[tuple[str, str], ...]
    mboxes: tuple[str, ...] = ()

    @classmethod
    def of(cls, person: Person, names: Pseudonymizer, emails: Iterable[str] = ()) -> Actor:
        accounts = (
            (person.issuer, names.pseudonym(person.issuer, person.sub)),
            (person.issuer, names.digest(person.issuer, person.sub)),
        )
        return cls(accounts, tuple(sorted({f"mailto:{e}" for e in emails if e})))

    def is_(self, agent: Any) -> bool:
        if not isinstance(agent, Mapping):
            return False
        account = agent.get("account")
        if isinstance(account, Mapping):
            return (account.get("homePage"), account.get("name")) in self.accounts
        return agent.get("mbox") in self.mboxes

    def learner_keys(self) -> list[int]:
        """The person's keys in the statistics ledger (a hash per actor they may have)."""
        agents: list[dict[str, Any]] = [
            {"account": {"homePage": home, "name": name}} for home, name in self.accounts
        ]
        agents += [{"mbox": mbox} for mbox in self.mboxes]
        return sorted({learner_key(agent) for agent in agents})

    def to_json(self) -> dict[str, Any]:
        (home, name), (_, digest) = self.accounts
        data: dict[str, Any] = {
            "account": {"homePage": home, "name": name},
            "account_until_profile_1_1": {"homePage": home, "name": digest},
        }
        if self.mboxes:
            data["mbox"] = list(self.mboxes)
        return data


@dataclass
class OutboxStatement:
    """One statement of the outbox (all its rows, one per target)."""

    statement: dict[str, Any]
    rows: list[Row]

    @property
    def id(self) -> str:
        return str(self.statement["id"])

    @property
    def is_voiding(self) -> bool:
        return bool(self.statement.get("verb", {}).get("id", "").endswith("/voided"))

    @property
    def voided_id(self) -> str | None:
        target = self.statement.get("object") or {}
        return str(target.get("id")) if self.is_voiding else None

    @property
    def may_have_left(self) -> bool:
        """True if some target may hold it: delivered, dead or tried at least once."""
        return any(r["status"] != "pending" or r["attempts"] > 0 for r in self.rows)

    def to_json(self) -> dict[str, Any]:
        return {"statement": self.statement, "outbox": [_plain(r) for r in self.rows]}


@dataclass
class Findings:
    person: Person
    actor: Actor
    rows: dict[str, list[Row]] = field(default_factory=dict)
    """Rows about the person, per table of :data:`PERSON_ROWS`."""
    acted: dict[str, list[Row]] = field(default_factory=dict)
    """``table.column`` → other people's rows where the person registered or recorded."""
    launch_states: list[Row] = field(default_factory=list)
    statements: list[OutboxStatement] = field(default_factory=list)
    """Statements whose actor is the person."""
    as_instructor: list[OutboxStatement] = field(default_factory=list)
    """Other people's statements naming the person as ``context.instructor``."""
    scores: list[Row] = field(default_factory=list)
    score_heads: list[Row] = field(default_factory=list)
    trainer_register: list[Row] = field(default_factory=list)
    """Entries of the region's trainer register with one of the person's e-mails."""

    @property
    def empty(self) -> bool:
        return not (
            any(self.rows.values())
            or any(self.acted.values())
            or self.launch_states
            or self.statements
            or self.as_instructor
            or self.scores
            or self.score_heads
            or self.trainer_register
        )

    def to_json(self) -> dict[str, Any]:
        """Everything found, as JSON-ready data (the export)."""
        p = self.person
        return {
            "person": {
                "issuer": p.issuer,
                "client_id": p.client_id,
                "deployment_id": p.deployment_id,
                "sub": p.sub,
            },
            "xapi_actor": self.actor.to_json(),
            "tables": {name: [_plain(r) for r in rows] for name, rows in self.rows.items()},
            "recorded_for_others": {
                name: [_plain(r) for r in rows] for name, rows in self.acted.items()
            },
            LAUNCH_STATES: [_plain(r) for r in self.launch_states],
            OUTBOX: {
                "statements": [s.to_json() for s in self.statements],
                "statements_as_instructor": [s.to_json() for s in self.as_instructor],
                "ags_scores": [_plain(r) for r in self.scores],
            },
            SCORE_HEADS: [_plain(r) for r in self.score_heads],
            TRAINER_REGISTER: [_plain(r) for r in self.trainer_register],
        }


def find(
    conn: Connection, person: Person, names: Pseudonymizer, emails: Iterable[str] = ()
) -> Findings:
    """Everything about ``person`` in the database of ``conn`` (one consistent read when
    ``conn`` is in a transaction)."""
    tables = all_tables().tables
    launch_states = _launch_states(conn, tables[LAUNCH_STATES], person)
    known = {str(r["value"].get("email")) for r in launch_states if r["value"].get("email")}
    found = Findings(person, Actor.of(person, names, [*emails, *known]))
    found.launch_states = launch_states
    for name, by_columns in PERSON_ROWS.items():
        table = tables[name]
        tenant = _tenant(table, person)
        found.rows[name] = _rows(conn, table, and_(*tenant, table.c.user_sub == person.sub))
        for column in by_columns:
            where = and_(*tenant, table.c[column] == person.sub)
            found.acted[f"{name}.{column}"] = _rows(conn, table, where)
    for name, column in ACTOR_ROWS.items():
        table = tables[name]
        actor_where = [
            table.c.actor_issuer == person.issuer,
            table.c.actor_client_id == person.client_id,
            table.c[column] == person.sub,
        ]
        if person.deployment_id is not None:
            actor_where.append(table.c.actor_deployment_id == person.deployment_id)
        found.acted[f"{name}.{column}"] = _rows(conn, table, and_(*actor_where))
    register = tables[TRAINER_REGISTER]
    emails_found = sorted({m.removeprefix("mailto:").casefold() for m in found.actor.mboxes})
    if emails_found:
        by_email = register.c.trainer_email.in_(emails_found)
        found.trainer_register = _rows(conn, register, by_email)
    for name, (owner, column) in LINKED_ROWS.items():
        table = tables[name]
        keys = sorted({r[column] for r in found.rows[owner] if r[column] is not None})
        found.rows[name] = _rows(conn, table, table.c[column].in_(keys)) if keys else []
    learners = found.actor.learner_keys()
    for name, column in LEARNER_KEY_ROWS.items():
        table = tables[name]
        found.rows[name] = _rows(conn, table, table.c[column].in_(learners))
    _outbox(conn, tables[OUTBOX], found)
    lineitems = {r["lineitem_url"] for r in found.rows["ags_placements"]}
    lineitems |= {json.loads(r["payload"])["lineitem"] for r in found.scores}
    keys = [head_key(person.issuer, person.client_id, url, person.sub) for url in lineitems]
    heads = tables[SCORE_HEADS]
    found.score_heads = _rows(conn, heads, heads.c.key.in_(keys)) if keys else []
    return found


def _tenant(table: Table, person: Person) -> list[Any]:
    where = [table.c.issuer == person.issuer, table.c.client_id == person.client_id]
    if person.deployment_id is not None:
        where.append(table.c.deployment_id == person.deployment_id)
    return where


def _rows(conn: Connection, table: Table, where: Any) -> list[Row]:
    return [
        dict(r._mapping)
        for r in conn.execute(select(table).where(where).order_by(*table.primary_key))
    ]


def _launch_states(conn: Connection, table: Table, person: Person) -> list[Row]:
    """Stored launches of the person and login restarts whose ``login_hint`` is their sub."""
    found = []
    for row in conn.execute(select(table).order_by(table.c.key)):
        value = row.value if isinstance(row.value, Mapping) else {}
        issuer = value.get("issuer", value.get("iss"))
        if not person.owns(
            issuer,
            value.get("client_id"),
            value.get("deployment_id", value.get("lti_deployment_id")),
        ):
            continue
        if person.sub in (value.get("sub"), value.get("login_hint")):
            found.append(dict(row._mapping))
    return found


def _outbox(conn: Connection, table: Table, found: Findings) -> None:
    person, actor = found.person, found.actor
    by_id: dict[str, OutboxStatement] = {}
    instructor_ids: set[str] = set()
    mine: set[str] = set()
    query = (
        select(table).where(table.c.kind.in_([XAPI_STATEMENT, AGS_SCORE_KIND])).order_by(table.c.id)
    )
    for row in conn.execute(query.execution_options(yield_per=500)):
        data = dict(row._mapping)
        body = _json(data["payload"])
        if body is None:
            continue
        data["payload"] = (
            body if data["kind"] == XAPI_STATEMENT else json.dumps(body, sort_keys=True)
        )
        if data["kind"] == AGS_SCORE_KIND:
            platform, score = body.get("platform") or {}, body.get("score") or {}
            if (
                person.owns(platform.get("issuer"), platform.get("client_id"), None)
                and score.get("userId") == person.sub
            ):
                found.scores.append(data)
            continue
        if not _in_tenant(body, person):
            continue
        is_actor = actor.is_(body.get("actor"))
        is_instructor = actor.is_((body.get("context") or {}).get("instructor"))
        if not (is_actor or is_instructor):
            continue
        statement_id = str(body.get("id"))
        entry = by_id.setdefault(statement_id, OutboxStatement(body, []))
        entry.rows.append({k: v for k, v in data.items() if k != "payload"})
        (mine if is_actor else instructor_ids).add(statement_id)
    found.statements = [s for i, s in by_id.items() if i in mine]
    found.as_instructor = [s for i, s in by_id.items() if i in instructor_ids and i not in mine]


def _in_tenant(statement: Mapping[str, Any], person: Person) -> bool:
    extensions = (statement.get("context") or {}).get("extensions") or {}
    return any(
        isinstance(v, Mapping)
        and person.owns(v.get("issuer"), v.get("clientId"), v.get("deploymentId"))
        for v in extensions.values()
    )


def _json(payload: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(payload)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _value(value) for key, value in row.items()}


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value
