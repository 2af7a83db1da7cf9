"""Field types shared by the catalog models: language maps, slugs, URLs, ISO 8601 durations."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, StringConstraints, WithJsonSchema

from yrkesresan_lti.catalog.problems import value_error

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANGUAGE_TAG_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"

_LANGUAGE_TAG = re.compile(LANGUAGE_TAG_PATTERN)
_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+)W|(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?)$"
)


def _check_language_map(value: dict[str, str]) -> dict[str, str]:
    for tag in value:
        if not _LANGUAGE_TAG.match(tag):
            raise value_error("bad_language_tag", tag=tag)
    if "sv" not in value:
        raise value_error("no_swedish_text")
    return value


LangMap = Annotated[
    dict[str, Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]],
    AfterValidator(_check_language_map),
    WithJsonSchema(
        {
            "type": "object",
            "description": "Language map: BCP 47 tag -> text. 'sv' is required, 'en' optional.",
            "required": ["sv"],
            "properties": {
                "sv": {"type": "string", "minLength": 1},
                "en": {"type": "string", "minLength": 1},
            },
            "propertyNames": {"pattern": LANGUAGE_TAG_PATTERN},
            "additionalProperties": {"type": "string", "minLength": 1},
        }
    ),
]
"""Text in several languages (``{"sv": ..., "en": ...}``), usable as an xAPI language map."""

ShortLangMap = Annotated[
    dict[
        str, Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
    ],
    AfterValidator(_check_language_map),
    WithJsonSchema(
        {
            "type": "object",
            "description": "Language map of texts of at most 255 characters; 'sv' is required.",
            "required": ["sv"],
            "properties": {
                "sv": {"type": "string", "minLength": 1, "maxLength": 255},
                "en": {"type": "string", "minLength": 1, "maxLength": 255},
            },
            "propertyNames": {"pattern": LANGUAGE_TAG_PATTERN},
            "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 255},
        }
    ),
]
"""A language map of names the tool keeps in its database (``varchar(255)``), e.g. an
occasion's title."""


def _check_slug(value: str) -> str:
    if not re.match(SLUG_PATTERN, value):
        raise value_error("bad_slug", value=value)
    return value


Slug = Annotated[
    str,
    StringConstraints(max_length=80),
    AfterValidator(_check_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "maxLength": 80}),
]
"""Stable, IRI-safe identifier of a node among its siblings."""


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise value_error("bad_url", value=value)
    return value


HttpUrlStr = Annotated[
    str,
    AfterValidator(_check_http_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://[^\\s]+$"}),
]
"""An absolute http(s) URL, kept exactly as written."""


def parse_duration(value: str) -> timedelta:
    """Parse an ISO 8601 duration of weeks, days, hours, minutes, seconds (``PT45M``)."""
    match = _DURATION.match(value)
    if match is None or value in ("P", "PT") or value.endswith("T"):
        raise value_error("bad_duration", value=value)
    parts = {k: float(v) for k, v in match.groupdict().items() if v is not None}
    return timedelta(**parts)


def _check_duration(value: str) -> str:
    if parse_duration(value) <= timedelta(0):
        raise value_error("zero_duration", value=value)
    return value


Duration = Annotated[
    str,
    AfterValidator(_check_duration),
    WithJsonSchema(
        {
            "type": "string",
            "description": "ISO 8601 duration, e.g. PT45M",
            "pattern": _DURATION.pattern,
        }
    ),
]
"""A positive ISO 8601 duration, kept as written (``PT1H30M``)."""


ClockTime = Annotated[
    time,
    WithJsonSchema({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"}),
]
"""A time of day written ``HH:MM`` (quote it in YAML: ``"09:00"``)."""
