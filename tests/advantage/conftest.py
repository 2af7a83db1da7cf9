"""Fixtures for the Advantage services: a tool key, a fake platform (the clock is the suite's)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.lti_fixtures import MOODLE_FIXTURES
from yrkesresan_lti.catalog import Catalog, load_catalog
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration, SigningKey
from yrkesresan_lti.testing.services import FakePlatformServices, serve

FIXTURES = MOODLE_FIXTURES


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def make_signing_key(kid: str = "tool-key-1") -> SigningKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    public_jwk.update(kid=kid, alg="RS256", use="sig")
    return SigningKey(kid=kid, private_key_pem=pem, public_jwk=public_jwk)


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return make_signing_key()


@pytest.fixture
def fake_platform(signing_key: SigningKey) -> Iterator[FakePlatformServices]:
    platform = FakePlatformServices(tool_jwks=lambda: {"keys": [dict(signing_key.public_jwk)]})
    with serve(platform):
        yield platform


def registration_for(platform: FakePlatformServices) -> PlatformRegistration:
    return PlatformRegistration(
        issuer=platform.issuer,
        client_id=platform.client_id,
        name="Moodle test",
        auth_login_url=f"{platform.base_url}/mod/lti/auth.php",
        auth_token_url=platform.token_url,
        key_set_url=f"{platform.base_url}/mod/lti/certs.php",
        deployments=(Deployment("1", active=True),),
    )


MOODLE = PlatformRegistration(
    issuer="http://127.0.0.1:8080",
    client_id="probe-client-id",
    name="Moodle",
    auth_login_url="http://127.0.0.1:8080/mod/lti/auth.php",
    auth_token_url="http://127.0.0.1:8080/mod/lti/token.php",
    key_set_url="http://127.0.0.1:8080/mod/lti/certs.php",
)


class DictPlatformStore:
    """The smallest PlatformStore: registrations keyed on (issuer, client_id)."""

    def __init__(self, *registrations: PlatformRegistration) -> None:
        self.items = {(r.issuer, r.client_id): r for r in registrations}
        self.saves = 0

    def find(self, issuer: str, client_id: str | None = None) -> PlatformRegistration | None:
        if client_id is None:
            found = [r for (i, _), r in self.items.items() if i == issuer]
            return found[0] if len(found) == 1 else None
        return self.items.get((issuer, client_id))

    def save(self, registration: PlatformRegistration) -> PlatformRegistration:
        self.saves += 1
        self.items[(registration.issuer, registration.client_id)] = registration
        return registration

    def list(self) -> list[PlatformRegistration]:
        return list(self.items.values())


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(Path(__file__).with_name("catalog.yaml"))


BASE = "https://yrkesresan.se/id/journeys/barn-och-unga/"
SAMTAL = BASE + "courses/samtal"


from tests.lti_fixtures import launch_app, launched_client, simulator  # noqa: E402, F401
