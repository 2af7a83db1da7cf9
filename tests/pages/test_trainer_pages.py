"""The trainers' page: a trainer sees the occasions she trains with the participants of
every municipality and records their attendance, each in the participant's own tenant;
nobody else sees other municipalities' people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import FakeClock
from tests.launch_factory import CLIENT_ID, ISSUER
from tests.pages.conftest import Launches, csrf_of, launch
from tests.pages.recording_journal import RecordingJournal
from tests.pages.test_occasion_pages import JANUARY, SPRING, learners, manager, register
from yrkesresan_adapter.pages.attendance.schema import attendance_table
from yrkesresan_adapter.pages.occasions import OccasionService, Trainer
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti.context import ToolRole

MINE = "/pages/trainer/"
OCCASION = "/pages/trainer/occasion"
OTHER = {"issuer": "https://canvas.example.se"}
MARCH_9 = datetime(2027, 3, 9, 8, 30, tzinfo=UTC)  # the spring occasion's day 1 has begun
DAY_1 = f"{SPRING}/days/1"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(JANUARY)


@pytest.fixture
def app(make_app: Callable[..., Flask], clock: FakeClock) -> Flask:
    app = make_app(clock=clock)
    pages = PagesService.of(app)
    service = OccasionService.of(app)
    assert service.overlay is not None
    service.overlay.seed(pages.catalog(), now=JANUARY)
    with pages.sessions() as db:
        plan = service.plans.get(db, SPRING)
        assert plan is not None
        assert plan.trainers
        key = plan.trainers[0]
        service.plans.put_trainer(db, Trainer(key, "GR", "Tina", "tina@kommun.example"))
    return app


def trainer(launches: Launches, **kw: object) -> str:
    context = launch("tina", role=ToolRole.MANAGER, email="Tina@Kommun.example", **kw)  # type: ignore[arg-type]
    return launches.add(context)


@pytest.fixture
def two_municipalities(client: FlaskClient, launches: Launches, clock: FakeClock) -> None:
    """Anna (this platform) and Olle (another) registered for spring; now it is 9 March."""
    learners(client, launches, "anna")
    learners(client, launches, "olle", **OTHER)
    assert register(client, manager(launches), SPRING, "anna").status_code == 303
    assert register(client, manager(launches, **OTHER), SPRING, "olle").status_code == 303
    clock.set(MARCH_9)


def test_the_trainer_sees_her_occasions_and_participants_of_every_municipality(
    client: FlaskClient, launches: Launches, two_municipalities: None
) -> None:
    token = trainer(launches)
    journey = client.get("/pages/staff/", query_string={"lt": token}).get_data(as_text=True)
    assert "Mina kurstillfällen" in journey  # in the staff navigation
    mine = client.get(MINE, query_string={"lt": token}).get_data(as_text=True)
    assert "Deltagare och närvaro" in mine
    assert "/pages/calendar/trainer.ics?occasion=" in mine
    assert "ht-2027" not in mine or "hösten 2027" not in mine  # only occasions she trains
    shown = client.get(OCCASION, query_string={"lt": token, "occasion": SPRING})
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    assert "Namn anna" in html
    assert "Namn olle" in html


def test_the_trainer_records_attendance_in_each_participants_own_tenant(
    app: Flask,
    client: FlaskClient,
    launches: Launches,
    events: RecordingJournal,
    two_municipalities: None,
) -> None:
    token = trainer(launches)
    html = client.get(OCCASION, query_string={"lt": token, "occasion": SPRING}).get_data(
        as_text=True
    )
    values = list(html.split('name="attended" value="')[1:])
    ticks = [v.split('"')[0] for v in values if v.startswith("1|")]
    assert len(ticks) == 2
    data = {"lt": token, "csrf_token": csrf_of(html), "occasion": SPRING, "attended": ticks}
    saved = client.post(OCCASION, data=data)
    assert saved.status_code == 303
    after = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Närvaron är sparad: 2 tillagda, 0 borttagna." in after
    table = attendance_table
    with AdapterState.of(app).services.db.session() as db:
        rows = set(db.execute(select(table.c.issuer, table.c.user_sub, table.c.recorded_by)))
    by_sub = {sub: (issuer, by) for issuer, sub, by in rows}
    assert by_sub["olle"][0] == OTHER["issuer"]  # in Olle's own tenant
    assert by_sub["anna"] == (launch("x").issuer, "tina")  # her own tenant: her sub
    assert by_sub["olle"][1].startswith("trainer:")  # no sub of another tenant
    attended = [e for name, e in events.events if name == "attended"]
    olle = next(e for e in attended if e.sub == "olle")  # type: ignore[union-attr]
    assert olle.launch.issuer == OTHER["issuer"]  # type: ignore[union-attr]
    assert olle.recorder is not None
    assert olle.recorder.sub == "tina"
    # the municipality's own manager sees it on the attendance page
    boss = manager(launches, **OTHER)
    page = client.get(
        "/pages/staff/occasions/attendance", query_string={"lt": boss, "occasion": SPRING}
    )
    assert "checked" in page.get_data(as_text=True)
    # and unticking withdraws it again
    was = list(ticks)
    html = client.get(OCCASION, query_string={"lt": token, "occasion": SPRING}).get_data(
        as_text=True
    )
    data = {"lt": token, "csrf_token": csrf_of(html), "occasion": SPRING, "was": was}
    assert client.post(OCCASION, data=data).status_code == 303
    with AdapterState.of(app).services.db.session() as db:
        assert not list(db.execute(select(table.c.user_sub)))


def test_a_day_not_begun_is_refused_with_409_and_nothing_saved(
    app: Flask, client: FlaskClient, launches: Launches, two_municipalities: None
) -> None:
    token = trainer(launches)
    html = client.get(OCCASION, query_string={"lt": token, "occasion": SPRING}).get_data(
        as_text=True
    )
    key = html.split('name="attended" value="1|')[1].split('"')[0]
    data = {"lt": token, "csrf_token": csrf_of(html), "occasion": SPRING}
    refused = client.post(OCCASION, data={**data, "attended": [f"1|{key}", f"2|{key}"]})
    assert refused.status_code == 409
    assert "Ingenting är sparat" in refused.get_data(as_text=True)
    with AdapterState.of(app).services.db.session() as db:
        assert not list(db.execute(select(attendance_table.c.user_sub)))
    unknown = client.post(OCCASION, data={**data, "attended": ["1|nobody"]})
    assert unknown.status_code == 400
    no_csrf = {"lt": token, "occasion": SPRING, "attended": [f"1|{key}"]}
    assert client.post(OCCASION, data=no_csrf).status_code in (400, 403)


def test_other_instructors_and_learners_get_403_and_no_names(
    client: FlaskClient, launches: Launches, two_municipalities: None
) -> None:
    other = launches.add(launch("t2", role=ToolRole.MANAGER, email="t2@kommun.example"))
    for path in (MINE, OCCASION):
        got = client.get(path, query_string={"lt": other, "occasion": SPRING})
        assert got.status_code == 403
        assert "Namn olle" not in got.get_data(as_text=True)
    learner = launches.add(launch("anna", email="tina@kommun.example"))
    assert client.get(MINE, query_string={"lt": learner}).status_code == 403
    staff = client.get("/pages/staff/", query_string={"lt": other}).get_data(as_text=True)
    assert "Mina kurstillfällen" not in staff


def test_a_trainer_gets_403_for_an_occasion_she_does_not_train(
    app: Flask, client: FlaskClient, launches: Launches, two_municipalities: None
) -> None:
    pages, service = PagesService.of(app), OccasionService.of(app)
    with pages.sessions() as db:
        service.plans.put_trainer(db, Trainer("someone", "GR", "S", "s@kommun.example"))
        autumn = next(o for o in service.plans.find(db) if o.iri != SPRING)
        assert "someone" not in autumn.trainers
    tina = trainer(launches)
    with pages.sessions() as db:
        spring = service.plans.get(db, SPRING)
        assert spring is not None
    if set(autumn.trainers) & set(spring.trainers):
        pytest.skip("the test catalog names the same trainer on both occasions")
    got = client.get(OCCASION, query_string={"lt": tina, "occasion": autumn.iri})
    assert got.status_code == 403


def test_an_administrator_sees_every_occasion_of_the_platforms_regions(
    app: Flask, client: FlaskClient, launches: Launches, two_municipalities: None
) -> None:
    admin = launches.add(launch("adm", role=ToolRole.ADMIN))
    with PagesService.of(app).sessions() as db:  # the platform coordinates no region yet
        plan = OccasionService.of(app).plans.get(db, SPRING)
        assert plan is not None
    mine = client.get(MINE, query_string={"lt": admin}).get_data(as_text=True)
    assert "Deltagare och närvaro" not in mine
    refused = client.get(OCCASION, query_string={"lt": admin, "occasion": SPRING})
    assert refused.status_code == 403
    with PagesService.of(app).sessions() as db:
        OccasionService.of(app).regions.set(db, ISSUER, CLIENT_ID, [plan.region])
    mine = client.get(MINE, query_string={"lt": admin}).get_data(as_text=True)
    assert mine.count("Deltagare och närvaro") >= 2
    shown = client.get(OCCASION, query_string={"lt": admin, "occasion": SPRING})
    assert "Namn olle" in shown.get_data(as_text=True)


def test_english_launch_gets_english_texts(
    client: FlaskClient, launches: Launches, two_municipalities: None
) -> None:
    token = trainer(launches, locale="en")
    mine = client.get(MINE, query_string={"lt": token}).get_data(as_text=True)
    assert "My course occasions" in mine
