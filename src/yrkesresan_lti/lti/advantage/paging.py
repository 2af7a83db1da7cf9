"""``Link`` header paging shared by AGS and NRPS (RFC 8288, quoted or not)."""

from __future__ import annotations

import re

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


def next_link(header: str | None) -> str | None:
    """The ``rel=next`` target of a ``Link`` header (``rel="next"`` or ``rel=next``)."""
    if not header:
        return None
    for match in _LINK.finditer(header):
        rel = _REL.search(match.group(2) or "")
        if rel and "next" in (rel.group(1) or rel.group(2) or "").lower().split():
            return match.group(1).strip() or None
    return None
