"""``yrkesresan demo seed``: a small seeded year on SQLite and PostgreSQL.

The year goes through the tool's pages and services, so its statements wait in the outbox
with the moments of the actions as timestamps; every launch is the OIDC round trip through
``/lti/login`` and ``/lti/launch`` (a launch the tool refuses stops the seed); the same
seed gives the same statements; a demo that has a year already, and a bad ``--year``, are
refused with a Swedish message and exit code 1, nothing written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select, text

from tests.db_fixtures import BACKENDS, empty_database_url
from yrkesresan_adapter import create_app
from yrkesresan_adapter.demo.seed import (
    Player,
    SeedClock,
    SeededIds,
    SeedPlatform,
    Shape,
    demo_municipalities,
    plan_year,
    seed_year,
)
from yrkesresan_adapter.pages import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.storage.municipalities import MunicipalityDirectory
from yrkesresan_lti.cli import build_cli
from yrkesresan_lti.exceptions import DemoAlreadySeeded, DemoSeedError
from yrkesresan_lti.settings import Settings

TINY = Shape(
    occasions=2,
    participants=6,
    no_shows=1,
    users=10,
    municipalities=3,
    regional_lms=1,
    municipalities_per_regional_lms=2,
)
YEAR = 2026
VERB = "http://adlnet.gov/expapi/verbs/"
MUNICIPALITY_CODE = "https://yrkesresan.se/id/extensions/municipality-code"


def settings(url: str, instance: Path) -> Settings:
    return Settings(
        database_url=url,
        instance_path=instance,
        demo=True,
        pseudonym_key="demo-seed-test-pseudonym-key-0123456789",  # type: ignore[arg-type]
    )


APPS: list[Flask] = []


@pytest.fixture(autouse=True)
def disposed() -> Iterator[None]:
    """Every app a test made gives its database connections back."""
    yield
    dispose_apps()


def dispose_apps() -> None:
    while APPS:
        AdapterState.of(APPS.pop()).services.db.dispose()


def seeded(
    url: str,
    instance: Path,
    *,
    seed: int,
    shape: Shape = TINY,
    before: Callable[[Flask], None] | None = None,
) -> Flask:
    app = create_app(settings(url, instance))
    APPS.append(app)
    if before is not None:
        before(app)
    with app.app_context():
        catalog = PagesService.of(app).catalog()
    year = plan_year(
        catalog,
        seed=seed,
        year=YEAR,
        shape=shape,
        places=demo_municipalities(shape.municipalities, seed=seed),
    )
    start = dt.datetime(YEAR, 1, 2, 7, tzinfo=dt.UTC)
    seed_year(app, year, Player(app, SeedClock(start), SeededIds(seed)))
    return app


def statements(app: Flask) -> list[dict[str, Any]]:
    entries = outbox_tables.entries
    query = select(entries.c.payload, entries.c.target, entries.c.status).order_by(entries.c.id)
    with AdapterState.of(app).services.db.engine.connect() as conn:
        rows = conn.execute(query).all()
    assert all(target == "default" and status == "pending" for _, target, status in rows)
    return [json.loads(payload) for payload, _, _ in rows]


def table(app: Flask, name: str, order: str) -> list[tuple[Any, ...]]:
    with AdapterState.of(app).services.db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(f"SELECT * FROM {name} ORDER BY {order}"))]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def urls(backend: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of the backend."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        empty_database_url(backend, tmp_path / "a") as first,
        empty_database_url(backend, tmp_path / "b") as second,
    ):
        yield first, second
        dispose_apps()  # before the schemas are dropped


def test_a_seeded_year_goes_through_the_outbox_with_the_moments_of_its_actions(
    urls: tuple[str, str], tmp_path: Path
) -> None:
    app = seeded(urls[0], tmp_path / "i", seed=7)
    found = statements(app)
    verbs = Counter(s["verb"]["id"].removeprefix(VERB) for s in found)
    # every participant registered by their manager, course days attended, tasks done,
    # evaluations answered; launches of everyone who took part or looked
    assert verbs["registered"] == TINY.participants + TINY.no_shows
    assert verbs["attended"] >= TINY.participants
    assert verbs["completed"] > verbs["registered"]
    assert verbs["answered"] >= 1
    assert verbs["launched"] >= TINY.participants
    stamps = sorted(s["timestamp"] for s in found)
    assert stamps[0] >= f"{YEAR}-01-01"
    assert stamps[-1] < f"{YEAR + 1}-01-01"
    attended = [s for s in found if s["verb"]["id"] == VERB + "attended"]
    assert all(s["timestamp"].endswith("T16:30:00.000Z") for s in attended)
    # the municipality attached to each LMS (context) is in every learner statement
    codes = {s["context"]["extensions"].get(MUNICIPALITY_CODE) for s in found}
    assert None not in codes
    assert len(codes) == TINY.municipalities
    issuers = {s["actor"]["account"]["homePage"] for s in found}
    assert len(issuers) == 2  # one regional LMS shared by two municipalities, one of its own
    # every LMS context has its municipality (the regional LMS one per context)
    tenants = text(
        "SELECT DISTINCT issuer, client_id, deployment_id, context_id FROM page_learners"
    )
    with AdapterState.of(app).services.db.engine.connect() as conn:
        directory = MunicipalityDirectory.load(conn)
        places = {directory.of(*row) for row in conn.execute(tenants)}
    assert None not in places
    assert len(places) == TINY.municipalities
    registrations = table(app, "page_occasion_registrations", "user_sub")
    assert len(registrations) == TINY.participants + TINY.no_shows
    with AdapterState.of(app).services.db.engine.connect() as conn:
        came = "SELECT COUNT(DISTINCT user_sub) FROM page_attendance"
        assert conn.execute(text(came)).scalar() == TINY.participants
    with AdapterState.of(app).services.db.engine.connect() as conn:
        ratings = conn.execute(text("SELECT rating FROM page_evaluation_answers")).scalars()
        assert set(ratings) <= {1, 2, 3, 4, 5}


def count_calls(app: Flask, endpoints: Counter[str]) -> None:
    """Count the requests that reach the tool's own login and launch views."""
    for name in ("lti.login", "lti.launch"):
        view = app.view_functions[name]

        def counted(*args: Any, _view: Any = view, _name: str = name, **kwargs: Any) -> Any:
            endpoints[_name] += 1
            return _view(*args, **kwargs)

        app.view_functions[name] = counted


def test_every_launch_is_the_oidc_round_trip_through_the_tools_endpoints(
    tmp_path: Path,
) -> None:
    calls: Counter[str] = Counter()
    app = seeded(
        f"sqlite:///{tmp_path / 'd.db'}",
        tmp_path / "i",
        seed=2,
        before=lambda app: count_calls(app, calls),
    )
    prefix = "launch-context:%"
    query = text("SELECT value FROM lti_launch_states WHERE key LIKE :p ORDER BY key")
    with AdapterState.of(app).services.db.engine.connect() as conn:
        launches = [
            json.loads(v) if isinstance(v, str) else v
            for v in conn.execute(query, {"p": prefix}).scalars()
        ]
    assert len(launches) > TINY.participants
    assert calls["lti.login"] == calls["lti.launch"] == len(launches)
    # what only a validated id_token gives the launch: the claims of the seeded LMS
    tool = AdapterState.of(app).settings.public_url
    assert {launch["target_link_uri"] for launch in launches} == {tool}
    assert all(launch["ags"] is None and launch["nrps"] is None for launch in launches)
    names = {launch["platform_name"] for launch in launches}
    assert len(names) == 2  # the regional LMS and the LMS of one municipality


def test_a_launch_the_tool_refuses_stops_the_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed = SeedPlatform.claims

    def for_another_tool(self: SeedPlatform, *args: Any, **kwargs: Any) -> dict[str, Any]:
        claims = signed(self, *args, **kwargs)
        claims["aud"] = "another-tool"
        return claims

    monkeypatch.setattr(SeedPlatform, "claims", for_another_tool)
    with pytest.raises(DemoSeedError) as refused:
        seeded(f"sqlite:///{tmp_path / 'd.db'}", tmp_path / "i", seed=2)
    assert refused.value.details["action"] == "launch"
    assert refused.value.details["status"].startswith("4")


def test_a_login_the_tool_refuses_stops_the_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = SeedPlatform.login_form

    def from_an_unknown_lms(self: SeedPlatform, *args: Any, **kwargs: Any) -> Any:
        post = form(self, *args, **kwargs)
        post.fields["iss"] = "https://unknown.lms.example"
        return post

    monkeypatch.setattr(SeedPlatform, "login_form", from_an_unknown_lms)
    with pytest.raises(DemoSeedError) as refused:
        seeded(f"sqlite:///{tmp_path / 'd.db'}", tmp_path / "i", seed=2)
    assert refused.value.details["action"] == "login"
    assert refused.value.details["status"].startswith("4")


def test_the_same_seed_gives_the_same_year_and_another_seed_another(
    urls: tuple[str, str], tmp_path: Path
) -> None:
    first = seeded(urls[0], tmp_path / "i1", seed=3)
    second = seeded(urls[1], tmp_path / "i2", seed=3)
    assert statements(first) == statements(second)
    for name, order in (
        ("page_task_states", "issuer, context_id, user_sub, task_iri"),
        ("page_attendance", "issuer, context_id, user_sub, day_iri"),
        ("page_evaluation_answers", "issuer, context_id, user_sub, question"),
    ):
        assert table(first, name, order) == table(second, name, order)
    with empty_database_url("sqlite", tmp_path) as other:
        third = seeded(other, tmp_path / "i3", seed=4)
        assert statements(third) != statements(first)


def test_a_second_year_is_refused_and_writes_nothing(urls: tuple[str, str], tmp_path: Path) -> None:
    app = seeded(urls[0], tmp_path / "i", seed=1)
    before = len(statements(app))
    with pytest.raises(DemoAlreadySeeded):
        seeded(urls[0], tmp_path / "i", seed=2)
    assert len(statements(app)) == before


def run_cli(url: str, instance: Path, *args: str) -> Any:
    env = {"YRKESRESAN_DATABASE_URL": url, "YRKESRESAN_INSTANCE_PATH": str(instance)}
    return CliRunner().invoke(build_cli(), ["demo", "seed", *args], env=env)


@pytest.fixture(autouse=True)
def swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YRKESRESAN_LOCALE", "sv")


@pytest.mark.parametrize("year", ["26", "abcd", "1999", "２０２６"])
def test_a_bad_year_is_refused_in_swedish(tmp_path: Path, year: str) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    result = run_cli(url, tmp_path / "i", "--year", year)
    assert result.exit_code == 1
    assert "--year måste vara ett årtal mellan 2000 och 2100" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "d.db").exists()  # nothing was opened, nothing written


def test_the_cli_seeds_a_year_once_and_then_refuses(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    result = run_cli(url, tmp_path / "i", "--small", "--seed", "5", "--year", str(YEAR))
    assert result.exit_code == 0, result.output
    assert "Fyller demon med år 2026 (frö 5): 3 kurstillfällen" in result.output
    assert "Klart:" in result.output
    again = run_cli(url, tmp_path / "i", "--small", "--seed", "6", "--year", str(YEAR))
    assert again.exit_code == 1
    assert "Demon har redan ett ifyllt år" in again.output
    # the database is YRKESRESAN_DATABASE_URL's (it may be PostgreSQL): removing the
    # instance folder would not empty it, so that is not the advice
    assert "en ny databas i YRKESRESAN_DATABASE_URL" in again.output
    assert str(tmp_path / "i") not in again.output
    assert "Traceback" not in again.output
