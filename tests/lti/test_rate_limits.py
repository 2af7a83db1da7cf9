"""Per-address rate limits on /lti/login, /lti/launch and /lti/register: a class launching
at once from one address is never throttled; a flood gets 429 with ``Retry-After`` and our
page; X-Forwarded-For counts only behind a configured proxy; Redis shares the counters."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pydantic import ValidationError
from redis import Redis

from tests.db_fixtures import REDIS_URL
from tests.lti_fixtures import attach_simulator, make_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.settings import RateLimits, Settings
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator


def app_with(tmp_path: Path, simulator: PlatformSimulator, **settings: Any) -> Iterator[Flask]:
    app = make_app(tmp_path, **settings)
    attach_simulator(app, simulator)
    yield app
    AdapterState.of(app).services.db.dispose()


def client_at(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def login(client: FlaskClient, sim: PlatformSimulator, **headers: str) -> Any:
    return client.post("/lti/login", data=sim.login_form("/lti/login").fields, headers=headers)


def launch(client: FlaskClient, sim: PlatformSimulator) -> int:
    started = login(client, sim)
    assert started.status_code == 302, started.get_data(as_text=True)
    query = dict(parse_qsl(urlsplit(started.headers["Location"]).query))
    token = sim.sign(sim.claims(SimLaunch(), nonce=query["nonce"]))
    return client.post("/lti/launch", data={"state": query["state"], "id_token": token}).status_code


def assert_rate_limited(response: Any, language: str = "sv") -> None:
    assert response.status_code == 429
    assert response.headers["X-Yrkesresan-Error"] == "RateLimited"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    text = response.get_data(as_text=True)
    if language == "sv":
        assert "För många förfrågningar från din adress" in text
    else:
        assert "Too many requests from your address" in text
    assert f"Vänta {response.headers['Retry-After']} sekunder" in text or language == "en"


def test_a_class_of_30_launching_at_once_from_one_address_is_not_throttled(
    tmp_path: Path, simulator: PlatformSimulator
) -> None:
    for app in app_with(tmp_path, simulator):  # the default limits
        school = "192.0.2.30"  # one NAT address for the whole class
        for _learner in range(30):
            browser = client_at(app, school)
            assert login(browser, simulator).status_code == 302  # a double click
            assert launch(browser, simulator) == 200  # the first page


def test_a_flood_of_logins_from_one_address_gets_429_with_retry_after_and_our_page(
    tmp_path: Path, simulator: PlatformSimulator
) -> None:
    limits = RateLimits(login="3/minute")
    for app in app_with(tmp_path, simulator, rate_limits=limits):
        flood = client_at(app, "198.51.100.7")
        assert [login(flood, simulator).status_code for _ in range(3)] == [302] * 3
        assert_rate_limited(login(flood, simulator))
        assert_rate_limited(login(flood, simulator, **{"Accept-Language": "en"}), "en")
        assert login(client_at(app, "198.51.100.8"), simulator).status_code == 302


def test_launch_and_registration_have_limits_of_their_own(
    tmp_path: Path, simulator: PlatformSimulator
) -> None:
    limits = RateLimits(launch="2/minute", registration="1/minute")
    for app in app_with(tmp_path, simulator, rate_limits=limits):
        flood = client_at(app, "198.51.100.9")
        bad = {"state": "x", "id_token": "y"}
        assert [flood.post("/lti/launch", data=bad).status_code for _ in range(2)] == [400] * 2
        assert_rate_limited(flood.post("/lti/launch", data=bad))
        assert flood.get("/lti/register").status_code != 429
        assert_rate_limited(flood.get("/lti/register"))
        assert login(flood, simulator).status_code == 302  # the login's counter is apart


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_configured(
    tmp_path: Path, simulator: PlatformSimulator
) -> None:
    limits = RateLimits(login="2/minute")
    for app in app_with(tmp_path / "direct", simulator, rate_limits=limits):
        spoofer = client_at(app, "203.0.113.5")
        answers = [
            login(spoofer, simulator, **{"X-Forwarded-For": f"10.0.0.{n}"}).status_code
            for n in range(3)
        ]
        assert answers == [302, 302, 429]  # a forged header does not escape the limit


def test_behind_a_configured_proxy_each_forwarded_client_has_its_own_limit(
    tmp_path: Path, simulator: PlatformSimulator
) -> None:
    limits = RateLimits(login="2/minute")
    for app in app_with(tmp_path, simulator, rate_limits=limits, proxy_count=1):
        proxy = client_at(app, "127.0.0.1")  # nginx on the same host
        first = [
            login(proxy, simulator, **{"X-Forwarded-For": "192.0.2.1"}).status_code
            for _ in range(3)
        ]
        other = login(proxy, simulator, **{"X-Forwarded-For": "192.0.2.2"})
        assert first == [302, 302, 429]
        assert other.status_code == 302


def test_limits_that_are_not_rates_are_refused() -> None:
    with pytest.raises(ValidationError, match="600/minute"):
        RateLimits(login="many")
    assert RateLimits(login="20 per second; 600/minute").login


def test_the_limits_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YRKESRESAN_RATE_LIMITS__LAUNCH", "5/second")
    monkeypatch.setenv("YRKESRESAN_PROXY_COUNT", "1")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.rate_limits.launch, settings.rate_limits.login) == ("5/second", "600/minute")
    assert settings.proxy_count == 1


@pytest.mark.redis
def test_with_redis_every_worker_shares_the_counters(
    tmp_path: Path, simulator: PlatformSimulator
) -> None:
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    redis = Redis.from_url(REDIS_URL)
    limits = RateLimits(login="3/minute")
    try:
        for one in app_with(tmp_path / "one", simulator, rate_limits=limits, redis_url=REDIS_URL):
            for two in app_with(
                tmp_path / "two", simulator, rate_limits=limits, redis_url=REDIS_URL
            ):
                assert login(client_at(one, address), simulator).status_code == 302
                assert login(client_at(two, address), simulator).status_code == 302
                assert login(client_at(one, address), simulator).status_code == 302
                assert_rate_limited(login(client_at(two, address), simulator))
        assert list(redis.scan_iter(match=f"*yrkesresan:rate/{address}/*"))
    finally:
        for key in redis.scan_iter(match=f"*yrkesresan:rate/{address}/*"):
            redis.delete(key)
        redis.close()


def test_counting_in_memory_starts_no_thread_per_request(
    tmp_path: Path, simulator: PlatformSimulator
) -> None:
    """limits' own memory storage started a timer thread on nearly every hit; ours sweeps
    in the request, and a flood from one address is still refused."""
    limits = RateLimits(login="5/minute")
    for app in app_with(tmp_path, simulator, rate_limits=limits):
        client = client_at(app, "192.0.2.77")
        before = threading.active_count()
        answers = [login(client, simulator).status_code for _ in range(8)]
        assert threading.active_count() <= before
        assert answers[:5] == [302] * 5
        assert_rate_limited(login(client, simulator))
