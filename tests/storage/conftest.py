"""Fixtures of the storage tests: databases (``tests.db_fixtures``), the clock's start, keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.test import TestResponse

from tests.db_fixtures import database, database_url, redis_prefix  # noqa: F401
from yrkesresan_adapter.storage.keys import generate_rsa_key


def json_of(response: TestResponse) -> dict[str, Any]:
    """The JSON object a test client's response carries."""
    body = response.get_json()
    assert isinstance(body, dict)
    return body


@pytest.fixture
def clock_start() -> datetime:
    return datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def rsa_pool() -> list[rsa.RSAPrivateKey]:
    """A few RSA keys generated once per session (generation is slow)."""
    return [generate_rsa_key() for _ in range(4)]


@pytest.fixture
def key_factory(rsa_pool: list[rsa.RSAPrivateKey]) -> Callable[[], rsa.RSAPrivateKey]:
    """Hands out the pooled keys in order, then fresh ones: every key of a test is distinct."""
    keys: Iterator[rsa.RSAPrivateKey] = iter(rsa_pool)
    return lambda: next(keys, None) or generate_rsa_key()
