"""The admin page of occasions: an administrator adds, changes and cancels occasions with
the CLI's rules and an audit entry naming them; bad input is a 400 with every reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.launch_factory import CLIENT_ID, ISSUER
from tests.pages.conftest import COURSE, Launches, csrf_of, launch
from tests.pages.test_occasion_pages import AUTUMN, JANUARY, learners, manager, register
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_lti.lti.context import ToolRole

ADMIN = "/pages/admin/occasions/"
REGIONS = ("GR", "Göteborgsregionen (GR)")
"""A new occasion's region and the seeded ones' (the journey's responsible organisation)."""
NEW = {
    "course": COURSE,
    "slug": "ht-2028",
    "title": "Hösten 2028",
    "region": "GR",
    "days": "2028-09-14 09:00-16:00\n2028-09-28 09:00-16:00",
    "capacity": "20",
    "deadline": "2028-09-01",
    "place": "Göteborg",
    "status": "open",
}


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    app = make_app(clock=FakeClock(JANUARY))
    overlay = OccasionService.of(app).overlay
    assert overlay is not None
    overlay.seed(PagesService.of(app).catalog(), now=JANUARY)
    with PagesService.of(app).sessions() as db:  # the launches' platform coordinates GR
        OccasionService.of(app).regions.set(db, ISSUER, CLIENT_ID, REGIONS)
    return app


@pytest.fixture
def admin(launches: Launches) -> str:
    return launches.add(launch("adm", role=ToolRole.ADMIN))


def _post(client: FlaskClient, token: str, path: str, data: dict[str, object]) -> object:
    html = client.get(ADMIN + "new", query_string={"lt": token}).get_data(as_text=True)
    return client.post(ADMIN + path, data={"lt": token, "csrf_token": csrf_of(html), **data})


def _plan(app: Flask, iri: str) -> object:
    with PagesService.of(app).sessions() as db:
        return OccasionService.of(app).plans.get(db, iri)


def test_an_administrator_adds_an_occasion_and_the_audit_names_them(
    app: Flask, client: FlaskClient, admin: str
) -> None:
    listing = client.get(ADMIN, query_string={"lt": admin}).get_data(as_text=True)
    assert "Administrera kurstillfällen" in listing
    assert "Lägg till kurstillfälle" in listing
    added = _post(client, admin, "new", NEW)
    assert added.status_code == 303  # type: ignore[attr-defined]
    shown = client.get(added.headers["Location"]).get_data(as_text=True)  # type: ignore[attr-defined]
    iri = f"{COURSE}/occasions/ht-2028"
    assert f"Kurstillfället {iri} är tillagt." in shown
    assert "Hösten 2028" in shown
    plan = _plan(app, iri)
    assert plan is not None
    assert plan.capacity == 20
    with PagesService.of(app).sessions() as db:
        trail = OccasionService.of(app).plans.audit_trail(db, iri)
    assert [(e.actor, e.action) for e in trail] == [("adm", "created")]


def test_bad_input_is_a_400_with_an_error_summary_and_the_values_kept(
    app: Flask, client: FlaskClient, admin: str
) -> None:
    bad = {
        **NEW,
        "days": "2028-09-28 09:00-16:00\n2028-09-14 09:00-16:00",
        "deadline": "2028-10-01",
        "capacity": "tjugo",
    }
    refused = _post(client, admin, "new", bad)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    html = refused.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Kurstillfället sparades inte" in html
    assert 'href="#f-capacity"' in html
    assert "ange antalet platser som ett heltal" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="e-capacity"' in html
    assert "tjugo" in html  # kept
    bad = {**NEW, "days": "2028-09-28 09:00-16:00\n2028-09-14 09:00-16:00"}
    html = _post(client, admin, "new", bad).get_data(as_text=True)  # type: ignore[attr-defined]
    assert "är före dag 1" in html or "datumordning" in html
    assert _plan(app, f"{COURSE}/occasions/ht-2028") is None


def test_an_existing_slug_is_a_409(app: Flask, client: FlaskClient, admin: str) -> None:
    assert _post(client, admin, "new", NEW).status_code == 303  # type: ignore[attr-defined]
    again = _post(client, admin, "new", NEW)
    assert again.status_code == 409  # type: ignore[attr-defined]


def test_editing_below_the_registered_is_refused_and_a_raise_is_saved(
    app: Flask, client: FlaskClient, launches: Launches, admin: str
) -> None:
    learners(client, launches, "anna", "bo")
    register(client, manager(launches), AUTUMN, "anna", "bo")
    html = client.get(ADMIN + "edit", query_string={"lt": admin, "occasion": AUTUMN}).get_data(
        as_text=True
    )
    assert 'name="capacity"' in html
    form = {
        "occasion": AUTUMN,
        "region": "GR",
        "days": html.split('name="days"')[1].split(">", 1)[1].split("</textarea>")[0],
        "deadline": html.split('name="deadline" type="date" value="')[1].split('"')[0],
        "meeting_url": "https://meet.example.se/x",
        "status": "open",
    }
    refused = _post(client, admin, "edit", {**form, "capacity": "1"})
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "som redan är anmälda" in refused.get_data(as_text=True)  # type: ignore[attr-defined]
    saved = _post(client, admin, "edit", {**form, "capacity": "5"})
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert _plan(app, AUTUMN).capacity == 5  # type: ignore[attr-defined]


def test_cancelling_asks_first_then_cancels(app: Flask, client: FlaskClient, admin: str) -> None:
    asked = client.get(ADMIN + "cancel", query_string={"lt": admin, "occasion": AUTUMN})
    assert "Vill du ställa in kurstillfället?" in asked.get_data(as_text=True)
    done = _post(client, admin, "cancel", {"occasion": AUTUMN})
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert _plan(app, AUTUMN).status.value == "cancelled"  # type: ignore[attr-defined]


def test_only_administrators_and_only_with_the_csrf_token(
    app: Flask, client: FlaskClient, launches: Launches, admin: str
) -> None:
    boss = manager(launches)
    assert client.get(ADMIN, query_string={"lt": boss}).status_code == 403
    staff = client.get("/pages/staff/", query_string={"lt": boss}).get_data(as_text=True)
    assert "Administrera kurstillfällen" not in staff
    no_csrf = client.post(ADMIN + "new", data={"lt": admin, **NEW})
    assert no_csrf.status_code in (400, 403)
    assert _plan(app, f"{COURSE}/occasions/ht-2028") is None
    missing = client.get(ADMIN + "edit", query_string={"lt": admin, "occasion": AUTUMN + "x"})
    assert missing.status_code == 404
