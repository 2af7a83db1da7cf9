"""Where a launch's answer leaves the browser, for tests that follow a launch.

A resource-link launch answers with its first page itself (200, the page's own GET URL in
``Content-Location`` and in the page's ``data-reload-url``, which ``static/pages.js`` puts in
the address bar); other launches, and the fallbacks, answer 303 with it in ``Location``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from yrkesresan_adapter.lti.session import TOKEN_PARAM
from yrkesresan_lti.testing.simulator import BrowserResponse


def landed_url(answer: BrowserResponse) -> str:
    """The URL of the page the launch shows (200) or redirects to (303)."""
    found = answer.page_url if answer.status in (200, 303) else None
    if not found:
        raise AssertionError(
            f"the launch answered {answer.status} without its page: {answer.text[:300]}"
        )
    return found


def landed_token(answer: BrowserResponse) -> str:
    """The launch token in the URL of :func:`landed_url`."""
    return parse_qs(urlsplit(landed_url(answer)).query)[TOKEN_PARAM][0]
