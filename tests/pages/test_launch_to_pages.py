"""The real LTI launch (platform simulator, OIDC) lands on the pages, per role and node."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from tests.lti_fixtures import LaunchClientFactory
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.lti.context import LaunchContext

COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"


def reload_url(page: str) -> str:
    """The page's own GET URL, which static/pages.js puts in the address bar."""
    found = re.search(r'<body data-reload-url="([^"]*)"', page)
    assert found is not None, page[:300]
    return html.unescape(found[1])


def test_a_plain_launch_lands_on_the_journeys(launched_client: LaunchClientFactory) -> None:
    learner = launched_client("learner")
    # the launch answers with the first real page itself (no 303, no hop through /pages/)
    answer = learner.response
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors" in answer.headers["Content-Security-Policy"]  # the page's headers
    chooser = answer.get_data(as_text=True)
    # the example catalog has two journeys: the learner picks one, then sees its road
    assert "Välj yrkesresa" in chooser
    assert "Funktionshinder" in chooser
    first = answer.headers["Content-Location"]
    assert urlsplit(first).path == "/pages/journey"
    assert reload_url(chooser) == first
    again = learner.client.get(first)  # a reload: a GET of the same page
    assert again.status_code == 200
    assert "Välj yrkesresa" in again.get_data(as_text=True)
    assert "data-reload-url" not in again.get_data(as_text=True)  # only in the launch's answer
    road = learner.get("/pages/journey?journey=barn-och-unga").get_data(as_text=True)
    assert 'class="road"' in road


def test_a_deep_linked_course_opens_that_course(launched_client: LaunchClientFactory) -> None:
    learner = launched_client("learner", custom={"yrkesresan_node": COURSE})
    page = learner.response.get_data(as_text=True)
    assert "Förberedelser" in page
    first = reload_url(page)  # with the node's anchor, for pages.js to scroll to
    assert "/pages/course?" in first
    assert learner.response.headers["Content-Location"] == first.split("#")[0]
    start = learner.get("/pages/")  # an old link to /pages/ still leads to the same page
    assert start.headers["Location"] == first


def test_a_manager_launch_lands_on_the_staff_view(launched_client: LaunchClientFactory) -> None:
    manager = launched_client("manager")
    assert urlsplit(manager.response.headers["Content-Location"]).path == "/pages/staff/"


def test_a_launch_of_a_removed_node_answers_404(launched_client: LaunchClientFactory) -> None:
    gone = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/finns-inte"
    learner = launched_client("learner", custom={"yrkesresan_node": gone})
    assert learner.response.status_code == 303  # no first page to serve: the old redirect
    assert (
        learner.client.get(learner.response.headers["Location"], follow_redirects=True).status_code
        == 404
    )


def test_the_launch_itself_registers_the_learner(launched_client: LaunchClientFactory) -> None:
    launched_client("learner")  # no page visited after the launch
    manager = launched_client("manager")
    assert "Lina Larsson" in manager.get("/pages/staff/").get_data(as_text=True)


def test_the_manager_sees_the_learner_who_launched(launched_client: LaunchClientFactory) -> None:
    learner = launched_client("learner")
    learner.get("/pages/")
    manager = launched_client("manager")
    page = manager.get("/pages/staff/").get_data(as_text=True)
    assert "Lina Larsson" in page
    mentor = launched_client("mentor")
    assert "Lina Larsson" in mentor.get("/pages/staff/").get_data(as_text=True)


def test_the_first_page_of_a_launch_tells_the_unread_notices(
    launch_app: Flask, launched_client: LaunchClientFactory
) -> None:
    """The launch reads them in its own transaction and hands them to its first page."""
    first = launched_client("learner")
    pages = PagesService.of(launch_app)
    with launch_app.app_context(), pages.sessions() as db:
        OccasionService.of(launch_app).notices.add(
            db,
            Scope.of(first.context),
            first.context.sub,
            occasion_iri="https://yrkesresan.se/id/occasions/finns-inte",
            kind="cancelled",
            details={},
            now=pages.clock.now(),
        )
    told = "Kurstillfället finns-inte är inställt."
    again = launched_client("learner")
    shown = again.response.get_data(as_text=True)
    assert told in shown
    notice = shown.split('name="notice" value="')[1].split('"')[0]
    fields = dict(re.findall(r'name="(lt|csrf_token)" value="([^"]*)"', shown))
    read = again.client.post("/pages/notices/read", data={**fields, "notice": notice})
    assert read.status_code == 303
    assert told not in launched_client("learner").response.get_data(as_text=True)
    colleague = launched_client("manager")  # someone else's first page: not theirs
    assert told not in colleague.response.get_data(as_text=True)


def test_the_first_page_in_place_takes_the_launch_it_was_handed(
    launch_app: Flask, launched_client: LaunchClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The launch hands its context and new token to the page it renders in place, which
    does not look its own token up again; every other request still does."""
    sessions = AdapterState.of(launch_app).services.launch_sessions
    looked_up: list[str | None] = []
    resolve = sessions.resolve

    def counted(token: str | None) -> LaunchContext:
        looked_up.append(token)
        return resolve(token)

    monkeypatch.setattr(sessions, "resolve", counted)
    learner = launched_client("learner")
    assert learner.response.status_code == 200
    assert "Välj yrkesresa" in learner.response.get_data(as_text=True)
    assert looked_up == [learner.token]  # the fixture's own look-up, after the launch
    first = learner.response.headers["Content-Location"]
    assert parse_qs(urlsplit(first).query)["lt"] == [learner.token]
    assert learner.client.get(first).status_code == 200  # a reload checks its token
    assert looked_up == [learner.token, learner.token]
    assert learner.client.get(first.replace("lt=", "lt=x")).status_code == 401
