"""``Link`` header paging shared by AGS and NRPS (RFC 8288, quoted or not)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from yrkesresan_lti.exceptions import ServiceRejected
from yrkesresan_lti.lti.advantage.urls import origin
from yrkesresan_lti.untrusted import http_url

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


def next_link(header: str | None, current: str) -> str | None:
    """The ``rel=next`` target of a ``Link`` header (``rel="next"`` or ``rel=next``) of the
    page at ``current``, resolved against it (a relative reference is allowed).

    The next page is asked for with our access token, so it must be on the platform's own
    origin (scheme, host and port of ``current``) and an http(s) URL a request can reach;
    anything else raises :class:`ServiceRejected` rather than send the token elsewhere."""
    if not header:
        return None
    for match in _LINK.finditer(header):
        rel = _REL.search(match.group(2) or "")
        if rel and "next" in (rel.group(1) or rel.group(2) or "").lower().split():
            target = match.group(1).strip()
            if not target:
                return None
            url: str
            try:
                url = urljoin(current, target)
            except ValueError:  # "http://[" in the target
                url = ""
            if http_url(url) is None or origin(url) != origin(current):
                raise ServiceRejected(
                    f"The platform's next page ({target[:200]!r}) is not an http(s) URL on "
                    f"{origin(current)}: not followed, so that our access token stays there."
                )
            return url
    return None
