"""Bar charts as inline SVG for the HTML report: no script, no external reference.

A chart is an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>``; each bar
has its own ``<title>`` ("Göteborg: 120"). The same figures are always in a table beside
it (the report puts them there): the chart is for seeing, the table for reading.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from yrkesresan_lti.municipalities.svg_map import format_number

BAR = "#2c7fb8"
TEXT = "#1a1a1a"
ROW_HEIGHT = 28
LABEL_WIDTH = 260
BAR_WIDTH = 360
MAX_LABEL = 38
"""Characters of a label the chart shows (the table beside it has the whole name)."""


def bar_chart_svg(
    items: Sequence[tuple[str, int]], *, title: str, description: str, lang: str = "sv"
) -> str:
    """Horizontal bars, one per ``(label, value)``, longest bar the largest value."""
    digest = hashlib.sha256(f"{title}\0{description}".encode()).hexdigest()[:10]
    prefix = f"yr-chart-{digest}"
    largest = max((value for _, value in items), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + 80
    height = max(1, len(items)) * ROW_HEIGHT + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="yr-chart" role="img" '
        f'viewBox="0 0 {width} {height}" lang={quoteattr(lang)} '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="sans-serif" '
        f'font-size="14" fill="{TEXT}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
    ]
    for row, (label, value) in enumerate(items):
        y = 4 + row * ROW_HEIGHT
        length = round(BAR_WIDTH * value / largest)
        shown = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        number = format_number(value, lang)
        parts.append(
            f"<g><title>{escape(label)}: {number}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="{ROW_HEIGHT - 8}" '
            f'fill="{BAR}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 18}">{number}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
