"""Platform key sets: cached, refetched once for an unknown kid, never fetched per launch."""

from __future__ import annotations

import pytest
import requests

from tests.conftest import FakeClock
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_lti.exceptions import KeySetUnavailable, UnknownKeyId
from yrkesresan_lti.lti.jwks_cache import JwksCache
from yrkesresan_lti.lti.rsa_keys import generate_signing_key
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.testing.simulator import PlatformSimulator
from yrkesresan_lti.testing.transport import SimulatorTransport

from .conftest import ISSUER, START, TOOL, Core


def _cache(sim: PlatformSimulator, clock: FakeClock) -> tuple[JwksCache, SimulatorTransport]:
    transport = SimulatorTransport(sim)
    session = requests.Session()
    session.mount(ISSUER + "/", transport)
    return JwksCache(session, timer=clock.monotonic, min_refetch_seconds=10), transport


def test_launches_reuse_the_cached_key_set(core: Core) -> None:
    for _ in range(5):
        core.launch()
    assert core.transport.requests == 1
    assert core.jwks.fetch_count == 1


def test_a_rotated_key_is_found_by_one_refetch(platform_key: SigningKey) -> None:
    clock = FakeClock(START)
    sim = PlatformSimulator(issuer=ISSUER, tool_url=TOOL, key=platform_key)
    cache, transport = _cache(sim, clock)
    assert cache.key(sim.key_set_url, platform_key.kid)["kid"] == platform_key.kid
    clock.advance(seconds=60)
    sim.key = generate_signing_key()
    assert cache.key(sim.key_set_url, sim.key.kid)["kid"] == sim.key.kid
    assert transport.requests == 2


def test_unknown_kids_do_not_flood_the_platform(platform_key: SigningKey) -> None:
    clock = FakeClock(START)
    sim = PlatformSimulator(issuer=ISSUER, tool_url=TOOL, key=platform_key)
    cache, transport = _cache(sim, clock)
    cache.key(sim.key_set_url, platform_key.kid)
    clock.advance(seconds=11)
    for n in range(20):
        with pytest.raises(UnknownKeyId):
            cache.key(sim.key_set_url, f"forged-{n}")
    assert transport.requests == 2


def test_an_unreachable_key_set_is_a_typed_error(platform_key: SigningKey) -> None:
    sim = PlatformSimulator(issuer=ISSUER, tool_url=TOOL, key=platform_key)
    cache, _ = _cache(sim, FakeClock(START))
    with pytest.raises(KeySetUnavailable) as info:
        cache.key(ISSUER + "/no-such-jwks", "kid")
    assert http_status(info.value) == 502  # the adapter's mapping


def test_login_lookups_are_cached_briefly_unknown_ones_never(core: Core) -> None:
    from yrkesresan_lti.lti.platform_cache import CachedPlatformLookup

    calls: list[str] = []

    class Counting:
        def find(self, issuer: str, client_id: str | None = None) -> object:
            calls.append(issuer)
            return core.platforms.find(issuer, client_id)

    clock = FakeClock(START)
    cached = CachedPlatformLookup(Counting(), ttl_seconds=10, timer=clock.monotonic)  # type: ignore[arg-type]
    for _ in range(3):
        assert cached.find(ISSUER, core.sim.client_id) is not None
        assert cached.find("https://unknown.example", "x") is None
    assert calls.count(ISSUER) == 1
    assert calls.count("https://unknown.example") == 3
    clock.advance(seconds=10)
    cached.find(ISSUER, core.sim.client_id)
    assert calls.count(ISSUER) == 2
