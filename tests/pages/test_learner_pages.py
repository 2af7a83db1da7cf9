"""The learner's journey and course pages, and the task actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.pages.conftest import (
    COURSE,
    TASK_BBIC,
    TASK_FILM,
    Launches,
    csrf_of,
    launch,
)
from tests.pages.recording_journal import RecordingJournal
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.view_models import find_course, find_task
from yrkesresan_lti.catalog import CourseOccasion
from yrkesresan_lti.exceptions import CatalogError
from yrkesresan_lti.lti.context import LaunchContext


def course_page(client: FlaskClient, token: str) -> str:
    response = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post(client: FlaskClient, path: str, token: str, task: str, csrf: str) -> object:
    return client.post(path, data={"lt": token, "csrf_token": csrf, "task": task})


def test_plain_launch_lands_on_the_journey_road(client: FlaskClient, launches: Launches) -> None:
    token = launches.add(launch())
    start = client.get("/pages/", query_string={"lt": token})
    assert start.status_code == 303
    page = client.get(start.headers["Location"]).get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert 'class="road"' in page
    assert "Ny" in page
    assert "Van" in page
    assert "0–2 år" in page
    assert "Samtal med barn" in page


def test_deep_link_to_a_task_opens_its_course_at_the_task(
    client: FlaskClient, launches: Launches
) -> None:
    token = launches.add(launch(custom={"yrkesresan_node": TASK_FILM}))
    start = client.get("/pages/", query_string={"lt": token})
    assert "/pages/course?" in start.headers["Location"]
    assert start.headers["Location"].endswith("#n-film-samtal")


def test_course_page_shows_goals_three_parts_and_task_details(
    client: FlaskClient, launches: Launches
) -> None:
    page = course_page(client, launches.add(launch()))
    for text in (
        "Kunskapsmål",
        "Förberedelser",
        "Kursdagar",
        "Efterarbete",
        "Varför?",
        "45 min",
        "Handbok",
        "Film",
        "Göteborg",
        "Markera som klar",
        "Kvar: 2 h 5 min",
        "0 av 4 klara (0 %)",  # the whole course: 3 tasks and its course days (1 unregistered)
    ):
        assert text in page, text


def test_marking_done_moves_progress_and_undo_reverts_it(
    client: FlaskClient, launches: Launches, events: RecordingJournal
) -> None:
    token = launches.add(launch())
    csrf = csrf_of(course_page(client, token))
    response = client.post(
        "/pages/task/done", data={"lt": token, "csrf_token": csrf, "task": TASK_BBIC}
    )
    assert response.status_code == 303
    # the 303 is all headers (no "Redirecting..." note): gunicorn sends it in one write
    assert (response.headers["Content-Length"], response.get_data()) == ("0", b"")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 av 4 klara (25 %)" in page  # 3 tasks and the course days
    assert "”Läs om BBIC” är markerad som klar." in page
    assert "Kvar: 1 h 20 min" in page
    client.post("/pages/task/undo", data={"lt": token, "csrf_token": csrf, "task": TASK_BBIC})
    assert "0 av 4 klara (0 %)" in course_page(client, token)
    kinds = [kind for kind, _ in events.events]
    assert kinds == ["completed", "undone"]
    completed, undone = events.events[0][1], events.events[1][1]
    assert undone.voided_statement_id == completed.statement_id
    assert completed.progress.overall.done == 1


def test_marking_done_twice_records_one_completion(
    client: FlaskClient, launches: Launches, events: RecordingJournal
) -> None:
    token = launches.add(launch())
    csrf = csrf_of(course_page(client, token))
    for _ in range(2):
        client.post("/pages/task/done", data={"lt": token, "csrf_token": csrf, "task": TASK_BBIC})
    assert [kind for kind, _ in events.events] == ["completed"]


def test_opening_a_task_records_it_and_redirects_to_the_resource(
    client: FlaskClient, launches: Launches, events: RecordingJournal
) -> None:
    token = launches.add(launch())
    csrf = csrf_of(course_page(client, token))
    response = client.post(
        "/pages/task/open", data={"lt": token, "csrf_token": csrf, "task": TASK_FILM}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "https://example.org/film"
    assert events.events[0][0] == "opened"


def test_a_form_without_the_launchs_csrf_token_is_refused(
    client: FlaskClient, launches: Launches, events: RecordingJournal
) -> None:
    token = launches.add(launch())
    other = launches.add(launch("learner-2"))
    foreign_csrf = csrf_of(course_page(client, other))
    for csrf in ("", "0" * 64, foreign_csrf, "é" * 64):  # non-ASCII: compare_digest raised
        response = client.post(
            "/pages/task/done", data={"lt": token, "csrf_token": csrf, "task": TASK_BBIC}
        )
        assert response.status_code == 403
    assert events.events == []
    assert "0 av 4 klara" in course_page(client, token)


def test_without_a_launch_token_the_page_says_to_start_again(client: FlaskClient) -> None:
    response = client.get("/pages/journey")
    assert response.status_code == 401
    assert response.headers["X-Yrkesresan-Error"] == "LaunchExpired"


def test_unknown_task_is_a_client_error(client: FlaskClient, launches: Launches) -> None:
    token = launches.add(launch())
    csrf = csrf_of(course_page(client, token))
    response = client.post(
        "/pages/task/done", data={"lt": token, "csrf_token": csrf, "task": "javascript:alert(1)"}
    )
    assert response.status_code == 400


def test_english_from_the_launch_locale(client: FlaskClient, launches: Launches) -> None:
    page = course_page(client, launches.add(launch(locale="en-GB")))
    assert '<html lang="en">' in page
    assert "Mark as done" in page
    assert "Talking with children" in page
    assert "Preparation" in page


def test_english_from_accept_language(client: FlaskClient, launches: Launches) -> None:
    token = launches.add(launch())
    response = client.get(
        "/pages/course",
        query_string={"lt": token, "course": COURSE},
        headers={"Accept-Language": "en-US,en;q=0.9"},
    )
    assert "Mark as done" in response.get_data(as_text=True)


def test_pages_send_a_strict_content_security_policy(
    client: FlaskClient, launches: Launches
) -> None:
    token = launches.add(launch())
    response = client.get("/pages/journey", query_string={"lt": token})
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_static_assets_are_fingerprinted_and_cached(
    client: FlaskClient, launches: Launches
) -> None:
    page = client.get("/pages/journey", query_string={"lt": launches.add(launch())})
    html = page.get_data(as_text=True)
    css_url = html.split('<link rel="stylesheet" href="')[1].split('"')[0]
    assert "?v=" in css_url
    with client.get(css_url.replace("&amp;", "&")) as asset:
        assert asset.status_code == 200
        assert asset.cache_control.max_age == 365 * 24 * 3600
        assert asset.headers["ETag"]
    with client.get(css_url.split("?")[0] + "?v=old") as stale:
        assert stale.cache_control.no_cache


def test_a_task_url_that_is_not_http_never_becomes_a_link(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    catalog = PagesService.of(app).catalog()
    _, task = find_task(catalog, TASK_FILM)
    object.__setattr__(task, "url", "javascript:alert(1)")  # a catalog would refuse it
    token = launches.add(launch())
    page = course_page(client, token)
    assert "javascript:" not in page
    assert "Resursen saknar en giltig länk." in page
    response = client.post(
        "/pages/task/open", data={"lt": token, "csrf_token": csrf_of(page), "task": TASK_FILM}
    )
    assert response.status_code == 400


def test_the_learners_own_occasion_is_shown_when_registered(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    def registered(launch: LaunchContext, course_iri: str) -> CourseOccasion | None:
        return find_course(PagesService.of(app).catalog(), course_iri).occasions[0]

    app = make_app(occasion=registered)
    page = course_page(app.test_client(), launches.add(launch()))
    assert "Du är anmäld till det här kurstillfället." in page
    assert "9 mars 2027" in page
    assert "09:00–16:00" in page


def test_a_catalog_that_does_not_validate_is_a_503_page_not_a_500(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    """After a bad deploy of the catalog, a learner sees our page that says what is wrong
    and to come back (Retry-After), the operator the problem count in the log."""

    def broken() -> Any:
        raise CatalogError("1 error(s) in catalog", reason="invalid")

    PagesService.of(app).catalog = broken
    response = client.get("/pages/journey", query_string={"lt": launches.add(launch())})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert response.headers["X-Yrkesresan-Error"] == "CatalogError"
    assert "katalog kan inte läsas just nu" in response.get_data(as_text=True)
