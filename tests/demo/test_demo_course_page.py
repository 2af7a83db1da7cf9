"""The demo course page (``/demo/course``): the tool in an iframe, login initiations that ask
for platform storage, and the platform's storage frame, all under a strict CSP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.demo.test_demo_platform import forms_of
from tests.lti_fixtures import TOOL_URL, make_app
from yrkesresan_adapter.state import AdapterState


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path, demo=True)
    yield app
    AdapterState.of(app).services.db.dispose()


def nonce_of(csp: str) -> str:
    found = re.search(r"script-src 'nonce-([^']+)'", csp)
    assert found is not None, csp
    return found.group(1)


def test_course_page_posts_logins_into_its_iframe_asking_for_platform_storage(app: Flask) -> None:
    page = app.test_client().get("/demo/course")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    csp = page.headers["Content-Security-Policy"]
    assert f"form-action {TOOL_URL};" in csp
    assert "default-src 'none'" in csp
    nonce = nonce_of(csp)
    assert html.count("<script") == html.count(f'<script nonce="{nonce}">') == 1
    assert html.count("<style") == html.count(f'<style nonce="{nonce}">') == 1
    assert '<iframe class="tool" name="tool" title="Yrkesresan"' in html
    assert f'src="{TOOL_URL}/demo/platform/storage-frame"' in html
    assert html.count('target="tool"') == 4
    forms = forms_of(page)
    assert {" ".join(f.text.split()) for f in forms} == {
        "Starta som deltagare",
        "Starta som chef",
        "Starta som mentor",
        "Starta som administratör",
    }
    for form in forms:
        assert form.action == f"{TOOL_URL}/lti/login"
        assert form.fields["lti_storage_target"] == "lti-storage"

    # the tool answers such a login with its platform-storage page, not a cookie redirect
    login = app.test_client().post(forms[0].action, data=forms[0].fields)
    assert login.status_code == 200
    body = login.get_data(as_text=True)
    assert "lti.put_data" in body
    assert '"lti-storage"' in body


def test_without_storage_the_logins_rely_on_the_cookie(app: Flask) -> None:
    page = app.test_client().get("/demo/course?lagring=nej")
    html = page.get_data(as_text=True)
    assert "<script" not in html
    assert "storage-frame" not in html
    assert "Tillbaka till kurssidan med plattformslagring" in html
    (form, *_) = forms_of(page)
    assert "lti_storage_target" not in form.fields
    login = app.test_client().post(form.action, data=form.fields)
    assert login.status_code == 302
    assert login.headers["Location"].startswith(f"{TOOL_URL}/demo/platform/auth?")


def test_storage_frame_may_be_framed_and_answers_only_the_tool(app: Flask) -> None:
    frame = app.test_client().get("/demo/platform/storage-frame")
    assert frame.status_code == 200
    csp = frame.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp
    assert "form-action 'none'" in csp
    html = frame.get_data(as_text=True)
    assert f'<script nonce="{nonce_of(csp)}">' in html
    assert f'var tool = "{TOOL_URL}"' in html
    assert "event.origin !== tool" in html


def test_course_page_in_english(app: Flask) -> None:
    page = app.test_client().get("/demo/course", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Try without platform storage" in html
    assert "Start as participant" in html


def test_demo_index_links_to_the_course_page(app: Flask) -> None:
    html = app.test_client().get("/demo/").get_data(as_text=True)
    assert '<a href="/demo/course?lang=sv">Kurssida med verktyget i en ram' in html


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("sv", ["Demokursen", "Starta som deltagare", "Inga ännu", "Betygsöversikt</a>"]),
        ("en", ["Demo course", "Start as participant", "None yet", "Gradebook</a>"]),
    ],
)
def test_demo_pages_speak_the_browsers_language_from_the_catalogs(
    app: Flask, language: str, texts: list[str]
) -> None:
    client = app.test_client()
    headers = {"Accept-Language": language}
    html = client.get("/demo/", headers=headers).get_data(as_text=True)
    assert f'<html lang="{language}">' in html
    for text in texts:
        assert text in html
    course = client.get("/demo/course", headers=headers).get_data(as_text=True)
    assert '<span lang="en">Client Side postMessages</span>' in course  # markup, not escaped
    gradebook = client.get("/demo/platform/gradebook", headers=headers).get_data(as_text=True)
    assert ("Inga resultat ännu" if language == "sv" else "No scores yet") in gradebook
    refused = client.post("/demo/platform/deep-linking/return", data={}, headers=headers)
    assert refused.status_code == 400
    wanted = {
        "sv": "Demoplattformen tog inte emot svaret: fältet JWT saknas",
        "en": "The demo platform did not accept the response: the form field JWT is missing",
    }
    assert wanted[language] in refused.get_data(as_text=True)
