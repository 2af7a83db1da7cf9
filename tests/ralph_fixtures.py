"""The session-wide Ralph LRS, for any test package::

    from tests.ralph_fixtures import ralph  # noqa: F401   (in your conftest.py)

    @pytest.mark.ralph
    def test_...(ralph: RalphServer) -> None:
        target = ralph.lrs_target()          # an LrsTarget with Basic auth
        ...

Ralph runs from ``.venv-ralph`` (``make ralph`` / ``python -m yrkesresan_adapter.demo.ralph
install``; installed on first use if missing) on a free loopback port, with a temp FS
backend, and is stopped at the end of the session. Statements of all tests share it:
filter your queries by a registration or activity of your own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from yrkesresan_adapter.demo.ralph import RalphServer, install


@pytest.fixture(scope="session")
def ralph() -> Iterator[RalphServer]:
    install()
    with RalphServer() as server:
        yield server
