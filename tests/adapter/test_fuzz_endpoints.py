"""Fuzzing every form and query endpoint, on SQLite and PostgreSQL: whatever a browser, an LMS
or an attacker sends, no answer is a 5xx (issue 12).

Requests carry a valid launch token and CSRF token (unless the example replaces them), so the
hostile fields reach the pages' own code; id_tokens are signed with the simulated platform's
key, so hostile claims reach the claim checks, and an accepted launch's pages are opened too.
Strategies: :mod:`tests.hostile` (NUL, lone surrogates, RTL overrides, 10 kB and 1 MB strings,
nested JSON, NaN/Infinity, huge integers, several values where one is due). Deterministic
(``derandomize``) and a few hundred examples in all.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.db_fixtures import BACKENDS, empty_database_url
from tests.hostile import (
    form_body,
    header_of,
    hostile_claim,
    hostile_json,
    hostile_key,
    hostile_text,
    sign_raw,
)
from tests.lti_fixtures import PLATFORM_ISSUER, TOOL_URL, attach_simulator, launch, make_app
from tests.lti_fixtures import platform_key as simulator_key
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Course
from yrkesresan_lti.lti import claims as c
from yrkesresan_lti.testing.claims import USERS, SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

FUZZ = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORM = "application/x-www-form-urlencoded"


class Refusing(requests.adapters.BaseAdapter):
    """Every outgoing call (registration's OpenID configuration) is answered 404 at once."""

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        answer = requests.Response()
        answer.status_code, answer.request, answer.url = 404, request, request.url or ""
        answer.raw = io.BytesIO(b"{}")  # a body to stream, as every real adapter gives
        return answer

    def close(self) -> None:
        return None


@dataclass
class Target:
    app: Flask
    sim: PlatformSimulator
    tokens: dict[str, str]
    csrf: dict[str, str]
    valid: list[str]
    """Values that mean something here (catalog IRIs and slugs, subs), mixed into the fields."""


@pytest.fixture(scope="module", params=BACKENDS)
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    tmp_path = tmp_path_factory.mktemp("fuzz")
    sim = PlatformSimulator(issuer=PLATFORM_ISSUER, tool_url=TOOL_URL, key=simulator_key())
    with empty_database_url(request.param, tmp_path) as url:
        app = make_app(tmp_path, database_url=url)
        attach_simulator(app, sim)
        for scheme in ("http://", "https://"):
            AdapterState.of(app).services.advantage.http_session.mount(scheme, Refusing())
        launches = {
            "learner": launch(app, sim, SimLaunch()),
            "manager": launch(app, sim, SimLaunch(user="manager")),
            "deep": launch(app, sim, SimLaunch(user="manager", message="deep")),
        }
        service = PagesService.of(app)
        with app.app_context():
            catalog = service.catalog()
            csrf = {k: service.csrf.token(v.context.launch_id) for k, v in launches.items()}
        courses = [course for _, _, course in catalog.courses()]
        valid = _meaningful(courses) + [user.sub for user in USERS.values()]
        tokens = {role: launched.token for role, launched in launches.items()}
        # tokens edited beyond ASCII: hmac.compare_digest raised TypeError for both (500s)
        valid += [token[:-1] + "é" for token in tokens.values()] + ["é" * 64]
        yield Target(app, sim, tokens, csrf, valid)
        AdapterState.of(app).services.db.dispose()


def _meaningful(courses: list[Course]) -> list[str]:
    values = []
    for course in courses[:3]:
        values += [course.iri, course.slug]
        values += [occasion.iri for occasion in course.occasions[:1]]
        values += [node.iri for node in course.preparation.tasks[:2]]
    return values


ENDPOINTS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("GET", "/lti/login", "", ("iss", "login_hint", "target_link_uri", "client_id")),
    ("POST", "/lti/login", "", ("iss", "login_hint", "target_link_uri", "lti_message_hint")),
    ("POST", "/lti/launch", "", ("state", "id_token", "error", "lti_storage_target")),
    ("GET", "/lti/register", "", ("openid_configuration", "registration_token")),
    ("GET", "/app", "learner", ()),
    ("GET", "/pages/", "learner", ()),
    ("GET", "/pages/journey", "learner", ("journey", "person")),
    ("GET", "/pages/course", "learner", ("course", "person", "msg", "task")),
    ("POST", "/pages/task/done", "learner", ("task",)),
    ("POST", "/pages/task/open", "learner", ("task",)),
    ("POST", "/pages/task/undo", "learner", ("task",)),
    ("GET", "/pages/course", "manager", ("course", "person")),
    ("GET", "/pages/staff/", "manager", ("journey", "course", "q", "state", "sort", "dir", "page")),
    ("GET", "/pages/staff/export.csv", "manager", ("journey", "course", "q", "sort", "page")),
    ("GET", "/pages/staff/occasions/", "manager", ("course", "msg", "registered", "occasion")),
    ("POST", "/pages/staff/occasions/register", "manager", ("course", "occasion", "person")),
    ("POST", "/pages/staff/occasions/withdraw", "manager", ("course", "occasion", "person")),
    ("GET", "/pages/staff/occasions/attendance", "manager", ("occasion", "msg", "added")),
    ("POST", "/pages/staff/occasions/attendance", "manager", ("occasion", "attended", "was")),
    ("GET", "/lti/deep-link", "deep", ("q",)),
    ("POST", "/lti/deep-link", "deep", ("node", "action")),
]


@st.composite
def requests_to(draw: st.DrawFn, target: Target) -> tuple[str, str, dict[str, Any]]:
    method, path, role, names = draw(st.sampled_from(ENDPOINTS))
    value = st.one_of(hostile_text, st.sampled_from(target.valid))
    values = st.one_of(value, st.lists(value, min_size=1, max_size=3))
    fields: dict[str, Any] = {}
    if role:
        fields = {"lt": target.tokens[role], "csrf_token": target.csrf[role]}
    chosen = st.sampled_from((*names, "lt", "csrf_token")) if names else st.just("lt")
    fields.update(draw(st.dictionaries(chosen | hostile_text, values, max_size=4)))
    return method, path, fields


@FUZZ
@given(data=st.data())
def test_no_form_or_query_is_a_server_error(target: Target, data: st.DataObject) -> None:
    method, path, fields = data.draw(requests_to(target))
    client = target.app.test_client()
    body = form_body(fields)
    if method == "GET":
        response = client.get(path + "?" + body.decode("ascii"))
    else:
        response = client.post(path, data=body, content_type=FORM)
    assert response.status_code < 500, (method, path, response.get_data(as_text=True)[:500])
    if response.status_code >= 400:
        assert response.headers.get("X-Yrkesresan-Error"), response.get_data(as_text=True)[:300]


CLAIM_PATHS: list[tuple[str, ...]] = [
    ("sub",), ("name",), ("given_name",), ("family_name",), ("email",), ("exp",), ("iat",),
    ("nbf",), ("aud",), ("azp",), ("nonce",), (c.DEPLOYMENT_ID,), (c.MESSAGE_TYPE,),
    (c.ROLES,), (c.TARGET_LINK_URI,), (c.CONTEXT,), (c.CONTEXT, "id"), (c.CONTEXT, "title"),
    (c.RESOURCE_LINK,), (c.RESOURCE_LINK, "id"), (c.RESOURCE_LINK, "title"), (c.CUSTOM,),
    (c.CUSTOM, "yrkesresan_node"), (c.LAUNCH_PRESENTATION, "locale"), (c.TOOL_PLATFORM, "name"),
    (c.AGS_ENDPOINT,), (c.AGS_ENDPOINT, "lineitem"), (c.NRPS, "context_memberships_url"),
    ("https://purl.imsglobal.org/spec/lti/claim/role_scope_mentor",),
]  # fmt: skip


def _set(claims: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        if not isinstance(claims.get(key), dict):
            claims[key] = {}
        claims = claims[key]
    claims[path[-1]] = value


@FUZZ
@given(
    changes=st.lists(
        st.tuples(
            st.sampled_from(CLAIM_PATHS) | st.tuples(hostile_key),
            hostile_claim | hostile_claim | hostile_json,
        ),
        min_size=1,
        max_size=2,
    ),
    header=st.dictionaries(st.sampled_from(["kid", "alg", "typ"]), hostile_json, max_size=1),
    user=st.sampled_from(["learner", "manager", "mentor"]),
)
def test_no_signed_id_token_is_a_server_error(
    target: Target,
    changes: list[tuple[tuple[str, ...], Any]],
    header: dict[str, Any],
    user: str,
) -> None:
    client = target.app.test_client()
    login = client.post("/lti/login", data=target.sim.login_form("/lti/login").fields)
    query = dict(parse_qsl(urlsplit(login.headers["Location"]).query))
    claims = target.sim.claims(SimLaunch(user=user), nonce=query["nonce"])
    for path, value in changes:
        _set(claims, path, value)
    signed_header = json.dumps({**json.loads(header_of(target.sim)), **header})
    token = sign_raw(target.sim, signed_header, json.dumps(claims))
    response = client.post("/lti/launch", data={"state": query["state"], "id_token": token})
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code == 303:  # a redirect to the first page
        first = response.headers["Location"]
    elif response.status_code == 200 and "Content-Location" in response.headers:
        first = response.headers["Content-Location"]  # the first page answered the launch
    else:
        return
    lt = dict(parse_qsl(urlsplit(first).query))["lt"]
    for page in ("/pages/", "/pages/journey", "/pages/staff/", "/app"):
        shown = client.get(page, query_string={"lt": lt}, follow_redirects=True)
        assert shown.status_code < 500, (page, shown.get_data(as_text=True)[:500])
