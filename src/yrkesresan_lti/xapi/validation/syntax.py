"""The lexical rules of xAPI 1.0.3 values: IRIs, UUIDs, language tags, timestamps, durations."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f-\x9f]+")
_IRL = re.compile(
    r"https?://[^\s/?#<>\"{}|\\^`\x00-\x1f\x7f-\x9f]+[^\s<>\"{}|\\^`\x00-\x1f\x7f-\x9f]*",
    re.IGNORECASE,
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
_MBOX = re.compile(r"mailto:[^@\s]+@[^@\s]+")
_DURATION = re.compile(
    r"P(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?"
)
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?P<zone>Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)

# RFC 5646 (BCP 47): langtag, private use, and the grandfathered tags.
_LANGTAG = (
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language (+ extlang)
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|\d{3}))?"  # region
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*"  # variants
    r"(?:-[0-9a-wyz](?:-[a-z\d]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z\d]{1,8})+)?"  # private use
)
_GRANDFATHERED = [
    "en-gb-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-be-fr",
    "sgn-be-nl",
    "sgn-ch-de",
    "art-lojban",
    "cel-gaulish",
    "no-bok",
    "no-nyn",
    "zh-guoyu",
    "zh-hakka",
    "zh-min",
    "zh-min-nan",
    "zh-xiang",
]
_LANGUAGE_TAG = re.compile(
    rf"{_LANGTAG}|x(?:-[a-z\d]{{1,8}})+|{'|'.join(map(re.escape, _GRANDFATHERED))}",
    re.IGNORECASE,
)


def is_iri(value: object) -> bool:
    """An absolute IRI (scheme, colon, no white space or forbidden characters)."""
    if type(value) is str:  # kept answers only for plain strings (hash and == of str)
        return _is_iri_text(value)
    return isinstance(value, str) and _IRI.fullmatch(value) is not None


@lru_cache(maxsize=4096)
def _is_iri_text(value: str) -> bool:
    """The pattern's answer for ``value``: the same few IRIs (verbs, activity types,
    extension keys) come in every statement, so their answers are kept."""
    return _IRI.fullmatch(value) is not None


def is_irl(value: object) -> bool:
    """An IRI that can be looked up: absolute http(s) with a host."""
    return isinstance(value, str) and _IRL.fullmatch(value) is not None


def is_uuid(value: object) -> bool:
    """A UUID in the standard 8-4-4-4-12 hex form."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def is_sha1_hex(value: object) -> bool:
    return isinstance(value, str) and _SHA1.fullmatch(value) is not None


def is_mbox(value: object) -> bool:
    return isinstance(value, str) and _MBOX.fullmatch(value) is not None


def is_language_tag(value: object) -> bool:
    """A well-formed BCP 47 language tag (RFC 5646 syntax)."""
    if type(value) is str:
        return _is_language_tag_text(value)
    return isinstance(value, str) and _LANGUAGE_TAG.fullmatch(value) is not None


@lru_cache(maxsize=1024)
def _is_language_tag_text(value: str) -> bool:
    return _LANGUAGE_TAG.fullmatch(value) is not None


def is_duration(value: object) -> bool:
    """An ISO 8601 duration such as ``PT15M`` or ``P1DT2H``."""
    return isinstance(value, str) and _DURATION.fullmatch(value) is not None


def timestamp_problem(value: object) -> str | None:
    """Why ``value`` is not an ISO 8601 timestamp with a time zone, or None if it is."""
    if not isinstance(value, str):
        return "must be an ISO 8601 string"
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        return f"{value!r} is not an ISO 8601 timestamp like 2026-11-22T06:01:02.123Z"
    if match.group("zone") is None:
        return f"{value!r} has no time zone: add Z (UTC) or an offset like +01:00"
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return f"{value!r} is not a real date and time"
    return None
