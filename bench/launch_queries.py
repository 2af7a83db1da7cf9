"""SQL statements, transactions (commits) and pool checkouts per request of a full launch.

    .venv/bin/python bench/launch_queries.py

The adapter runs in this process (Flask test client) on PostgreSQL (a schema of its own,
dropped afterwards); SQLAlchemy event listeners on its engine count what each request does:
the login, the launch, the first page when the launch is in this worker's memory and when
another worker must read it from the database, and ``/healthz``. Each checkout also costs
one pre-ping round trip (not an event). Not a test: record the figures in docs/security.md.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import Engine, event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.db_fixtures import postgres_schema_url
from tests.lti_fixtures import (
    PLATFORM_ISSUER,
    TOOL_URL,
    FlaskBrowser,
    attach_simulator,
    make_app,
    platform_key,
)

from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator


def counting(engine: Engine) -> Counter[str]:
    counts: Counter[str] = Counter()

    def count(name: str) -> Callable[..., None]:
        return lambda *_: counts.update([name])

    event.listen(engine, "before_cursor_execute", count("statements"))
    event.listen(engine, "commit", count("commits"))
    event.listen(engine.pool, "checkout", count("checkouts"))
    return counts


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir, postgres_schema_url() as url:
        app = make_app(Path(workdir) / "worker-1", database_url=url)
        other = make_app(Path(workdir) / "worker-2", database_url=url)  # same secret key
        simulator = PlatformSimulator(issuer=PLATFORM_ISSUER, tool_url=TOOL_URL, key=platform_key())
        attach_simulator(app, simulator)
        databases = [AdapterState.of(each).services.db for each in (app, other)]
        counts = [counting(db.engine) for db in databases]
        seen: dict[str, Counter[str]] = {}

        def measure(name: str, request: Callable[[], Any]) -> Any:
            for each in counts:
                each.clear()
            answer = request()
            seen[name] = counts[0] + counts[1]
            return answer

        def one_launch() -> None:
            browser = FlaskBrowser(app.test_client())
            login = f"{TOOL_URL}/lti/login"
            query = measure("login", lambda: simulator.start(browser, login, SimLaunch()))
            post = simulator.authorize(query)
            answer = measure("launch", lambda: browser.post_form(post.action, post.fields))
            page = {"lt": parse_qs(urlsplit(answer.page_url or "").query)["lt"][0]}
            measure("first page", lambda: browser.client.get("/app", query_string=page))
            measure(  # another worker has not seen the launch: it reads it from the database
                "first page, other worker",
                lambda: other.test_client().get("/app", query_string=page),
            )
            measure("GET /healthz", lambda: browser.client.get("/healthz"))

        for _ in range(3):  # the last launch is reported: caches are warm, as in production
            one_launch()
        for db in databases:
            db.dispose()
    print(f"{'request':26s} statements  commits  checkouts")
    for name, each in seen.items():
        print(f"{name:26s} {each['statements']:10d} {each['commits']:8d} {each['checkouts']:10d}")


if __name__ == "__main__":
    main()
