"""Tool keys: created on first use, rotated publish-next -> promote -> old key drops out."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from sqlalchemy import select

from tests.conftest import FakeClock
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.keys import SqlToolKeyStore
from yrkesresan_adapter.storage.models import ToolKey
from yrkesresan_lti.exceptions import ConfigurationError, KeyRotationError

OVERLAP = timedelta(days=7)
PROMOTE_AFTER = timedelta(hours=24)
KeyFactory = Callable[[], rsa.RSAPrivateKey]


@pytest.fixture
def make_store(
    database: Database, clock: FakeClock, key_factory: KeyFactory
) -> Callable[..., SqlToolKeyStore]:
    def make(**options: object) -> SqlToolKeyStore:
        return SqlToolKeyStore(
            database,
            overlap=OVERLAP,
            promote_after=PROMOTE_AFTER,
            clock=clock,
            key_factory=key_factory,
            **options,  # type: ignore[arg-type]
        )

    return make


def kids(store: SqlToolKeyStore) -> list[str]:
    return [key["kid"] for key in store.public_jwks()["keys"]]


def states(store: SqlToolKeyStore) -> list[tuple[str, str]]:
    return [(info.kid, info.state) for info in store.list_keys()]


def verifies(token: str, store: SqlToolKeyStore) -> bool:
    header = jwt.get_unverified_header(token)
    for key in store.public_jwks()["keys"]:
        if key["kid"] == header["kid"]:
            jwt.decode(token, jwt.PyJWK(key).key, algorithms=["RS256"], audience="platform")
            return True
    return False


def sign(store: SqlToolKeyStore) -> str:
    key = store.signing_key()
    return jwt.encode(
        {"iss": "tool", "aud": "platform"},
        key.private_key_pem,
        algorithm="RS256",
        headers={"kid": key.kid},
    )


def test_first_use_creates_one_published_signing_key(
    make_store: Callable[..., SqlToolKeyStore],
) -> None:
    store = make_store()
    key = store.signing_key()
    assert store.signing_key() == key
    (jwk,) = store.public_jwks()["keys"]
    assert jwk["kid"] == key.kid
    assert {jwk["kty"], jwk["alg"], jwk["use"], jwk["e"]} == {"RSA", "RS256", "sig", "AQAB"}
    assert len(jwt.utils.base64url_decode(jwk["n"])) * 8 == 2048
    assert "d" not in jwk
    assert "p" not in jwk
    assert verifies(sign(store), store)


def test_the_key_set_as_first_use_creates_the_signing_key_and_publishes_it(
    make_store: Callable[..., SqlToolKeyStore],
) -> None:
    store = make_store()
    (jwk,) = store.public_jwks()["keys"]
    assert store.public_jwks()["keys"] == [jwk]  # read back, not created again
    assert store.signing_key().kid == jwk["kid"]
    assert [info.state for info in store.list_keys()] == ["current"]


def test_another_worker_signs_with_the_same_key(
    make_store: Callable[..., SqlToolKeyStore],
) -> None:
    assert make_store().signing_key().kid == make_store().signing_key().kid


def test_whole_rotation_lifecycle(
    make_store: Callable[..., SqlToolKeyStore], clock: FakeClock
) -> None:
    store = make_store()
    old = store.signing_key().kid

    # 1. publish the next key: both published, the old one still signs
    created = store.rotate()
    new = created.kid
    assert created.action == "created"
    assert kids(store) == [old, new]
    assert states(store) == [(old, "current"), (new, "next")]
    assert store.signing_key().kid == old

    # 2. too early to promote without --promote: nothing changes
    clock.advance(hours=23)
    with pytest.raises(KeyRotationError, match="--promote"):
        store.rotate()
    assert store.signing_key().kid == old

    # 3. published long enough: promote; the old key stays published
    token_by_old_key = sign(store)
    clock.advance(hours=1)
    promoted = store.rotate()
    assert (promoted.action, promoted.kid, promoted.retired) == ("promoted", new, (old,))
    assert store.signing_key().kid == new
    assert kids(store) == [new, old]
    assert states(store) == [(new, "current"), (old, "retired")]
    (retired,) = [i for i in store.list_keys() if i.kid == old]
    assert retired.published_until == clock.now() + OVERLAP
    assert verifies(token_by_old_key, store)
    assert verifies(sign(store), store)

    # 4. the overlap passes: the old key drops out of the JWKS
    clock.advance(days=7, seconds=-1)
    assert kids(store) == [new, old]
    clock.advance(seconds=1)
    assert kids(store) == [new]
    assert states(store) == [(new, "current")]
    assert not verifies(token_by_old_key, store)


def test_promote_forces_an_early_promotion(make_store: Callable[..., SqlToolKeyStore]) -> None:
    store = make_store()
    old = store.signing_key().kid
    new = store.rotate().kid
    assert store.rotate(promote=True).kid == new
    assert store.signing_key().kid == new
    assert kids(store) == [new, old]


def test_promote_without_a_next_key_is_refused(
    make_store: Callable[..., SqlToolKeyStore],
) -> None:
    store = make_store()
    before = [store.signing_key().kid]
    with pytest.raises(KeyRotationError, match="keys rotate"):
        store.rotate(promote=True)
    assert kids(store) == before


def test_rotate_on_an_empty_database_creates_current_and_next(
    make_store: Callable[..., SqlToolKeyStore],
) -> None:
    store = make_store()
    next_kid = store.rotate().kid
    assert [state for _, state in states(store)] == ["current", "next"]
    assert store.signing_key().kid != next_kid


def test_retired_keys_are_deleted_after_their_overlap(
    make_store: Callable[..., SqlToolKeyStore], clock: FakeClock, database: Database
) -> None:
    store = make_store()
    old = store.signing_key().kid
    store.rotate()
    store.rotate(promote=True)
    clock.advance(days=8)
    store.rotate()
    with database.session() as session:
        assert old not in session.scalars(select(ToolKey.kid)).all()


def test_private_key_is_encrypted_at_rest_with_the_secret(
    make_store: Callable[..., SqlToolKeyStore], database: Database
) -> None:
    store = make_store(secret="hemlig-nyckel")
    key = store.signing_key()
    with database.session() as session:
        stored = session.scalars(select(ToolKey.private_key_pem)).one()
    assert stored.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert key.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert verifies(sign(store), store)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        make_store(secret="fel-nyckel").signing_key()
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        make_store().signing_key()


def test_private_key_never_reaches_logs_or_repr(
    make_store: Callable[..., SqlToolKeyStore], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = make_store()
    key = store.signing_key()
    store.rotate()
    store.rotate(promote=True)
    assert "PRIVATE KEY" not in caplog.text
    assert "PRIVATE KEY" not in repr(key)
    assert "PRIVATE KEY" not in repr(store.list_keys())


def test_workers_creating_the_first_key_at_once_agree_on_one(
    make_store: Callable[..., SqlToolKeyStore],
) -> None:
    workers = [make_store() for _ in range(4)]
    barrier = threading.Barrier(len(workers))
    kids_seen: list[str] = []

    def first_use(store: SqlToolKeyStore) -> None:
        barrier.wait()
        kids_seen.append(store.signing_key().kid)

    threads = [threading.Thread(target=first_use, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    signing = {store.signing_key().kid for store in workers}
    assert len(signing) == 1
    assert [state for _, state in states(workers[0])].count("current") == 1
    assert set(kids_seen) <= set(kids(workers[0]))


def test_the_first_key_needed_inside_a_pages_transaction_is_committed_at_once(
    database: Database,
    make_store: Callable[..., SqlToolKeyStore],
    clock: FakeClock,
    key_factory: KeyFactory,
) -> None:
    """A manager's first page asks the LMS for its roster: the service token is signed with
    our first key, made there and then, and the LMS fetches our key set from another worker
    before the page ends. On a real Moodle 4.5 the key joined the page's transaction: the
    other worker found none, tried to make one, and waited for the page's write lock while
    the page waited for Moodle (15 s, then no roster)."""
    store = make_store()
    elsewhere = Database(database.url)  # another gunicorn worker
    other = SqlToolKeyStore(
        elsewhere, overlap=OVERLAP, promote_after=PROMOTE_AFTER, clock=clock,
        key_factory=key_factory,
    )  # fmt: skip
    with database.transaction():
        with database.session() as session:
            session.execute(select(ToolKey))  # the page's first read
        signing = store.signing_key()
        assert kids(other) == [signing.kid]  # published by the other worker at once
    assert kids(store) == [signing.kid]
    elsewhere.dispose()


def _start(tmp_path: Path, **settings: object) -> Flask:
    from yrkesresan_adapter import create_app
    from yrkesresan_lti.settings import Settings

    return create_app(Settings(instance_path=tmp_path, _env_file=None, **settings))  # type: ignore[arg-type]


def test_a_new_instance_starts_with_a_signing_key_and_without_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The key was tried before the schema was migrated: every new instance warned
    ``tool_key_unavailable`` and made its key on first use."""
    from yrkesresan_adapter.state import AdapterState

    with caplog.at_level(logging.INFO):
        app = _start(tmp_path)
    store = AdapterState.of(app).services.tool_keys
    assert [info.state for info in store.list_keys()] == ["current"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    AdapterState.of(app).services.db.dispose()


def test_in_production_before_the_migration_the_key_waits_for_its_first_use(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from yrkesresan_adapter.state import AdapterState

    with caplog.at_level(logging.INFO):
        app = _start(
            tmp_path, production=True, base_url="https://lti.example.se", secret_key="s" * 40
        )
    events = [(r.levelname, getattr(r, "event", "")) for r in caplog.records]
    assert ("WARNING", "db_schema_behind") in events  # says what to do
    assert ("INFO", "tool_key_on_first_use") in events  # and this is not a second fault
    assert not [e for e in events if e[0] == "WARNING" and e[1] != "db_schema_behind"]
    AdapterState.of(app).services.db.dispose()
