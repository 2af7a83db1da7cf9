"""A :class:`~yrkesresan_lti.testing.simulator.Browser` over a ``requests.Session`` (its cookie
jar is the browser's), for driving a running tool over HTTP in tests and benchmarks."""

from __future__ import annotations

from collections.abc import Mapping

import requests

from yrkesresan_lti.testing.simulator import BrowserResponse


class RequestsBrowser:
    """Posts forms without following redirects, like a browser the simulator steers."""

    def __init__(self, session: requests.Session | None = None, *, timeout: float = 30.0) -> None:
        self.session = session or requests.Session()
        self.timeout = timeout

    def post_form(self, url: str, fields: Mapping[str, str]) -> BrowserResponse:
        """POST the form; the answer as is (redirects are not followed)."""
        response = self.session.post(
            url, data=dict(fields), allow_redirects=False, timeout=self.timeout
        )
        return BrowserResponse(response.status_code, dict(response.headers), response.text)

    def get(self, url: str) -> BrowserResponse:
        """GET the URL; the answer as is (redirects are not followed)."""
        response = self.session.get(url, allow_redirects=False, timeout=self.timeout)
        return BrowserResponse(response.status_code, dict(response.headers), response.text)
