"""Pages' links carry the launch token; the URLs are built once per endpoint and values
(``token_url``), and every one is exactly what ``url_for`` builds with the token."""

from __future__ import annotations

from pathlib import Path

from flask import url_for

from tests.lti_fixtures import make_app
from yrkesresan_adapter.pages.common import token_url
from yrkesresan_adapter.state import AdapterState

COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"
TOKENS = ("v1.abc123def456.1796655532.tjf6EZgPfP5l09PPlHa-D-PQ1JT6Bilifi8EiNF2Mbk", "v1.x.2.y_z")
LINKS: list[tuple[str, str | None, dict[str, object]]] = [
    ("pages_learner.journey", None, {}),
    ("pages_learner.journey", None, {"journey": "barn-och-unga", "person": None}),
    ("pages_learner.course", "n-samtal med barn", {"course": COURSE}),
    ("pages_manager.staff", None, {"journey": "barn-och-unga", "course": "", "page": 2}),
    ("pages_learner.journey", None, {"person": "yrkesresanLaunchTokenMark"}),  # the mark
    ("pages_learner.journey", None, {"journey": "å ä/ö?&=#", "lt": "earlier"}),
    ("pages_learner.journey", None, {"tags": ["not", "hashable"]}),
]


def expected(endpoint: str, anchor: str | None, values: dict[str, object], token: str) -> str:
    clean = {k: v for k, v in values.items() if v not in (None, "")}
    clean["lt"] = token
    return url_for(endpoint, _anchor=anchor, **clean)  # type: ignore[arg-type]


def test_token_urls_are_those_of_url_for_under_every_script_root(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    try:
        for _ in range(2):  # built, then remembered
            for base in ("http://localhost/", "http://localhost/tool/"):
                with app.test_request_context("/pages/", base_url=base):
                    for token in (*TOKENS, "not url-safe: ä&#"):
                        for endpoint, anchor, values in LINKS:
                            built = token_url(endpoint, token, anchor, **values)
                            assert built == expected(endpoint, anchor, values, token)
    finally:
        AdapterState.of(app).services.db.dispose()


def test_each_app_remembers_its_own_urls(tmp_path: Path) -> None:
    first, second = make_app(tmp_path / "a"), make_app(tmp_path / "b")
    try:
        for app in (first, second):
            with app.test_request_context("/pages/"):
                assert token_url("pages_learner.journey", "t1") == "/pages/journey?lt=t1"
                assert token_url("pages_learner.journey", "t2") == "/pages/journey?lt=t2"
        with second.test_request_context("/pages/", base_url="http://localhost/tool/"):
            assert token_url("pages_learner.journey", "t3") == "/tool/pages/journey?lt=t3"
    finally:
        for app in (first, second):
            AdapterState.of(app).services.db.dispose()
