"""The SVG map of Sweden in Chromium: no axe-core WCAG 2.1 AA violations at 390 and 1280 px,
named as an image, each municipality's figure in its tooltip, drawn within the page width."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, axe_violations
from yrkesresan_lti.municipalities import municipalities, sweden_map_svg

pytestmark = pytest.mark.browser


def _page_html() -> str:
    values = {m.code: (int(m.code) * 7) % 130 for m in municipalities()}
    svg = sweden_map_svg(
        values,
        title="Deltagare per kommun 2026",
        description="Karta över Sveriges kommuner färgade efter antal deltagare.",
        legend_label="Deltagare",
    )
    rows = "".join(
        f"<tr><th scope='row'>{escape(m.name)}</th><td>{values[m.code]}</td></tr>"
        for m in municipalities()[:5]
    )
    return (
        "<!doctype html><html lang='sv'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Karta</title><style>.map svg{max-width:40rem;width:100%;height:auto}</style>"
        f"</head><body><main><h1>Deltagare</h1><figure class='map'>{svg}</figure>"
        f"<table><caption>Deltagare per kommun</caption>{rows}</table></main></body></html>"
    )


@pytest.fixture(scope="module")
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_map_has_no_axe_violations_and_fits_the_page(context: Any, width: int) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(_page_html())
    assert axe_violations(page.main_frame) == []
    svg = page.locator("svg[role=img]")
    assert svg.get_attribute("aria-labelledby")
    assert page.get_by_role("img", name="Deltagare per kommun 2026").count() == 1
    box = svg.bounding_box()
    assert box is not None
    assert box["width"] <= width
    assert page.locator("svg path[data-code]").count() == 290
    tooltip = page.locator("svg path[data-code='1480'] > title").text_content()
    assert tooltip == f"Göteborg: {(1480 * 7) % 130}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"sweden-map-{width}.png"), full_page=True)
    page.close()
