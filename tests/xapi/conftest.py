"""Fixtures of the xAPI tests: the test catalog, a learner, a factory with a fixed clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import FakeClock
from yrkesresan_lti.catalog import Catalog, load_catalog
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

HERE = Path(__file__).parent
NOW = datetime(2026, 11, 22, 6, 1, 2, 123456, tzinfo=UTC)
KEY = "test-pseudonym-key-0123456789abcdef"


class SequentialIds:
    """Predictable statement ids: 00000000-0000-4000-8000-000000000001, ...002, ..."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> uuid.UUID:
        self.count += 1
        return uuid.UUID(f"00000000-0000-4000-8000-{self.count:012d}")


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(HERE / "catalog.yaml")


@pytest.fixture
def pseudonymizer() -> Pseudonymizer:
    return Pseudonymizer(KEY)


@pytest.fixture
def learner() -> Learner:
    return Learner(
        issuer="https://moodle.alingsas.se",
        sub="learner-sub-4711",
        client_id="yrkesresan-client",
        deployment_id="deployment-1",
        platform_name="Alingsås kommun",
        name="Kim Svensson",
        email="kim.svensson@alingsas.se",
    )


@pytest.fixture
def ids() -> SequentialIds:
    return SequentialIds()


@pytest.fixture
def factory(catalog: Catalog, pseudonymizer: Pseudonymizer, ids: SequentialIds) -> StatementFactory:
    return StatementFactory(catalog, pseudonymizer, clock=FakeClock(NOW), id_factory=ids)
