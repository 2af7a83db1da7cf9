"""The tool's database and the LRS give the same figures for the same history.

A term runs through the tool's own pages (learners launch, a manager registers and
withdraws staff, the trainer records attendance and corrects it, learners answer the
evaluation and change an answer, one marks tasks done and undoes one); the outbox is
delivered to a real Ralph by the delivery worker; then ``yrkesresan stats``'s queries over
the tool's database (:class:`FigureQueries`) and the report's reader over Ralph
(:func:`figures_from_lrs`) must give equal :class:`Figures`, in total, per breakdown and
under filters. Ralph is this module's own, so it holds this term only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.db_fixtures import BACKENDS, empty_database_url
from tests.pages.conftest import (
    COURSE,
    MOODLE,
    TASK_BBIC,
    TASK_FILM,
    Launches,
    csrf_of,
    load_test_catalog,
)
from tests.pages.test_attendance_pages import save
from tests.pages.test_evaluation_pages import MARCH_9, MARCH_11, answer
from tests.pages.test_learner_pages import course_page
from tests.pages.test_occasion_pages import JANUARY, SPRING, learners, manager, register, withdraw
from tests.pages.test_occasion_statements import statements
from yrkesresan_adapter import create_app
from yrkesresan_adapter.delivery.worker import delivery_worker
from yrkesresan_adapter.demo.ralph import RalphServer, install
from yrkesresan_adapter.pages import wiring
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.stats.query import FigureQueries
from yrkesresan_adapter.storage.municipalities import SqlMunicipalityStore
from yrkesresan_lti.catalog.evaluation import OVERALL
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.municipalities import municipality
from yrkesresan_lti.reports import Figures, Filters
from yrkesresan_lti.reports.facts import SWEDEN
from yrkesresan_lti.reports.lrs_report import figures_from_lrs
from yrkesresan_lti.reports.reader import LrsReader
from yrkesresan_lti.settings import Settings

pytestmark = pytest.mark.ralph

PEOPLE = ("anna", "bo", "cia", "dan", "eva")
YEAR = datetime.now(SWEDEN).year
"""The tool stamps statements with the real time (its factory's clock), the pages' clock
only decides what is allowed: every event of the term is of this year."""
FILTERS = (
    Filters(),
    Filters(year=YEAR),
    Filters(course=COURSE),
    Filters(journey="https://yrkesresan.se/id/journeys/barn-och-unga"),
    Filters(municipality="1480"),
    Filters(county="14"),
    Filters(municipality="0180"),
    Filters(year=YEAR + 1),
)
RATINGS = {"anna": "2", "bo": "4", "cia": "4", "dan": "3", "eva": "5"}


def make_app(
    directory: Path, database_url: str, lrs: RalphServer, launches: Launches, clock: FakeClock
) -> Flask:
    """The adapter with the pages' real xAPI wiring (statements to the outbox, the
    statistics ledger in the same transaction), delivering to ``lrs``."""
    settings = Settings(
        instance_path=directory / "instance",
        database_url=database_url,
        lrs=lrs.lrs_target(),
        _env_file=None,
    )
    app = create_app(settings)
    catalog = load_test_catalog(directory)
    service = PagesService.of(app)
    service.catalog = lambda: catalog
    service.resolve_launch = launches
    service.events = wiring.outbox_journal(app, service.catalog, b"k" * 32)
    service.roster = None
    service.clock = clock
    services = AdapterState.of(app).services
    services.platforms.add(MOODLE)
    # Göteborg for the whole platform: statements and the ledger carry 1480 / county 14.
    SqlMunicipalityStore(services.db).attach(MOODLE.issuer, MOODLE.client_id, municipality("1480"))
    return app


@dataclass(frozen=True)
class Term:
    sent: int
    delivered: int
    from_db: dict[Filters, Figures]
    from_lrs: dict[Filters, Figures]
    exact: dict[Filters, Figures]
    """From the ledger even where the summary answers (no filter, a year)."""


@pytest.fixture(scope="module", params=BACKENDS)
def term(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Term]:
    """The term run through the tool (its database on SQLite or PostgreSQL), delivered to a
    Ralph of its own, and counted both ways under each filter."""
    install()
    directory = tmp_path_factory.mktemp("tool")
    with RalphServer() as lrs, empty_database_url(request.param, directory) as url:
        launches, clock = Launches(), FakeClock(JANUARY)
        app = make_app(directory, url, lrs, launches, clock)
        run_term(app.test_client(), launches, clock)
        sent = len(statements(app))
        delivered = delivery_worker(app).flush().delivered
        queries = FigureQueries()
        with AdapterState.of(app).services.db.connection() as conn:
            from_db = {f: queries.figures(conn, f) for f in FILTERS}
            exact = {f: queries.figures(conn, f, exact=True) for f in FILTERS}
        with LrsReader(lrs.lrs_target()) as reader:
            from_lrs = {f: figures_from_lrs(reader, f, page_size=7) for f in FILTERS}
        AdapterState.of(app).services.db.dispose()
        yield Term(sent, delivered, from_db, from_lrs, exact)


def task(client: FlaskClient, token: str, action: str, iri: str) -> None:
    csrf = csrf_of(course_page(client, token))
    data = {"lt": token, "csrf_token": csrf, "task": iri}
    assert client.post(f"/pages/task/{action}", data=data).status_code == 303


def run_term(client: FlaskClient, launches: Launches, clock: FakeClock) -> None:
    learners(client, launches, *PEOPLE, "olle", "frida")
    boss = manager(launches)
    assert register(client, boss, SPRING, *PEOPLE, "olle", "frida").status_code == 303
    assert withdraw(client, boss, "frida").status_code == 303  # frida: unregistered
    anna = launches.add(launch_of(launches, "anna"))
    task(client, anna, "done", TASK_BBIC)
    task(client, anna, "done", TASK_FILM)
    task(client, anna, "undo", TASK_FILM)  # voids the completion
    clock.set(MARCH_9)
    everyone = [f"1|{p}" for p in (*PEOPLE, "olle")]
    assert save(client, boss, everyone).status_code == 303
    corrected = [f"1|{p}" for p in PEOPLE]
    assert save(client, boss, corrected, was=everyone).status_code == 303  # olle withdrawn
    clock.set(MARCH_11)
    for person, rating in RATINGS.items():
        token = launches.add(launch_of(launches, person))
        assert answer(client, token, **{f"q-{OVERALL}": rating}).status_code == 303
    anna_again = launches.add(launch_of(launches, "anna"))
    assert answer(client, anna_again, **{f"q-{OVERALL}": "5"}).status_code == 303


def launch_of(launches: Launches, sub: str) -> LaunchContext:
    return next(c for c in launches.by_token.values() if c.sub == sub)


def test_every_statement_reached_ralph_and_the_figures_are_those_of_the_term(term: Term) -> None:
    assert term.delivered == term.sent
    total = term.from_lrs[Filters()].total
    assert (total.registered, total.attended, total.participants, total.users) == (6, 5, 5, 7)
    assert (total.occasions_held, total.seats) == (1, 30)
    assert total.evaluation.distribution == (0, 0, 1, 2, 2)  # anna's changed answer counts
    assert total.evaluation.good_share == 0.8
    assert term.from_lrs[Filters(year=YEAR + 1)].total.users == 0
    gothenburg = term.from_lrs[Filters(municipality="1480")]
    assert (gothenburg.total.participants, gothenburg.total.municipalities) == (5, 1)
    assert gothenburg.participants_by_municipality() == {"1480": 5}
    assert term.from_lrs[Filters(municipality="0180")].total.users == 0


@pytest.mark.parametrize("filters", FILTERS, ids=str)
def test_the_tool_and_ralph_agree(term: Term, filters: Filters) -> None:
    assert term.from_lrs[filters] == term.from_db[filters]
    assert term.exact[filters] == term.from_db[filters]
