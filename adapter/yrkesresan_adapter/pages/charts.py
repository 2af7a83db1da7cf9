"""Accessible server-rendered SVG charts (no JavaScript, no CDN).

:func:`bar_chart` draws one horizontal bar per row (e.g. the share of a group that has
reached each knowledge goal). The SVG has ``role="img"`` and is labelled by its own
``<title>`` and ``<desc>``; every text is escaped, so names from an LMS or a catalog
cannot inject markup. Pages should still offer the same figures as a data table: a chart
is never the only way to read them.

Sizes are in user units of a ``viewBox`` narrow enough (360 units) that labels stay
readable when the chart is scaled down to a 320 px wide iframe; style it with CSS
(``width: 100%; max-width: …``). Colours come from CSS classes (``chart-bar``,
``chart-track``, ``chart-label``, ``chart-value``) with inline fallbacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 360
ROW_HEIGHT = 46
LABEL_SIZE = 14
BAR_HEIGHT = 14
VALUE_WIDTH = 48
MAX_LABEL_CHARS = 44


@dataclass(frozen=True)
class ChartRow:
    label: str
    percent: int
    value_text: str | None = None
    """What is written beside the bar; defaults to ``"{percent} %"``."""


def _clamp(percent: int) -> int:
    return max(0, min(100, percent))


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart(rows: Sequence[ChartRow], *, title: str, desc: str, chart_id: str) -> str:
    """The SVG markup of a horizontal bar chart; ``chart_id`` makes its ids unique on a page."""
    cid = escape(chart_id, quote=True)
    height = max(1, len(rows)) * ROW_HEIGHT + 8
    track = WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{cid}-title {cid}-desc" '
        f'focusable="false">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]
    for index, row in enumerate(rows):
        top = index * ROW_HEIGHT + 4
        bar_y = top + LABEL_SIZE + 8
        percent = _clamp(row.percent)
        filled = round(track * percent / 100)
        value = row.value_text if row.value_text is not None else f"{percent} %"
        parts += [
            "<g>",
            f"<title>{escape(row.label)}: {escape(value)}</title>",
            f'<text class="chart-label" x="0" y="{top + LABEL_SIZE}" '
            f'font-size="{LABEL_SIZE}" fill="#1f2a24">{escape(_short(row.label))}</text>',
            f'<rect class="chart-track" x="0" y="{bar_y}" width="{track}" '
            f'height="{BAR_HEIGHT}" rx="7" fill="#dfe6e1"/>',
            f'<rect class="chart-bar" x="0" y="{bar_y}" width="{filled}" '
            f'height="{BAR_HEIGHT}" rx="7" fill="#1d6b45"/>',
            f'<text class="chart-value" x="{WIDTH}" y="{bar_y + BAR_HEIGHT - 2}" '
            f'font-size="{LABEL_SIZE}" text-anchor="end" fill="#1f2a24">{escape(value)}</text>',
            "</g>",
        ]
    parts.append("</svg>")
    return "".join(parts)
