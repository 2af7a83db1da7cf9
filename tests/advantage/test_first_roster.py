"""A fresh installation's first roster, as a real Moodle 4.5 serves it (seen 2026-12-07).

The tool's first signing key may be made on first use (the workers started before the
database was migrated). A manager's page asks for the roster; the service token is signed
with that key; Moodle then fetches the tool's key set over HTTP, from whichever worker gets
the request, while the first worker waits for the token. Two apps on one SQLite file stand
for the two gunicorn workers here, the second one served on loopback; the fake platform
fetches the key set from it as Moodle does (``FakePlatformServices(tool_jwks=<URL>)``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, text
from werkzeug.serving import make_server

from tests.advantage.conftest import registration_for
from yrkesresan_adapter import create_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.models import ToolKey
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.testing.services import FakePlatformServices, serve

SECRET = "first-roster-secret-key-of-enough-length"


def _worker(tmp_path: Path, name: str, url: str) -> Flask:
    return create_app(
        Settings(instance_path=tmp_path / name, database_url=url, secret_key=SECRET, _env_file=None)
    )


@pytest.fixture
def other_worker(tmp_path: Path) -> Iterator[tuple[Flask, Flask, str]]:
    """(this worker, another worker on the same database, the other one's key set URL)."""
    url = f"sqlite:///{tmp_path / 'tool.db'}"
    this, other = _worker(tmp_path, "one", url), _worker(tmp_path, "two", url)
    server = make_server("127.0.0.1", 0, other, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield this, other, f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    finally:
        server.shutdown()
        thread.join(10)
        for app in (this, other):
            AdapterState.of(app).services.db.dispose()


def test_the_first_roster_inside_a_pages_transaction_is_read_at_once(
    other_worker: tuple[Flask, Flask, str],
) -> None:
    this, _other, key_set_url = other_worker
    services = AdapterState.of(this).services
    with services.db.engine.begin() as connection:  # no key yet: as when the workers started
        connection.execute(delete(ToolKey))  # before the migration had run
    platform = FakePlatformServices(tool_jwks=key_set_url)
    with serve(platform):
        registration = registration_for(platform)
        services.platforms.save(registration)
        assert services.advantage is not None
        with services.db.transaction():  # the manager's page: one transaction for its reads
            with services.db.session() as session:
                session.execute(text("SELECT 1"))
            roster = services.advantage.nrps.roster(registration, platform.memberships_url())
    assert {m.user_id for m in roster.members} == {m["user_id"] for m in platform.members}
