"""Service URLs built from URLs the platform gives us, without losing their query string.

Moodle hands out line items such as ``…/lineitems/2/lineitem?type_id=1``; the scores of
that line item live at ``…/lineitems/2/lineitem/scores?type_id=1``. The path segment goes
before the query, and the *whole* query is kept (pylti1p3 keeps it only up to a second
``?``).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit


def service_url(base: str, segment: str) -> str:
    """``base`` with ``/segment`` appended to its path; query kept whole, fragment dropped."""
    parts = urlsplit(base)
    path = parts.path.rstrip("/") + "/" + segment.strip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def with_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` added after its existing query (which stays as it was)."""
    if not params:
        return url
    parts = urlsplit(url)
    extra = urlencode(dict(params))
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def origin(url: str) -> str:
    """``scheme://host[:port]`` in lower case, default ports removed."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port in (None, default) else f"{host}:{port}"
    return f"{scheme}://{netloc}"


def without_query(url: str) -> str:
    """The URL with query and fragment removed (for comparing resource identities)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
