"""A request keeps its language across many texts, and ``force_locale`` (error pages, LTI
error answers, the demo's emails) still switches it and switches back."""

from __future__ import annotations

from pathlib import Path

from flask import g, render_template_string
from flask_babel import force_locale, get_locale

from tests.lti_fixtures import make_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.web.i18n import current_language, gettext

SWEDISH = "Administrera kurstillfällen"
ENGLISH = "Administer course occasions"
PAGE = "{{ _('Administrera kurstillfällen') }}"


def test_texts_follow_the_request_language_and_force_locale(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    try:
        with app.test_request_context("/pages/", headers={"Accept-Language": "en"}):
            assert gettext(SWEDISH) == ENGLISH
            assert render_template_string(PAGE) == ENGLISH
            assert current_language() == "en"
            with force_locale("sv"):
                assert gettext(SWEDISH) == SWEDISH
                assert render_template_string(PAGE) == SWEDISH
                assert current_language() == "sv"
            assert gettext(SWEDISH) == ENGLISH
            assert render_template_string(PAGE) == ENGLISH
            assert current_language() == "en"
        with app.test_request_context("/pages/"):
            g.yrkesresan_locale = "sv"
            assert render_template_string(PAGE) == SWEDISH
            with force_locale("en"):
                assert render_template_string(PAGE) == ENGLISH
                assert current_language() == "en"
            assert gettext(SWEDISH) == SWEDISH
            assert current_language() == "sv"
    finally:
        AdapterState.of(app).services.db.dispose()


def test_each_request_gets_its_own_language_from_a_locale_parsed_once(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    try:
        found = []
        for language in ("en", "sv", "en"):
            with app.test_request_context("/pages/", headers={"Accept-Language": language}):
                assert current_language() == language
                assert gettext(SWEDISH) == (ENGLISH if language == "en" else SWEDISH)
                found.append(get_locale())
        assert [str(found[0]), str(found[1])] == ["en", "sv"]
        assert found[0] is found[2]  # parsed once, not on every request
    finally:
        AdapterState.of(app).services.db.dispose()


def test_outside_a_request_the_language_is_swedish(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    try:
        with app.app_context():
            assert current_language() == "sv"
        assert current_language() == "sv"
    finally:
        AdapterState.of(app).services.db.dispose()


def test_a_text_with_placeholders_is_filled(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    try:
        with app.test_request_context("/pages/"):
            assert gettext("%(name)s & co", name="<b>") == "<b> & co"
    finally:
        AdapterState.of(app).services.db.dispose()
