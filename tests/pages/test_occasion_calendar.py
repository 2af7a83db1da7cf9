"""The learner and the occasion's trainers download the course days as an ``.ics`` file;
nobody else gets it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.launch_factory import CLIENT_ID, ISSUER
from tests.pages.conftest import COURSE, Launches, launch
from tests.pages.test_occasion_notices import app  # noqa: F401 - fixture: stored occasions
from tests.pages.test_occasion_pages import AUTUMN, learners, manager, register
from yrkesresan_adapter.pages.occasions import OccasionService, Trainer
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_lti.lti.context import ToolRole

MINE = "/pages/calendar/mine.ics"
TRAINER = "/pages/calendar/trainer.ics"


def _assert_calendar(response: object, slug: str) -> str:
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"  # type: ignore[attr-defined]
    disposition = response.headers["Content-Disposition"]  # type: ignore[attr-defined]
    assert disposition == f'attachment; filename="{slug}.ics"'
    body: str = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert body.startswith("BEGIN:VCALENDAR")
    return body


def test_the_registered_learner_downloads_their_occasions_days(
    app: Flask,  # noqa: F811
    client: FlaskClient,
    launches: Launches,
) -> None:
    learners(client, launches, "anna", "bo")
    register(client, manager(launches), AUTUMN, "anna")
    anna = launches.add(launch("anna"))
    course = client.get("/pages/course", query_string={"lt": anna, "course": COURSE})
    assert "Ladda ned kursdagarna till din kalender (.ics)" in course.get_data(as_text=True)
    got = client.get(MINE, query_string={"lt": anna, "course": COURSE})
    body = _assert_calendar(got, "ht-2027")
    assert body.count("BEGIN:VEVENT") >= 1
    assert "Digitalt" in body
    bo = launches.add(launch("bo"))
    assert client.get(MINE, query_string={"lt": bo, "course": COURSE}).status_code == 403
    unknown = {"lt": anna, "course": COURSE + "-nope"}
    assert client.get(MINE, query_string=unknown).status_code == 404


def test_only_the_occasions_trainer_or_an_admin_downloads_it(
    app: Flask,  # noqa: F811
    client: FlaskClient,
    launches: Launches,
) -> None:
    pages = PagesService.of(app)
    service = OccasionService.of(app)
    with pages.sessions() as db:
        plan = service.plans.get(db, AUTUMN)
        assert plan is not None
        key = plan.trainers[0]
        service.plans.put_trainer(db, Trainer(key, "GR", "Trainer", "trainer@kommun.example"))
    query = {"occasion": AUTUMN}
    trainer = launches.add(
        launch("t1", role=ToolRole.MANAGER, email="Trainer@Kommun.example", issuer="https://x.se")
    )
    _assert_calendar(client.get(TRAINER, query_string={**query, "lt": trainer}), "ht-2027")
    admin = launches.add(launch("adm", role=ToolRole.ADMIN))
    refused = client.get(TRAINER, query_string={**query, "lt": admin})
    assert refused.status_code == 403  # the platform coordinates no region
    with pages.sessions() as db:
        service.regions.set(db, ISSUER, CLIENT_ID, [plan.region])
    _assert_calendar(client.get(TRAINER, query_string={**query, "lt": admin}), "ht-2027")
    other = launches.add(launch("t2", role=ToolRole.MANAGER, email="other@kommun.example"))
    assert client.get(TRAINER, query_string={**query, "lt": other}).status_code == 403
    learner = launches.add(launch("anna", email="trainer@kommun.example"))
    assert client.get(TRAINER, query_string={**query, "lt": learner}).status_code == 403
    missing = {"occasion": AUTUMN + "-nope", "lt": admin}
    assert client.get(TRAINER, query_string=missing).status_code == 404
