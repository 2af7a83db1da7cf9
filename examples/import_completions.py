"""Import historical task completions from a CSV file into the outbox, with a progress bar.

    python examples/import_completions.py completions.csv --database sqlite:///outbox.db
    python examples/import_completions.py completions.csv --deliver   # and send them now

The CSV has a header and one completion per line (``completed_at`` in ISO 8601 with a time
zone)::

    issuer,client_id,deployment_id,sub,municipality,task_iri,completed_at
    https://moodle.kommun.se,abc,1,42,Exempelkommun,https://yrkesresan.se/id/...,2025-03-01T09:30:00+01:00

Every line is checked before anything is written: a bad line is reported with its number
and nothing is imported (exit status 1). Each statement carries the completion's own time
and an id derived from the line, so importing the same file again makes the same statements
(the LRS keeps one of each). Targets are the LRS targets of the settings
(``YRKESRESAN_LRS__ENDPOINT`` ...). Needs tqdm (``pip install tqdm``).
"""

from __future__ import annotations

import argparse
import csv
import secrets
import sys
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError
from sqlalchemy import MetaData, create_engine
from tqdm import tqdm

from yrkesresan_lti.catalog import Catalog, Task, default_catalog_path, load_catalog
from yrkesresan_lti.exceptions import UnknownCatalogNode
from yrkesresan_lti.outbox import Outbox, OutboxWorker, define_outbox_tables, lrs_deliverers
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.xapi import Learner, Pseudonymizer, StatementFactory, statement_bytes

IMPORT_NAMESPACE = uuid.UUID("6f1c3f0e-57b1-4c1e-9a55-6b1d2f7f1a01")
"""Statement ids are UUIDv5s of each line's content in this namespace (stable re-imports)."""


class Completion(BaseModel):
    """One line of the CSV, checked."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_min_length=1)

    issuer: str
    client_id: str
    deployment_id: str
    sub: str
    municipality: str
    task_iri: str
    completed_at: AwareDatetime


class ReplayClock:
    """A clock that tells the time of the completion being imported."""

    def __init__(self) -> None:
        self.at = datetime.fromtimestamp(0).astimezone()

    def now(self) -> datetime:
        return self.at


class LineIds:
    """An id factory that gives the id of the line being imported."""

    def __init__(self) -> None:
        self.current = ""

    def __call__(self) -> str:
        return self.current


def read_completions(path: Path, catalog: Catalog) -> tuple[list[Completion], list[str]]:
    """The checked lines, and one message per bad line (line numbers as an editor shows)."""
    completions: list[Completion] = []
    problems: list[str] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                completion = Completion.model_validate(row)
            except ValidationError as err:
                first = err.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "line"
                problems.append(f"line {number}: {where}: {first['msg']}")
                continue
            try:
                node = catalog.node(completion.task_iri)
            except UnknownCatalogNode:
                node = None
            if not isinstance(node, Task):
                problems.append(f"line {number}: task_iri: not a task of the catalog")
                continue
            completions.append(completion)
    return completions, problems


def main(argv: Sequence[str] | None = None) -> int:
    """Check the CSV, then enqueue one ``completed`` statement per line (and deliver them)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--database", default="sqlite:///yrkesresan-example.db")
    parser.add_argument("--deliver", action="store_true", help="send them to the LRS now")
    args = parser.parse_args(argv)

    settings = Settings()
    targets = [target.name for target in settings.all_lrs_targets]
    if not targets:
        print("set an LRS target first (YRKESRESAN_LRS__ENDPOINT ...)", file=sys.stderr)
        return 2
    catalog = load_catalog(settings.catalog_path or default_catalog_path())
    try:
        completions, problems = read_completions(args.csv, catalog)
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        print(f"cannot read {args.csv}: {err}", file=sys.stderr)
        return 1
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"nothing imported: fix the {len(problems)} line(s) above", file=sys.stderr)
        return 1

    clock, ids = ReplayClock(), LineIds()
    key = settings.pseudonym_key or secrets.token_hex(32)  # the adapter's key in real use
    factory = StatementFactory(catalog, Pseudonymizer(key), clock=clock, id_factory=ids)
    payloads = []
    for completion in tqdm(completions, desc="statements", unit="st", disable=None):
        clock.at = completion.completed_at
        ids.current = str(uuid.uuid5(IMPORT_NAMESPACE, completion.model_dump_json()))
        learner = Learner(
            issuer=completion.issuer,
            sub=completion.sub,
            client_id=completion.client_id,
            deployment_id=completion.deployment_id,
            platform_name=completion.municipality,
        )
        payloads.append(statement_bytes(factory.task_completed(learner, completion.task_iri)))

    engine = create_engine(args.database)
    metadata = MetaData()
    outbox = Outbox(define_outbox_tables(metadata))
    metadata.create_all(engine)
    with engine.begin() as connection:  # all lines or none
        outbox.enqueue(connection, payloads, targets)
    print(f"{len(payloads)} statement(s) in the outbox for {', '.join(targets)}")
    if not args.deliver:
        return 0
    worker = OutboxWorker(engine, lrs_deliverers(settings.all_lrs_targets), outbox=outbox)
    with tqdm(total=len(payloads) * len(targets), desc="delivery", disable=None) as bar:

        def delivered(count: int) -> None:
            bar.update(count)

        report = worker.flush(progress=delivered)
    print(f"delivered {report.delivered}, to retry {report.retried}, dead {report.dead}")
    return 0 if report.delivered == len(payloads) * len(targets) else 1


if __name__ == "__main__":
    sys.exit(main())
