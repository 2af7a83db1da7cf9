"""Municipalities attached to platforms, deployments and LMS contexts (SQLite and PostgreSQL):
the most specific wins, nothing attached is unknown, other platforms never see them."""

from __future__ import annotations

import pytest

from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.municipalities import (
    MunicipalityDirectory,
    SqlMunicipalityStore,
    municipality_for,
)
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.exceptions import InvalidPlatform, UnknownDeployment, UnknownPlatform
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration
from yrkesresan_lti.municipalities import municipality

REGION = "https://moodle.region.se"
OTHER = "https://moodle.kommun.se"


def _register(db: Database, issuer: str) -> None:
    SqlPlatformStore(db).add(
        PlatformRegistration(
            issuer=issuer,
            client_id="abc",
            name="Regionens Moodle",
            auth_login_url=f"{issuer}/mod/lti/auth.php",
            auth_token_url=f"{issuer}/mod/lti/token.php",
            key_set_url=f"{issuer}/mod/lti/certs.php",
            deployments=(Deployment("1", active=True), Deployment("2", active=True)),
        )
    )


@pytest.fixture
def store(database: Database) -> SqlMunicipalityStore:
    _register(database, REGION)
    _register(database, OTHER)
    return SqlMunicipalityStore(database)


def _code(db: Database, issuer: str, deployment: str, context: str | None) -> str | None:
    with db.connection() as connection:
        found = municipality_for(connection, issuer, "abc", deployment, context)
        directory = MunicipalityDirectory.load(connection)
    # the bulk directory resolves the same way
    assert directory.of(issuer, "abc", deployment, context) == found
    return found.code if found else None


def test_nothing_attached_is_unknown(database: Database, store: SqlMunicipalityStore) -> None:
    assert _code(database, REGION, "1", "course-7") is None


def test_the_most_specific_attachment_wins(database: Database, store: SqlMunicipalityStore) -> None:
    store.attach(REGION, None, municipality("1480"))  # platform: Göteborg
    store.attach(REGION, None, municipality("1401"), deployment_id="2")  # Härryda
    store.attach(REGION, None, municipality("1402"), context_id="course-7")  # Partille
    store.attach(
        REGION, None, municipality("1407"), deployment_id="2", context_id="course-7"
    )  # Öckerö
    assert _code(database, REGION, "1", "course-1") == "1480"
    assert _code(database, REGION, "1", None) == "1480"
    assert _code(database, REGION, "2", "course-1") == "1401"
    assert _code(database, REGION, "1", "course-7") == "1402"
    assert _code(database, REGION, "2", "course-7") == "1407"
    assert _code(database, OTHER, "1", "course-7") is None  # another platform sees none


def test_attaching_again_replaces_and_detaching_removes(
    database: Database, store: SqlMunicipalityStore
) -> None:
    store.attach(REGION, "abc", municipality("1480"), deployment_id="1")
    store.attach(REGION, "abc", municipality("0180"), deployment_id="1")
    assert _code(database, REGION, "1", None) == "0180"
    listed = store.list(REGION)
    assert [(a.deployment_id, a.context_id, a.code) for a in listed] == [("1", None, "0180")]
    assert listed[0].municipality == municipality("0180")
    assert store.detach(REGION, None, deployment_id="1") is True
    assert store.detach(REGION, None, deployment_id="1") is False
    assert _code(database, REGION, "1", None) is None


def test_unknown_platform_or_deployment_is_refused_and_nothing_is_written(
    database: Database, store: SqlMunicipalityStore
) -> None:
    with pytest.raises(UnknownPlatform):
        store.attach("https://okand.se", None, municipality("1480"))
    with pytest.raises(UnknownDeployment):
        store.attach(REGION, None, municipality("1480"), deployment_id="99")
    with pytest.raises(InvalidPlatform):
        store.attach(REGION, None, municipality("1480"), context_id=" ")
    assert store.list(REGION) == []


def test_removing_the_platform_removes_its_municipalities(
    database: Database, store: SqlMunicipalityStore
) -> None:
    store.attach(REGION, None, municipality("1480"))
    SqlPlatformStore(database).remove(REGION, "abc")
    _register(database, REGION)
    assert _code(database, REGION, "1", None) is None
