"""Build, validate and send the statements of one learner through a SQLite outbox.

    export YRKESRESAN_LRS__ENDPOINT=http://127.0.0.1:8100/xAPI/
    export YRKESRESAN_LRS__USERNAME=... YRKESRESAN_LRS__PASSWORD=...
    export YRKESRESAN_PSEUDONYM_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')
    python examples/send_statements.py --database sqlite:///outbox.db

The learner launches the first course of the catalog and completes its first tasks. The
statements are committed to the outbox (a table in your database, in your transaction), then
the outbox worker delivers them to every LRS target of the settings with the library's LRS
client, and the client reads the last one back. Without an LRS in the settings the
statements are only built. Exit status: 0 when every statement was delivered (or no LRS is
set), 1 otherwise.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Sequence

from sqlalchemy import Engine, MetaData, create_engine

from yrkesresan_lti.catalog import default_catalog_path, load_catalog
from yrkesresan_lti.outbox import Outbox, OutboxWorker, define_outbox_tables, lrs_deliverers
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.xapi import (
    Learner,
    Pseudonymizer,
    StatementFactory,
    statement_bytes,
    validate_statement,
)
from yrkesresan_lti.xapi.client import LrsClient
from yrkesresan_lti.xapi.factory import JsonStatement

EXAMPLE_LEARNER = Learner(
    issuer="https://moodle.exempelkommun.se",
    sub="42",
    client_id="yrkesresan",
    deployment_id="1",
    platform_name="Exempelkommun",
)
"""A learner as an LMS would launch them: no LTI launch needed to build statements."""


def pseudonymizer_from(settings: Settings) -> Pseudonymizer:
    """The adapter's key when it is set; otherwise a random one (pseudonyms then change)."""
    if settings.pseudonym_key is not None:
        return Pseudonymizer.from_settings(settings)
    print(
        "warning: YRKESRESAN_PSEUDONYM_KEY is not set: using a random key for this run",
        file=sys.stderr,
    )
    return Pseudonymizer(secrets.token_hex(32))


def build_statements(settings: Settings, learner: Learner, tasks: int) -> list[JsonStatement]:
    """The learner launches the first course and completes its first ``tasks`` tasks."""
    catalog = load_catalog(settings.catalog_path or default_catalog_path())
    _journey, _step, course = next(catalog.courses())
    factory = StatementFactory(catalog, pseudonymizer_from(settings))
    statements = [factory.course_launched(learner, course.iri)]
    statements += [factory.task_completed(learner, task.iri) for task in course.tasks[:tasks]]
    for statement in statements:
        validate_statement(statement)  # the factory checks too; a statement of yours would not
    return statements


def open_outbox(engine: Engine) -> Outbox:
    """The outbox table in the database (created if missing; your app's Alembic does this)."""
    metadata = MetaData()
    outbox = Outbox(define_outbox_tables(metadata))
    metadata.create_all(engine)
    return outbox


def main(argv: Sequence[str] | None = None) -> int:
    """Enqueue the statements, deliver them and read the last one back from the LRS."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:///yrkesresan-example.db")
    parser.add_argument("--tasks", type=int, default=2, help="how many tasks to complete")
    args = parser.parse_args(argv)

    settings = Settings()
    statements = build_statements(settings, EXAMPLE_LEARNER, args.tasks)
    engine = create_engine(args.database)
    outbox = open_outbox(engine)
    targets = settings.all_lrs_targets
    if not targets:
        print("no LRS is set (YRKESRESAN_LRS__ENDPOINT): nothing to deliver", file=sys.stderr)
        return 0
    payloads = [statement_bytes(s) for s in statements]  # the bytes every retry resends
    with engine.begin() as connection:  # commit together with your own data
        outbox.enqueue(connection, payloads, [t.name for t in targets])

    report = OutboxWorker(engine, lrs_deliverers(targets), outbox=outbox).flush()
    print(f"delivered {report.delivered}, to retry {report.retried}, dead {report.dead}")
    with LrsClient(targets[0]) as lrs:
        stored = lrs.get(statements[-1]["id"])
    print(f"the LRS {'has' if stored else 'does not have'} statement {statements[-1]['id']}")
    everything = report.delivered == len(statements) * len(targets)
    return 0 if everything and stored is not None else 1


if __name__ == "__main__":
    sys.exit(main())
