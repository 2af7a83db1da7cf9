"""Accessible server-rendered SVG charts (no JavaScript, no CDN).

:func:`bar_chart` draws one horizontal bar per row (e.g. the share of a group that has
reached each knowledge goal). The SVG has ``role="img"`` and is labelled by its own
``<title>`` and ``<desc>``; every text is escaped, so names from an LMS or a catalog
cannot inject markup. Pages should still offer the same figures as a data table: a chart
is never the only way to read them.

Sizes are in user units of a ``viewBox`` narrow enough (320 units) that 15-unit labels stay
readable (about 15 px) in a 390 px wide phone; style it with CSS (``width: 100%;
max-width: …``). Labels are wrapped onto up to four lines, never cut to a few words
(a longer one ends with "…"; the row's ``<title>`` and the table have it whole). Colours
come from CSS classes (``chart-bar``, ``chart-track``, ``chart-label``, ``chart-value``)
with inline fallbacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from textwrap import wrap

WIDTH = 320
LABEL_SIZE = 15
LINE_HEIGHT = 19
BAR_HEIGHT = 14
ROW_GAP = 14
VALUE_WIDTH = 48
LINE_CHARS = 36
MAX_LINES = 4


@dataclass(frozen=True)
class ChartRow:
    label: str
    percent: int
    value_text: str | None = None
    """What is written beside the bar; defaults to ``"{percent} %"``."""


def _clamp(percent: int) -> int:
    return max(0, min(100, percent))


def label_lines(label: str) -> list[str]:
    """The label on lines of at most ``LINE_CHARS`` characters, at most ``MAX_LINES``."""
    lines = wrap(label, LINE_CHARS, break_long_words=True, break_on_hyphens=True) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: LINE_CHARS - 1].rstrip() + "…"
    return lines


def bar_chart(rows: Sequence[ChartRow], *, title: str, desc: str, chart_id: str) -> str:
    """The SVG markup of a horizontal bar chart; ``chart_id`` makes its ids unique on a page."""
    cid = escape(chart_id, quote=True)
    wrapped = [label_lines(row.label) for row in rows]
    height = sum(len(lines) * LINE_HEIGHT + BAR_HEIGHT + ROW_GAP for lines in wrapped) + 8
    track = WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{cid}-title {cid}-desc" '
        f'focusable="false">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]
    top = 4
    for row, lines in zip(rows, wrapped, strict=True):
        percent = _clamp(row.percent)
        filled = round(track * percent / 100)
        value = row.value_text if row.value_text is not None else f"{percent} %"
        parts += ["<g>", f"<title>{escape(row.label)}: {escape(value)}</title>"]
        for number, line in enumerate(lines):
            parts.append(
                f'<text class="chart-label" x="0" y="{top + LABEL_SIZE + number * LINE_HEIGHT}" '
                f'font-size="{LABEL_SIZE}" fill="#1f2a24">{escape(line)}</text>'
            )
        bar_y = top + len(lines) * LINE_HEIGHT + 4
        parts += [
            f'<rect class="chart-track" x="0" y="{bar_y}" width="{track}" '
            f'height="{BAR_HEIGHT}" rx="7" fill="#dfe6e1"/>',
            f'<rect class="chart-bar" x="0" y="{bar_y}" width="{filled}" '
            f'height="{BAR_HEIGHT}" rx="7" fill="#1d6b45"/>',
            f'<text class="chart-value" x="{WIDTH}" y="{bar_y + BAR_HEIGHT - 2}" '
            f'font-size="{LABEL_SIZE}" text-anchor="end" fill="#1f2a24">{escape(value)}</text>',
            "</g>",
        ]
        top = bar_y + BAR_HEIGHT + ROW_GAP
    parts.append("</svg>")
    return "".join(parts)
