"""Rules for untrusted text, numbers and JSON: the one place that says what is refused.

Everything from an LMS or a browser is checked once at the edge with these rules, before it
reaches storage or a template: the id_token's claims in the core's validation pipeline
(:mod:`yrkesresan_lti.lti.validation`), form and query parameters in the adapter's request
boundary (``yrkesresan_adapter.web.request_boundary``). docs/security.md lists the limits.

- **Text** must be free of NUL (PostgreSQL cannot store it) and of surrogate code points
  (they cannot be encoded as UTF-8: a lone ``\\udc80`` breaks every later page).
- **Identifiers** we store have a maximum length (their columns'); longer ones are refused
  with the field's name. **Display texts** (names, titles) are shortened instead
  (:func:`shorten`), so a long name never locks a learner out.
- **Numbers** (``exp``, ``iat``, ``nbf``) must be finite and within
  [:data:`MIN_NUMERIC_DATE`, :data:`MAX_NUMERIC_DATE`].
- **JSON** is parsed with a depth and size limit and without ``NaN``/``Infinity``
  (:func:`loads_json`).
- **URLs** we call or link to are absolute http(s) URLs that ``urlsplit`` reads, with a host,
  a port in range and no spaces or control characters (:func:`http_url`).
- **Secrets** a request presents (tokens, signatures) are compared in constant time as UTF-8
  bytes (:func:`same_secret`), so text beyond ASCII is unequal rather than an error.
"""

from __future__ import annotations

import hmac
import json
import math
import re
from typing import Any
from urllib.parse import SplitResult, urlsplit

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects a parsed document may have (an id_token has 3)."""
MAX_NUMERIC_DATE = 4_102_444_800
"""2100-01-01T00:00:00Z: later ``exp``/``iat``/``nbf`` values are refused."""
MIN_NUMERIC_DATE = 0
MAX_DISPLAY_TEXT = 255
"""Names and titles are shortened to this many characters (``page_learners.name``)."""
MAX_IDENTIFIER = 255
"""The longest identifier we store or look up by (``sub``, ``client_id``, ``deployment_id``,
a context's or resource link's id, a roster member's ``user_id``): their columns'."""
MAX_URL = 2048
"""The longest URL we store or call (an issuer, a service endpoint, a meeting link)."""
ELLIPSIS = "…"

_UNSAFE = re.compile("[\x00\ud800-\udfff]")


def unsafe_characters(text: str) -> bool:
    """True when ``text`` holds NUL or a surrogate code point (refused everywhere)."""
    return _UNSAFE.search(text) is not None


def same_secret(presented: str, expected: str) -> bool:
    """``presented`` (from a request: a token, a signature) equals ``expected``, compared in
    constant time. ``hmac.compare_digest`` raises ``TypeError`` for a string with a
    character beyond ASCII (``lt=v1.x.1.é`` was a 500 on every page): both are compared as
    UTF-8 bytes, surrogates included, so such text is simply not equal."""
    return hmac.compare_digest(
        presented.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def ascii_digits(text: str) -> bool:
    """True when ``text`` is one or more of the digits 0–9: what ``int()`` and ``float()``
    read. ``str.isdigit()`` is also true for ``²`` or ``①``, which both refuse (a
    ``ValueError`` where a check was meant to stand)."""
    return text.isascii() and text.isdigit()


def usable_text(value: object, limit: int, *, numbers: bool = False) -> str | None:
    """``value`` as text we may store, or None: a string (with ``numbers``, an integer too,
    as some platforms send ids) free of NUL and surrogates, of at most ``limit`` characters.
    Booleans are never numbers."""
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or len(value) > limit or unsafe_characters(value):
        return None
    return value


_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f\ud800-\udfff]")
"""What an http(s) URL we call or link to may not hold: controls, spaces, NUL, surrogates."""


def http_url(value: object, limit: int = MAX_URL) -> SplitResult | None:
    """The parts of ``value`` when it is an absolute http(s) URL we can read, else None.

    Refused: anything but a string, longer than ``limit``, with a space, a control character
    or a surrogate, another scheme (``javascript:``), no host, an IPv6 host that never closes
    (``http://[``) or a port out of range. A caller that keeps the URL keeps ``value``
    itself (``urlsplit`` does not change it)."""
    if not isinstance(value, str) or len(value) > limit or _URL_UNSAFE.search(value):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return parts


def shorten(text: str, limit: int = MAX_DISPLAY_TEXT) -> str:
    """``text`` cut to at most ``limit`` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def numeric_date(value: object) -> int | None:
    """A NumericDate claim as whole seconds, or None when it is not a finite number in range
    (booleans, strings, NaN, infinities, 1e15 …)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not MIN_NUMERIC_DATE <= value <= MAX_NUMERIC_DATE:
        return None
    return int(value)


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
"""A JSON string with its escapes (to its end when unterminated): its brackets do not nest."""
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` in a JSON text (brackets inside strings ignored).

    The strings are cut out by a regular expression and only the brackets left are walked
    (an id_token's payload has a handful among its 1,500 characters): a loop over every
    character was a tenth of a millisecond of each launch."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads_json(raw: bytes | str, *, max_bytes: int, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` with limits: ``ValueError`` when ``raw`` is longer than ``max_bytes``,
    nested deeper than ``max_depth``, holds ``NaN``/``Infinity``, or is not JSON or UTF-8."""
    if len(raw) > max_bytes:
        raise ValueError(f"the JSON document has more than {max_bytes} bytes")
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    # fewer opening brackets than the limit cannot nest deeper (an id_token has ~20)
    if text.count("[") + text.count("{") > max_depth and json_depth(text) > max_depth:
        raise ValueError(f"the JSON document is nested deeper than {max_depth}")
    return json.loads(text, parse_constant=_no_constants)
