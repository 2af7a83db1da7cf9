"""The demo platform at ``/demo`` as a small LMS: deep linking places a course, the placed
link launches into it, the learner's progress reaches the demo gradebook through AGS.

Everything runs through the Flask test client the way a browser clicks the demo: the real
OIDC login and launch, the tool's picker, its signed deep-linking response, the pages, and
the delivery worker posting the queued AGS score to the demo platform (in-process).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.lti_fixtures import make_app
from yrkesresan_adapter.delivery.worker import delivery_worker
from yrkesresan_adapter.demo.lms import DemoPlatform
from yrkesresan_adapter.demo.lms_state import DemoPlatformStore, DemoState
from yrkesresan_adapter.lti.session import TOKEN_PARAM, sessions
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Course, default_catalog_path, load_catalog
from yrkesresan_lti.lti.advantage.ags import AgsEndpoint, Score
from yrkesresan_lti.lti.advantage.deep_linking import DATA_CLAIM
from yrkesresan_lti.lti.rsa_keys import generate_signing_key
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.testing.claims import SimLaunch

TOKEN_URL = "http://localhost/demo/platform/token"


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    checkboxes: list[str] = field(default_factory=list)
    text: str = ""


class Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._open: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._open = Form(values.get("action", ""), values.get("method", "get").lower())
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and values.get("name"):
            if values.get("type") in ("checkbox", "radio"):
                self._open.checkboxes.append(values.get("value", ""))
            else:
                self._open.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.text += data


def forms_of(response: TestResponse) -> list[Form]:
    parser = Forms()
    parser.feed(response.get_data(as_text=True))
    return parser.forms


def form_with(response: TestResponse, text: str, index: int = 0) -> Form:
    found = [f for f in forms_of(response) if text in " ".join(f.text.split())]
    assert len(found) > index, f"no form with {text!r}: {response.get_data(as_text=True)[:800]}"
    return found[index]


def post(client: FlaskClient, form: Form, **extra: str) -> TestResponse:
    response = client.post(form.action, data={**form.fields, **extra})
    assert response.status_code < 400, response.get_data(as_text=True)[:800]
    return response


def launch_from(client: FlaskClient, button: Form) -> TestResponse:
    """Login form → the platform's auth endpoint → its form_post → the tool's first page."""
    login = post(client, button)
    assert login.status_code == 302, login.get_data(as_text=True)[:500]
    auth_page = client.get(login.headers["Location"])
    assert auth_page.status_code == 200, auth_page.get_data(as_text=True)[:500]
    (id_token_form,) = forms_of(auth_page)
    launched = post(client, id_token_form)
    if launched.status_code == 303:  # not a resource link's first page: follow it
        return client.get(launched.headers["Location"], follow_redirects=True)
    assert launched.status_code == 200  # the first page, answered by the launch itself
    return launched


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path, demo=True)
    yield app
    AdapterState.of(app).services.db.dispose()


@pytest.fixture
def course() -> Course:
    catalog = load_catalog(default_catalog_path())
    return next(c for _, _, c in catalog.courses() if len(c.tasks) > 1)


def platform_of(app: Flask) -> DemoPlatform:
    platform: DemoPlatform = AdapterState.of(app).services.demo_platform
    return platform


def picker_return(client: FlaskClient, course: Course) -> tuple[str, str]:
    """Deep-linking launch from /demo, pick ``course``; the return form's (action, JWT)."""
    picker = launch_from(client, form_with(client.get("/demo/"), "Välj innehåll"))
    choose = next(f for f in forms_of(picker) if f.checkboxes)
    assert course.iri in choose.checkboxes
    answer = post(client, choose, node=course.iri, action="add")
    html = answer.get_data(as_text=True)
    action = re.search(r'<form id="deep-link-return" method="post" action="([^"]+)"', html)
    token = re.search(r'name="JWT" value="([^"]+)"', html)
    assert action is not None, html[:800]
    assert token is not None
    return unescape(action.group(1)), token.group(1)


def test_deep_linked_course_launches_and_its_score_reaches_the_gradebook(
    app: Flask, course: Course
) -> None:
    browser = app.test_client()
    return_url, token = picker_return(browser, course)
    assert return_url == "http://localhost/demo/platform/deep-linking/return"

    placed = browser.post(return_url, data={"JWT": token})
    assert placed.status_code == 200
    placed_html = placed.get_data(as_text=True)
    assert "Innehåll tillagt i demokursen" in placed_html
    assert course.title["sv"] in placed_html
    assert course.iri in placed_html

    start = browser.get("/demo/")
    assert course.title["sv"] in start.get_data(as_text=True)
    learner = app.test_client()
    course_page = launch_from(learner, form_with(learner.get("/demo/"), "deltagare", index=1))
    assert course.title["sv"] in course_page.get_data(as_text=True)  # that course opened

    marked = post(learner, form_with(course_page, "Markera som klar"))
    assert marked.status_code in (200, 303)
    assert "Lina Larsson" not in browser.get("/demo/platform/gradebook").get_data(as_text=True)
    report = delivery_worker(app).flush()
    assert report is not None

    gradebook = browser.get("/demo/platform/gradebook")
    html = gradebook.get_data(as_text=True)
    row = re.search(r'<th scope="row">Lina Larsson</th>(.*?)</tr>', html, re.S)
    assert row is not None, html
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert cells[0] == course.title["sv"]
    # a course with occasions counts its course days too: one item while Lina is registered
    # for none (the completion rule, docs/pages.md)
    assert cells[1] == f"1 / {len(course.tasks) + (1 if course.occasions else 0)}"
    assert cells[2:4] == ["InProgress", "FullyGraded"]  # Moodle records nothing else


def test_placed_link_launch_carries_node_and_its_own_line_item(app: Flask, course: Course) -> None:
    browser = app.test_client()
    return_url, token = picker_return(browser, course)
    post(browser, Form(return_url, "post", {"JWT": token}))
    (link,) = platform_of(app).store.links()
    manager = app.test_client()
    login = post(manager, form_with(manager.get("/demo/"), "chef", index=1))
    (id_token_form,) = forms_of(manager.get(login.headers["Location"]))
    launched = post(manager, id_token_form)
    first = launched.headers["Content-Location"]  # the staff view, served in the answer
    launch_token = parse_qs(urlsplit(first).query)[TOKEN_PARAM][0]
    with app.app_context():
        context = sessions().resolve(launch_token)
    assert context.resource_link_id == link.resource_link_id
    assert context.resource_link_title == course.title["sv"]
    assert context.custom == {"yrkesresan_node": course.iri}
    assert context.ags is not None
    assert context.ags["lineitem"] == (
        f"http://localhost/demo/platform/lineitems/{link.id}/lineitem?type_id=1"
    )


def test_a_plain_demo_launch_has_no_line_item(app: Flask) -> None:
    platform = platform_of(app)
    claims = platform.claims(SimLaunch("learner"), nonce="n")
    ags = claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]
    assert "lineitem" not in ags
    assert ags["lineitems"] == "http://localhost/demo/platform/lineitems?type_id=1"


def _resigned(token: str, key: tuple[str, str], **changes: Any) -> str:
    """``token``'s claims with ``changes`` (None deletes), signed with (private PEM, kid)."""
    claims = jwt.decode(token, options={"verify_signature": False})
    claims.update(changes)
    for name, value in changes.items():
        if value is None:
            del claims[name]
    return jwt.encode(claims, key[0], algorithm="RS256", headers={"kid": key[1]})


def test_forged_deep_link_responses_are_refused_and_nothing_is_placed(
    app: Flask, course: Course
) -> None:
    browser = app.test_client()
    return_url, token = picker_return(browser, course)
    with app.app_context():
        signing: SigningKey = AdapterState.of(app).services.tool_keys.signing_key()
    tool_key = (signing.private_key_pem, signing.kid)
    forged = {
        "another key": _resigned(token, (generate_signing_key().private_key_pem, signing.kid)),
        "wrong aud": _resigned(token, tool_key, aud="https://other-lms.example"),
        "wrong iss": _resigned(token, tool_key, iss="someone-else"),
        "no data": _resigned(token, tool_key, **{DATA_CLAIM: None}),
        "foreign data": _resigned(token, tool_key, **{DATA_CLAIM: "x.y.z"}),
        "wrong type": _resigned(
            token,
            tool_key,
            **{"https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiResourceLinkRequest"},
        ),
        "empty": "",
    }
    for name, bad in forged.items():
        answer = browser.post(return_url, data={"JWT": bad})
        assert answer.status_code == 400, name
        assert "Demoplattformen tog inte emot svaret" in answer.get_data(as_text=True), name
    assert platform_of(app).store.links() == []
    assert "Inga ännu" in browser.get("/demo/").get_data(as_text=True)

    assert browser.post(return_url, data={"JWT": token}).status_code == 200
    assert browser.post(return_url, data={"JWT": token}).status_code == 400  # replayed
    assert len(platform_of(app).store.links()) == 1


def test_services_need_a_token_from_a_client_assertion_signed_by_the_tool(app: Flask) -> None:
    client = app.test_client()
    stranger = generate_signing_key()
    assertion = jwt.encode(
        {
            "iss": "yrkesresan-demo",
            "sub": "yrkesresan-demo",
            "aud": TOKEN_URL,
            "iat": 1_900_000_000 - 10**9,
            "exp": 4_000_000_000,
            "jti": "j-1",
        },
        stranger.private_key_pem,
        algorithm="RS256",
        headers={"kid": stranger.kid},
    )
    refused = client.post(
        "/demo/platform/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "scope": "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        },
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "invalid_client"
    memberships = client.get("/demo/platform/nrps/kurs-1/memberships")
    assert memberships.status_code == 401


def test_the_roster_lists_the_demo_users_through_nrps(app: Flask) -> None:
    state = AdapterState.of(app)
    platform = platform_of(app)
    with app.app_context():
        registration = platform.register(state.services.platforms)
        roster = state.services.advantage.nrps.roster(
            registration, f"{platform.issuer}/nrps/kurs-1/memberships"
        )
    names = {m.name: m.is_learner for m in roster.members}
    assert names == {
        "Lina Larsson": True,
        "Maja Månsson": False,
        "Tove Tränare": False,
        "Ali Andersson": False,
        "Mona Mentorsson": False,
        "Nils Noneditor": True,  # a non-editing teacher: Moodle's NRPS says Learner
    }
    raw = app.test_client().get(
        "/demo/platform/nrps/kurs-1/memberships",
        headers={"Authorization": f"Bearer {_nrps_token(app)}"},
    )
    roles = {m["name"]: m["roles"] for m in raw.get_json()["members"]}
    assert roles["Lina Larsson"] == roles["Nils Noneditor"] == ["Learner"]  # short, as Moodle
    assert roles["Maja Månsson"] == ["Instructor"]


def _nrps_token(app: Flask) -> str:
    platform = platform_of(app)
    now = int(datetime.now(UTC).timestamp())
    return platform.sign(
        {
            "iss": platform.issuer,
            "aud": TOKEN_URL,
            "iat": now,
            "exp": now + 60,
            "jti": "nrps-test",
            "scope": "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
        }
    )


def _page_token(response: TestResponse) -> str:
    """The launch token of the page's URL (its ``Content-Location`` when a launch served it)."""
    url = response.headers.get("Content-Location") or response.request.url
    return parse_qs(urlsplit(url).query)[TOKEN_PARAM][0]


def test_a_non_editing_teacher_is_on_the_staff_list_until_they_launch(app: Flask) -> None:
    client = app.test_client()
    boss = _page_token(launch_from(client, form_with(client.get("/demo/"), "Starta som chef")))
    before = client.get("/pages/staff/", query_string={TOKEN_PARAM: boss})
    assert "Lina Larsson" in before.get_data(as_text=True)
    assert "Nils Noneditor" in before.get_data(as_text=True)  # the roster says Learner
    teacher = launch_from(client, form_with(client.get("/demo/"), "utan redigeringsrätt"))
    assert teacher.status_code == 200
    after = client.get("/pages/staff/", query_string={TOKEN_PARAM: boss}).get_data(as_text=True)
    assert "Lina Larsson" in after
    assert "Nils Noneditor" not in after  # their launch said Instructor


def test_gradebook_without_scores_says_what_to_do(app: Flask) -> None:
    page = app.test_client().get("/demo/platform/gradebook")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert "Inga resultat ännu" in html


def test_store_changes_from_many_threads_and_two_handles_are_not_lost(tmp_path: Path) -> None:
    # Two handles on one file stand for two worker processes: only flock orders them.
    stores = [DemoPlatformStore(tmp_path / "demo.json"), DemoPlatformStore(tmp_path / "demo.json")]

    def bump(state: DemoState) -> None:
        state["next_id"] += 1

    threads = [
        threading.Thread(target=lambda s=stores[i % 2]: [s.update(bump) for _ in range(10)])
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stores[0].read()["next_id"] == 1 + 8 * 10


def test_a_failed_change_saves_nothing(tmp_path: Path) -> None:
    store = DemoPlatformStore(tmp_path / "demo.json")
    store.update(lambda state: state["links"].append({"id": 1, "title": "A"}))

    def broken(state: DemoState) -> None:
        state["links"].clear()
        raise ValueError("halfway")

    with pytest.raises(ValueError, match="halfway"):
        store.update(broken)
    assert [link.title for link in store.links()] == ["A"]


def _access_token(app: Flask, scope: str) -> str:
    state = AdapterState.of(app)
    platform = platform_of(app)
    with app.app_context():
        registration = platform.register(state.services.platforms)
        assertion = state.services.advantage.tokens.client_assertion(registration)
    answer = app.test_client().post(
        "/demo/platform/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "scope": scope,
        },
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    token: str = answer.get_json()["access_token"]
    return token


def test_gradebook_is_as_strict_as_moodle(app: Flask, course: Course) -> None:
    browser = app.test_client()
    return_url, token = picker_return(browser, course)
    post(browser, Form(return_url, "post", {"JWT": token}))
    (link,) = platform_of(app).store.links()
    bearer = _access_token(app, "https://purl.imsglobal.org/spec/lti-ags/scope/score")
    url = f"/demo/platform/lineitems/{link.id}/lineitem/scores?type_id=1"

    def score(user: str, given: int, at: str, grading: str = "FullyGraded") -> int:
        body = {
            "userId": user,
            "scoreGiven": given,
            "scoreMaximum": 3,
            "activityProgress": "InProgress",
            "gradingProgress": grading,
            "timestamp": at,
        }
        answer = browser.post(
            url,
            json=body,
            headers={
                "Authorization": f"Bearer {bearer}",
                "Content-Type": "application/vnd.ims.lis.v1.score+json",
            },
        )
        return answer.status_code

    def grades() -> list[tuple[str, float | None, float | None]]:
        rows = AdapterState.of(app).services.demo_services.gradebook.rows()
        return [(r.learner, r.score_given, r.score_maximum) for r in rows]

    assert score("sim-learner-1", 2, "2026-11-22T08:00:00.000+00:00") == 200
    assert grades() == [("Lina Larsson", 2, 3)]
    assert score("sim-learner-1", 1, "2026-11-22T07:00:00.000+00:00") == 409  # older
    assert score("sim-learner-1", 1, "2026-11-22T08:00:00.900+00:00") == 409  # same second
    assert score("sim-manager-1", 3, "2026-11-22T08:00:05.000+00:00") == 400
    assert score("sim-learner-1", 1, "yesterday") == 400
    assert grades() == [("Lina Larsson", 2, 3)]
    # Not FullyGraded: Moodle drops scoreGiven, and the grade becomes empty.
    assert score("sim-learner-1", 1, "2026-11-22T08:00:01.000+00:00", "Pending") == 200
    assert grades() == [("Lina Larsson", None, 3)]
    assert browser.post(url, json={}).status_code == 415  # no score media type


def test_an_unreadable_demo_course_file_is_a_clear_503(app: Flask) -> None:
    platform_of(app).store.path.write_text("{not json", encoding="utf-8")
    client = app.test_client()
    for path in ("/demo/", "/demo/platform/gradebook"):
        answer = client.get(path)
        assert answer.status_code == 503, path
        assert "Ta bort filen" in answer.get_data(as_text=True)


def test_the_library_ags_client_creates_finds_scores_and_reads_results(app: Flask) -> None:
    state = AdapterState.of(app)
    platform = platform_of(app)
    claim = platform.claims(SimLaunch("learner"), nonce="n")[
        "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
    ]
    endpoint = AgsEndpoint.from_claim(claim)
    assert endpoint is not None
    node = "https://yrkesresan.se/id/journeys/x/courses/y"
    with app.app_context():
        registration = platform.register(state.services.platforms)
        ags = state.services.advantage.ags
        url = ags.find_or_create_line_item(
            registration, endpoint, resource_id=node, label="Kurs Y", score_maximum=4
        )
        again = ags.find_or_create_line_item(
            registration, endpoint, resource_id=node, label="Kurs Y", score_maximum=4
        )
        at = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
        ags.post_score(registration, url, Score.for_progress("sim-learner-1", 3, 4, at))
        results = ags.results(registration, url)
    assert again == url
    assert url.endswith("/lineitem?type_id=1")
    assert [(r["userId"], r["resultScore"]) for r in results] == [("sim-learner-1", 75)]
    rows = state.services.demo_services.gradebook.rows()
    assert [(r.title, r.score_given, r.activity_progress) for r in rows] == [
        ("Kurs Y", 3, "InProgress")
    ]


def test_the_demo_trainer_and_coordinator_reach_their_occasion_pages(app: Flask) -> None:
    client = app.test_client()
    trainer = _page_token(launch_from(client, form_with(client.get("/demo/"), "som utbildare")))
    mine = client.get("/pages/trainer/", query_string={TOKEN_PARAM: trainer})
    assert mine.status_code == 200
    html = mine.get_data(as_text=True)
    assert "Mina kurstillfällen" in html
    assert "Deltagare och närvaro" in html  # she trains occasions of the example catalog
    admin = _page_token(launch_from(client, form_with(client.get("/demo/"), "samordnare")))
    listing = client.get("/pages/admin/occasions/", query_string={TOKEN_PARAM: admin})
    assert listing.status_code == 200
    assert "Lägg till kurstillfälle" in listing.get_data(as_text=True)
    assert "Din lärplattform samordnar: " in listing.get_data(as_text=True)
    assert "Ändra" in listing.get_data(as_text=True)  # the example catalog's occasions


def test_the_demo_coordinator_gets_the_region_of_an_occasion_imported_later(app: Flask) -> None:
    client = app.test_client()
    admin = _page_token(launch_from(client, form_with(client.get("/demo/"), "samordnare")))
    services = AdapterState.of(app).services
    simulator = services.demo_platform
    assert simulator is not None
    occasions = OccasionService.of(app)
    with app.app_context(), PagesService.of(app).sessions() as db:
        plan = occasions.plans.find(db)[0]
        moved = replace(plan, slug="ny-region", region="Region Ny")
        occasions.plans.save(db, moved, source="csv", now=datetime(2027, 1, 10, tzinfo=UTC))
    client.get("/demo/")  # the demo page: the demo platform coordinates it too
    with app.app_context(), PagesService.of(app).sessions() as db:
        regions = occasions.regions.of_platform(db, simulator.issuer, simulator.client_id)
    assert "Region Ny" in regions
    listing = client.get("/pages/admin/occasions/", query_string={TOKEN_PARAM: admin})
    assert "ny-region" in listing.get_data(as_text=True)
