"""Platform registrations in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from tests.conftest import FakeClock
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.models import Platform, PlatformDeployment
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.exceptions import (
    AmbiguousPlatform,
    InvalidPlatform,
    PlatformExists,
    UnknownDeployment,
    UnknownPlatform,
)
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration

CANVAS = "https://canvas.instructure.com"


def registration(
    issuer: str = "http://127.0.0.1:8080", client_id: str = "probe-client-id", **fields: object
) -> PlatformRegistration:
    values: dict[str, object] = {
        "name": "Testkommun",
        "auth_login_url": f"{issuer}/mod/lti/auth.php",
        "auth_token_url": f"{issuer}/mod/lti/token.php",
        "key_set_url": f"{issuer}/mod/lti/certs.php",
        **fields,
    }
    return PlatformRegistration(issuer=issuer, client_id=client_id, **values)  # type: ignore[arg-type]


@pytest.fixture
def store(database: Database, clock: FakeClock) -> SqlPlatformStore:
    return SqlPlatformStore(database, clock=clock)


def test_added_registration_is_found_with_every_field(store: SqlPlatformStore) -> None:
    added = store.add(
        registration(
            auth_audience="http://127.0.0.1:8080/mod/lti/token.php",
            deployments=(Deployment("1", active=True), Deployment("2")),
            send_names=True,
            extra={"product_family_code": "moodle"},
        )
    )
    found = store.find("http://127.0.0.1:8080", "probe-client-id")
    assert found == added
    assert found is not None
    assert found.id is not None
    assert found.auth_audience == "http://127.0.0.1:8080/mod/lti/token.php"
    assert found.deployment("1") == Deployment("1", active=True)
    assert found.deployment("2") == Deployment("2", active=False)
    assert found.send_names is True
    assert found.extra == {"product_family_code": "moodle"}


def test_names_are_not_sent_unless_asked(store: SqlPlatformStore) -> None:
    assert store.add(registration()).send_names is False


def test_issuer_alone_finds_its_only_registration(store: SqlPlatformStore) -> None:
    store.add(registration())
    found = store.find("http://127.0.0.1:8080")
    assert found is not None
    assert found.client_id == "probe-client-id"


def test_issuer_alone_is_ambiguous_when_several_clients_share_it(store: SqlPlatformStore) -> None:
    store.add(registration(CANVAS, "10000000000001", name="Kommun A"))
    store.add(registration(CANVAS, "10000000000002", name="Kommun B"))
    assert store.find(CANVAS) is None
    found = store.find(CANVAS, "10000000000002")
    assert found is not None
    assert found.name == "Kommun B"
    with pytest.raises(AmbiguousPlatform, match="--client-id"):
        store.get(CANVAS)


def test_unknown_platform_is_none_or_a_typed_error(store: SqlPlatformStore) -> None:
    store.add(registration())
    assert store.find("https://unknown.example") is None
    assert store.find("http://127.0.0.1:8080", "other-client") is None
    with pytest.raises(UnknownPlatform, match="platform list"):
        store.get("https://unknown.example")


def test_same_issuer_and_client_cannot_be_added_twice(store: SqlPlatformStore) -> None:
    store.add(registration())
    with pytest.raises(PlatformExists, match="already registered") as raised:
        store.add(registration(name="Annan kommun"))
    assert raised.value.code == "PlatformExists"
    assert raised.value.details == {
        "issuer": "http://127.0.0.1:8080",
        "client_id": "probe-client-id",
    }
    assert [r.name for r in store.list()] == ["Testkommun"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("issuer", "moodle.kommun.se"),
        ("auth_login_url", "ftp://moodle.kommun.se/auth"),
        ("auth_token_url", "https://"),
        ("key_set_url", ""),
        ("client_id", " "),
        ("name", ""),
    ],
)
def test_bad_fields_are_refused_naming_the_field(
    store: SqlPlatformStore, field: str, value: str
) -> None:
    with pytest.raises(InvalidPlatform, match=field):
        store.add(replace(registration(), **{field: value}))  # type: ignore[arg-type]
    assert store.list() == []


def test_save_creates_then_updates_and_keeps_created_at(
    store: SqlPlatformStore, database: Database, clock: FakeClock
) -> None:
    created = clock.now()
    first = store.save(registration(deployments=(Deployment("1"),)))
    updated = clock.advance(hours=2)
    second = store.save(
        registration(name="Nytt namn", deployments=(Deployment("1", True), Deployment("7")))
    )
    assert second.id == first.id
    assert second.name == "Nytt namn"
    assert second.deployments == (Deployment("1", True), Deployment("7", False))
    with database.session() as session:
        row = session.scalars(select(Platform)).one()
        assert (row.created_at, row.updated_at) == (created, updated)


def test_save_removes_deployments_no_longer_listed(store: SqlPlatformStore) -> None:
    store.save(registration(deployments=(Deployment("1", True), Deployment("2", True))))
    saved = store.save(registration(deployments=(Deployment("2", True),)))
    assert saved.deployments == (Deployment("2", True),)


def test_deployment_is_activated_and_deactivated(store: SqlPlatformStore) -> None:
    store.add(registration(deployments=(Deployment("1"),)))
    assert store.set_deployment_active("http://127.0.0.1:8080", "1", True).deployments == (
        Deployment("1", True),
    )
    assert store.set_deployment_active("http://127.0.0.1:8080", "1", False).deployments == (
        Deployment("1", False),
    )


def test_activating_a_new_deployment_adds_it(store: SqlPlatformStore) -> None:
    store.add(registration())
    updated = store.set_deployment_active("http://127.0.0.1:8080", "42", True)
    assert updated.deployment("42") == Deployment("42", True)


def test_deactivating_an_unknown_deployment_is_an_error(store: SqlPlatformStore) -> None:
    store.add(registration(deployments=(Deployment("1", True),)))
    with pytest.raises(UnknownDeployment, match="'9'"):
        store.set_deployment_active("http://127.0.0.1:8080", "9", False)


def test_deployments_of_one_client_do_not_leak_to_another(store: SqlPlatformStore) -> None:
    store.add(registration(CANVAS, "A", deployments=(Deployment("d-1", True),)))
    store.add(registration(CANVAS, "B"))
    other = store.find(CANVAS, "B")
    assert other is not None
    assert other.deployment("d-1") is None


def test_removing_a_platform_removes_its_deployments(
    store: SqlPlatformStore, database: Database
) -> None:
    store.add(registration(deployments=(Deployment("1", True), Deployment("2"))))
    store.add(registration(CANVAS, "kept", deployments=(Deployment("3"),)))
    removed = store.remove("http://127.0.0.1:8080")
    assert removed.name == "Testkommun"
    assert store.find("http://127.0.0.1:8080") is None
    with database.session() as session:
        remaining = session.scalars(select(PlatformDeployment.deployment_id)).all()
        assert remaining == ["3"]
        assert session.scalar(select(func.count()).select_from(Platform)) == 1


def test_list_is_sorted_by_issuer_and_client(store: SqlPlatformStore) -> None:
    store.add(registration(CANVAS, "b"))
    store.add(registration("http://127.0.0.1:8080", "z"))
    store.add(registration(CANVAS, "a"))
    assert [(r.issuer, r.client_id) for r in store.list()] == [
        ("http://127.0.0.1:8080", "z"),
        (CANVAS, "a"),
        (CANVAS, "b"),
    ]
