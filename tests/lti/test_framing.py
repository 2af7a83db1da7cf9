"""Only the registered platforms may frame the tool: CSP ``frame-ancestors`` lists their
origins (issuer, OIDC login endpoint, configured extras), on every page that sets a policy,
and follows the platform list without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from pydantic import ValidationError

from tests.conftest import FakeClock
from tests.lti_fixtures import make_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.framing import REFRESH_SECONDS, FrameAncestors, origin
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.settings import Settings

MOODLE = PlatformRegistration(
    issuer="https://moodle.kommun.se",
    client_id="moodle-client",
    name="Moodle Kommun",
    auth_login_url="https://moodle.kommun.se/mod/lti/auth.php",
    auth_token_url="https://moodle.kommun.se/mod/lti/token.php",
    key_set_url="https://moodle.kommun.se/mod/lti/certs.php",
)
CANVAS = PlatformRegistration(
    issuer="https://canvas.instructure.com",
    client_id="10000000000001",
    name="Canvas Kommun",
    auth_login_url="https://sso.canvaslms.com/api/lti/authorize_redirect",
    auth_token_url="https://sso.canvaslms.com/login/oauth2/token",
    key_set_url="https://sso.canvaslms.com/api/lti/security/jwks",
    extra={"frame_origins": ["https://kommun.instructure.com/"]},
)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    made = make_app(tmp_path)
    yield made
    AdapterState.of(made).services.db.dispose()


def ancestors(app: Flask, path: str = "/pages/journey") -> list[str]:
    policy = app.test_client().get(path).headers["Content-Security-Policy"]
    [directive] = [d.strip() for d in policy.split(";") if "frame-ancestors" in d]
    return directive.split()[1:]


def test_with_no_platform_registered_nobody_may_frame_the_pages(app: Flask) -> None:
    assert ancestors(app) == ["'none'"]


def test_registered_platforms_may_frame_the_pages_and_nobody_else(app: Flask) -> None:
    state = AdapterState.of(app)
    state.services.platforms.add(MOODLE)
    state.services.platforms.add(CANVAS)
    state.services.framing.refresh()

    allowed = ancestors(app)

    assert allowed == [
        "https://canvas.instructure.com",
        "https://kommun.instructure.com",  # the school's Canvas: the frame parent
        "https://moodle.kommun.se",  # Moodle frames from its issuer's origin
        "https://sso.canvaslms.com",
    ]
    assert "*" not in allowed
    assert "https://evil.example" not in allowed


def test_every_page_with_a_policy_uses_the_same_list(app: Flask) -> None:
    AdapterState.of(app).services.platforms.add(MOODLE)
    AdapterState.of(app).services.framing.refresh()
    registration_page = ancestors(app, "/lti/register")
    assert registration_page == ancestors(app) == ["https://moodle.kommun.se"]


def test_a_new_platform_takes_effect_within_the_refresh_time(app: Flask, clock: FakeClock) -> None:
    store = AdapterState.of(app).services.platforms
    framing = FrameAncestors(store, monotonic=clock.monotonic)
    assert framing.sources() == ()
    store.add(MOODLE)  # e.g. by `yrkesresan platform add` in another process
    clock.advance(seconds=REFRESH_SECONDS - 1)
    assert framing.sources() == ()
    clock.advance(seconds=1)
    assert framing.sources() == ("https://moodle.kommun.se",)


def test_the_demo_and_configured_origins_are_added(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True, frame_origins=["https://lms.region.se"])
    try:
        assert ancestors(app) == ["'self'", "https://lms.region.se"]
    finally:
        AdapterState.of(app).services.db.dispose()


def test_nothing_but_an_origin_enters_the_header() -> None:
    assert origin("https://Moodle.Kommun.se:443/path?q=1") == "https://moodle.kommun.se"
    assert origin("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080"
    assert origin("https://a.se; script-src *") is None
    assert origin("javascript:alert(1)") is None
    assert origin("https://a.se:99999/") is None
    with pytest.raises(ValidationError, match="origin"):
        Settings(_env_file=None, frame_origins=["https://a.se; default-src *"])  # type: ignore[call-arg]


def test_an_unreadable_platform_list_keeps_the_last_one_and_never_breaks_a_page(
    app: Flask, clock: FakeClock
) -> None:
    store = AdapterState.of(app).services.platforms
    store.add(MOODLE)
    framing = FrameAncestors(store, monotonic=clock.monotonic)
    assert framing.sources() == ("https://moodle.kommun.se",)
    AdapterState.of(app).services.db.engine.dispose()
    with AdapterState.of(app).services.db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE lti_deployments")
        conn.exec_driver_sql("DROP TABLE lti_platforms")
    clock.advance(seconds=REFRESH_SECONDS)
    assert framing.sources() == ("https://moodle.kommun.se",)
    assert FrameAncestors(store).directive() == "frame-ancestors 'none'"
    assert app.test_client().get("/pages/journey").status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/lti/launch"), ("GET", "/no-such-page")],
    ids=["launch error page", "our 404 page"],
)
def test_error_pages_load_nothing_and_follow_the_same_framing(
    app: Flask, method: str, path: str
) -> None:
    AdapterState.of(app).services.platforms.add(MOODLE)
    response = app.test_client().open(path, method=method, data={"state": "nope"})
    assert response.status_code in (400, 401, 403, 404)
    policy = response.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["https://moodle.kommun.se"]
    [source] = directives["style-src"]
    prefix = "'nonce-"
    assert source.startswith(prefix)
    assert source.endswith("'")
    nonce = source[len(prefix) : -1]
    assert f'<style nonce="{nonce}">' in response.get_data(as_text=True)
