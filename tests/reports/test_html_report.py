"""The HTML report: one self-contained, accessible file (parsed here; Chromium and axe-core
check it in tests/browser/test_report_html.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from tests.reports.history import OCCASION, History
from yrkesresan_adapter.web.texts import cli_gettext
from yrkesresan_lti.i18n import install_locales, language
from yrkesresan_lti.reports.figures import Figures, Row
from yrkesresan_lti.reports.from_statements import figures_from_statements
from yrkesresan_lti.reports.html import html_report

CREATED = datetime(2027, 1, 15, 8, 30, tzinfo=UTC)
VOID_ELEMENTS = {"meta", "br", "hr", "img", "input", "link", "rect", "path"}


class Document(HTMLParser):
    """Checks that every element is closed in order; collects tags, attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS and (not self.open or self.open[-1] != tag):
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(text: str) -> Document:
    document = Document()
    document.feed(text)
    document.close()
    assert document.errors == []
    assert document.open == []
    return document


@pytest.fixture(autouse=True)
def locales() -> None:
    """The adapter's catalogs, as the ``yrkesresan`` command installs them (the root
    conftest puts the core back into English after each test)."""
    install_locales(cli_gettext)


@pytest.fixture(scope="module")
def figures() -> Figures:
    history = History(seats={OCCASION: 25})
    codes = ("1480", "1480", "1401", "0180", "2480", None, "1480")
    learners = [history.learner(n, code) for n, code in enumerate(codes)]
    for n, learner in enumerate(learners):
        history.register(learner)
        history.attend(learner)
        history.rate(learner, 5 if n % 3 else 3)
        history.reach(learner)
    return figures_from_statements(history.statements)


def test_the_report_is_one_offline_file_without_scripts(figures: Figures) -> None:
    text = html_report(figures, lang="sv", source="https://lrs.example.se/xAPI/", created=CREATED)
    document = parse(text)
    assert document.named("script") == []
    assert document.named("link") == []
    assert document.named("img") == []
    # No address a browser would fetch: only the SVG namespace and the report's source.
    urls = {url.rstrip(".") for url in re.findall(r"https?://[^\s\"'<>)]+", text)}
    assert urls <= {"http://www.w3.org/2000/svg", "https://lrs.example.se/xAPI/"}
    assert "url(" not in text
    assert "@import" not in text


def test_the_report_has_the_map_charts_and_tables_in_swedish(figures: Figures) -> None:
    with language("sv"):
        text = html_report(figures, lang="sv", source="LRS", created=CREATED)
    document = parse(text)
    assert document.named("html") == [{"lang": "sv"}]
    svgs = document.named("svg")
    assert any("yr-map" in (svg.get("class") or "") for svg in svgs)  # the map of Sweden
    assert all(svg.get("role") == "img" and svg.get("aria-labelledby") for svg in svgs)
    assert len(document.named("path")) >= 290  # every municipality
    captions = [t for t in document.tags if t[0] == "caption"]
    assert len(captions) >= 6  # a table beside every chart, and the goals
    words = " ".join(document.text)
    assert "Deltagare per kommun" in words
    assert "Sverigekarta: deltagare per kommun" in words
    assert "Göteborg" in words
    assert "5 – mycket bra" in words
    assert "Källa: LRS. Skapad 2027-01-15 09:30." in words  # Swedish time
    assert all(th.get("scope") in ("col", "row") for th in document.named("th"))


def test_english_on_request_and_too_few_answers_hide_the_ratings(figures: Figures) -> None:
    with language("en"):
        text = html_report(figures, lang="en", source="LRS", created=CREATED)
    document = parse(text)
    assert document.named("html") == [{"lang": "en"}]
    words = " ".join(document.text)
    assert "Participants per municipality" in words
    assert "5 – very good" in words
    few = Figures(figures.filters, Row(None), {})
    with language("sv"):
        hidden = html_report(few, lang="sv", source="LRS", created=CREATED)
    assert "5 – mycket bra" not in hidden  # no rating chart below five answers
    assert "för få svar" in hidden
