"""``GET /.well-known/jwks.json`` as a platform fetches it."""

from __future__ import annotations

import socket
from pathlib import Path

import jwt
from flask import Flask

from tests.storage.conftest import json_of
from yrkesresan_adapter import create_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.keys import SqlToolKeyStore
from yrkesresan_lti.settings import Settings


def make_app(tmp_path: Path) -> Flask:
    return create_app(Settings(instance_path=tmp_path / "instance", _env_file=None))


def test_jwks_publishes_the_signing_key_with_short_caching(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    response = app.test_client().get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.cache_control.public is True
    assert response.cache_control.max_age == 300
    (key,) = json_of(response)["keys"]
    assert set(key) == {"kid", "alg", "use", "kty", "n", "e"}
    assert (key["alg"], key["use"], key["kty"]) == ("RS256", "sig", "RSA")
    signing = AdapterState.of(app).services.tool_keys.signing_key()
    assert key["kid"] == signing.kid
    token = jwt.encode({"aud": "lms"}, signing.private_key_pem, "RS256", {"kid": signing.kid})
    assert jwt.decode(token, jwt.PyJWK(key).key, ["RS256"], audience="lms") == {"aud": "lms"}


def test_jwks_shows_the_next_key_as_soon_as_it_is_created(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    store: SqlToolKeyStore = AdapterState.of(app).services.tool_keys
    current = store.signing_key().kid
    upcoming = store.rotate().kid
    kids = [k["kid"] for k in json_of(app.test_client().get("/.well-known/jwks.json"))["keys"]]
    assert kids == [current, upcoming]


def test_key_survives_a_restart(tmp_path: Path) -> None:
    first = AdapterState.of(make_app(tmp_path)).services.tool_keys.signing_key()
    again = AdapterState.of(make_app(tmp_path)).services.tool_keys.signing_key()
    assert again.kid == first.kid


def test_jwks_answers_503_when_the_database_is_down(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = Settings(  # a production app starts even when its database does not answer
        instance_path=tmp_path / "instance",
        production=True,
        base_url="https://lti.kommun.example",
        database_url=f"postgresql+psycopg://postgres@127.0.0.1:{port}/test",
        _env_file=None,
    )
    response = create_app(settings).test_client().get("/.well-known/jwks.json")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
