"""Occasions are owned by a region: an administrator changes only the occasions of the regions
their platform (issuer, client_id) coordinates, on SQLite and PostgreSQL. Another region's
occasion is not listed, and a forged post for it is a 403 that changes nothing; a platform
with no region is told what the operator must run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.launch_factory import CLIENT_ID, ISSUER
from tests.pages.conftest import COURSE, Launches, launch, load_test_catalog
from tests.pages.recording_journal import RecordingJournal
from tests.pages.test_occasion_admin_pages import NEW
from tests.pages.test_occasion_pages import AUTUMN, JANUARY
from yrkesresan_adapter import create_app
from yrkesresan_adapter.pages.occasions import OccasionService, Trainer
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.occasion_plan import PlannedOccasion
from yrkesresan_lti.settings import Settings

ADMIN = "/pages/admin/occasions/"
SEEDED = "Göteborgsregionen (GR)"
"""The test catalog's occasions' region (its journey's responsible organisation)."""
CANVAS_CLIENT = "canvas-skane"
"""A second tenant on the same issuer (Canvas keys tenants by client_id)."""


@pytest.fixture
def app(tmp_path: Path, database_url: str, launches: Launches) -> Iterator[Flask]:
    settings = Settings(
        instance_path=tmp_path / "instance", database_url=database_url, _env_file=None
    )
    app = create_app(settings)
    catalog = load_test_catalog(tmp_path)
    service = PagesService.of(app)
    service.catalog = lambda: catalog
    service.resolve_launch = launches
    service.events = RecordingJournal()
    service.roster = None
    service.clock = FakeClock(JANUARY)
    overlay = OccasionService.of(app).overlay
    assert overlay is not None
    overlay.seed(catalog, now=JANUARY)
    yield app
    AdapterState.of(app).services.db.dispose()


def _coordinates(app: Flask, client_id: str, *regions: str) -> None:
    with PagesService.of(app).sessions() as db:
        OccasionService.of(app).regions.set(db, ISSUER, client_id, regions)


def _admin(launches: Launches, sub: str, client_id: str = CLIENT_ID) -> tuple[str, str]:
    """(token, CSRF token) of an Administrator launching from the platform ``client_id``."""
    context = launch(sub, role=ToolRole.ADMIN, client_id=client_id)
    return launches.add(context), context.launch_id


def _post(
    app: Flask, client: FlaskClient, admin: tuple[str, str], path: str, data: dict[str, str]
) -> int:
    token, launch_id = admin
    csrf = PagesService.of(app).csrf.token(launch_id)
    response = client.post(ADMIN + path, data={"lt": token, "csrf_token": csrf, **data})
    return response.status_code


def _plan(app: Flask, iri: str) -> PlannedOccasion | None:
    with PagesService.of(app).sessions() as db:
        return OccasionService.of(app).plans.get(db, iri)


def _audit(app: Flask, iri: str) -> list[str]:
    with PagesService.of(app).sessions() as db:
        return [e.action for e in OccasionService.of(app).plans.audit_trail(db, iri)]


def test_a_platform_with_no_region_is_told_what_to_run_and_changes_nothing(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    admin = _admin(launches, "adm")
    page = client.get(ADMIN, query_string={"lt": admin[0]})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Lärplattformen samordnar ingen region" in html
    assert f"yrkesresan platform set-region {ISSUER} REGION --client-id {CLIENT_ID}" in html
    assert "Lägg till kurstillfälle" not in html
    assert AUTUMN not in html  # no occasion listed
    assert client.get(ADMIN + "new", query_string={"lt": admin[0]}).status_code == 403
    assert _post(app, client, admin, "new", NEW) == 403
    assert _plan(app, f"{COURSE}/occasions/ht-2028") is None
    assert _post(app, client, admin, "cancel", {"occasion": AUTUMN}) == 403
    plan = _plan(app, AUTUMN)
    assert plan is not None
    assert plan.status.value == "open"
    assert _audit(app, AUTUMN) == ["imported"]


def test_each_platform_sees_and_changes_only_its_own_regions_occasions(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    _coordinates(app, CLIENT_ID, SEEDED, "GR")
    _coordinates(app, CANVAS_CLIENT, "Region Skåne")
    gr, skane = _admin(launches, "adm-gr"), _admin(launches, "adm-skane", CANVAS_CLIENT)

    own = client.get(ADMIN, query_string={"lt": gr[0]}).get_data(as_text=True)
    assert "Digitalt, hösten 2027" in own
    assert "Din lärplattform samordnar: GR, Göteborgsregionen (GR)." in own
    other = client.get(ADMIN, query_string={"lt": skane[0]}).get_data(as_text=True)
    assert "Din lärplattform samordnar: Region Skåne." in other
    assert "Digitalt, hösten 2027" not in other
    assert "Inga kurstillfällen är planerade ännu." in other

    # Skåne's administrator opens or forges posts for GR's occasion: 403, nothing changes
    for path in ("edit", "cancel"):
        query = {"lt": skane[0], "occasion": AUTUMN}
        assert client.get(ADMIN + path, query_string=query).status_code == 403
    before = _plan(app, AUTUMN)
    edit = {"occasion": AUTUMN, "region": "Region Skåne", "capacity": "99", "status": "open"}
    assert _post(app, client, skane, "edit", edit) == 403
    assert _post(app, client, skane, "cancel", {"occasion": AUTUMN}) == 403
    assert _post(app, client, skane, "new", NEW) == 403  # NEW is a GR occasion
    assert _plan(app, AUTUMN) == before
    assert _plan(app, f"{COURSE}/occasions/ht-2028") is None
    assert _audit(app, AUTUMN) == ["imported"]

    # GR's administrator may not hand an occasion to another region either
    assert _post(app, client, gr, "new", {**NEW, "region": "Region Skåne"}) == 403
    assert _plan(app, f"{COURSE}/occasions/ht-2028") is None
    # ... but adds and cancels its own
    assert _post(app, client, gr, "new", NEW) == 303
    assert _post(app, client, gr, "cancel", {"occasion": AUTUMN}) == 303
    plan = _plan(app, AUTUMN)
    assert plan is not None
    assert plan.status.value == "cancelled"
    # the new occasion is GR's: Skåne still does not see it
    other = client.get(ADMIN, query_string={"lt": skane[0]}).get_data(as_text=True)
    assert "Hösten 2028" not in other


def test_the_form_offers_only_the_platforms_regions_and_their_trainers(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    _coordinates(app, CLIENT_ID, "GR")
    _coordinates(app, CANVAS_CLIENT, "Region Skåne")
    with PagesService.of(app).sessions() as db:
        plans = OccasionService.of(app).plans
        plans.put_trainer(db, Trainer("sara-skane", "Region Skåne", "Sara Skånsk"))
        plans.put_trainer(db, Trainer("greta-gr", "GR", "Greta Göteborg"))
    gr = _admin(launches, "adm-gr")
    form = client.get(ADMIN + "new", query_string={"lt": gr[0]}).get_data(as_text=True)
    assert '<option value="GR" selected>GR</option>' in form
    assert "Region Skåne" not in form
    assert "Greta Göteborg" in form
    assert "Sara Skånsk" not in form
    # a forged trainer of another region is an unknown trainer: 400, nothing saved
    status = _post(app, client, gr, "new", {**NEW, "trainers": "sara-skane"})
    assert status == 400
    assert _plan(app, f"{COURSE}/occasions/ht-2028") is None
