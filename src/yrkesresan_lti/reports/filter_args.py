"""Filters of the figures as people type them (``--year 2026 --region "Västra Götaland"
--municipality Göteborg --course samtal-med-barn``), checked once, into
:class:`~yrkesresan_lti.reports.figures.Filters` of codes and IRIs.

A region is a county (län): its two-digit code or its name, with or without " län"; a
municipality its kommunkod or its name (:func:`~yrkesresan_lti.municipalities.find_municipality`);
a journey or course its IRI or slug in the catalog. Anything else raises
:class:`~yrkesresan_lti.exceptions.InvalidReportFilter` (or ``UnknownMunicipality``),
whose text tells what to give instead.
"""

from __future__ import annotations

import unicodedata

from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import InvalidReportFilter
from yrkesresan_lti.municipalities import counties, find_municipality
from yrkesresan_lti.reports.figures import Filters
from yrkesresan_lti.untrusted import ascii_digits

FIRST_YEAR, LAST_YEAR = 2000, 2999


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def parse_year(value: str | int | None) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not (ascii_digits(text) and FIRST_YEAR <= int(text) <= LAST_YEAR):
        raise InvalidReportFilter(f"not a year: {text!r}", reason="year", value=text)
    return int(text)


def parse_county(value: str | None) -> str | None:
    """A county's two-digit code from its code or name ("14", "Västra Götalands län",
    "västra götaland")."""
    if value is None or not value.strip():
        return None
    text = _fold(value)
    for county in counties():
        name = _fold(county.name)
        if text in (county.code, name, name.removesuffix(" län"), name.removesuffix("s län")):
            return county.code
    raise InvalidReportFilter(f"not a county: {value!r}", reason="county", value=value.strip())


def parse_municipality(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return find_municipality(value).code


def _node(catalog: Catalog, value: str | None, kind: str) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if kind == "journey":
        found = [j.iri for j in catalog.journeys if text in (j.iri, j.slug)]
    else:
        found = list(
            dict.fromkeys(c.iri for _, _, c in catalog.courses() if text in (c.iri, c.slug))
        )
    if len(found) != 1:
        raise InvalidReportFilter(f"not a {kind}: {text!r}", reason=kind, value=text)
    return found[0]


def parse_filters(
    catalog: Catalog,
    *,
    year: str | int | None = None,
    region: str | None = None,
    municipality: str | None = None,
    journey: str | None = None,
    course: str | None = None,
) -> Filters:
    """All filters at once; the first bad one raises (see the module)."""
    return Filters(
        year=parse_year(year),
        county=parse_county(region),
        municipality=parse_municipality(municipality),
        journey=_node(catalog, journey, "journey"),
        course=_node(catalog, course, "course"),
    )
