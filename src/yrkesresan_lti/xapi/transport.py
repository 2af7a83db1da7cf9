"""How the LRS client talks HTTP: a small abstract hook and its ``requests`` implementation.

The client builds URLs, headers and bodies; a :class:`Transport` only moves bytes. Tests
pass an in-memory transport (:mod:`yrkesresan_lti.xapi.transport_memory`) or use
``responses`` against :class:`RequestsTransport`.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from yrkesresan_lti import wire
from yrkesresan_lti.exceptions import LrsUnavailable


@dataclass(frozen=True)
class TransportResponse:
    """An HTTP answer: status, headers (keys lower-case) and the raw body."""

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """The value of a response header (case-insensitive), or ``None``."""
        return self.headers.get(name.lower())


class Transport(abc.ABC):
    """Sends one HTTP request; raises :class:`LrsUnavailable` when no answer arrives."""

    @abc.abstractmethod
    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        timeout: tuple[float, float],
        params: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> TransportResponse:
        """Send the request and return the answer, whatever its status."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections (no-op by default)."""


def redact_url(url: str) -> str:
    """``url`` without user/password, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class RequestsTransport(Transport):
    """A keep-alive ``requests.Session`` (one connection pool per client).

    It signals :func:`yrkesresan_lti.wire.request_sent` once a body is written, when
    something waits for that (the outbox worker's flush): the body then goes to ``requests``
    as a file-like object that hands over the same bytes in one piece, the same
    ``Content-Length`` and the same bytes on the wire (only through requests' own
    ``HTTPAdapter``: an adapter of yours mounted on the session sees plain bytes).
    """

    def __init__(self, session: requests.Session | None = None) -> None:
        self._session = session or requests.Session()

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        timeout: tuple[float, float],
        params: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> TransportResponse:
        """One HTTP request with the timeouts; no answer raises ``LrsUnavailable``."""
        try:
            answer = self._session.request(
                method,
                url,
                headers=dict(headers),
                params=dict(params) if params else None,
                data=_Announcing(body) if body and self._announces(url) else body,
                timeout=timeout,
                allow_redirects=False,
            )
        except requests.Timeout as err:
            raise LrsUnavailable(
                f"The LRS at {redact_url(url)} timed out ({type(err).__name__}); retrying later"
            ) from err
        except requests.RequestException as err:
            raise LrsUnavailable(
                f"The LRS at {redact_url(url)} cannot be reached ({type(err).__name__}); "
                "retrying later"
            ) from err
        return TransportResponse(
            status=answer.status_code,
            body=answer.content,
            headers={k.lower(): v for k, v in answer.headers.items()},
        )

    def _announces(self, url: str) -> bool:
        """Whether to signal this request's body on the wire: when something waits, and
        only through requests' own ``HTTPAdapter`` (urllib3 writes the body; a custom
        adapter mounted on the session gets the bytes as they are)."""
        return wire.waiting() and type(self._session.get_adapter(url)) is HTTPAdapter

    def close(self) -> None:
        """Close the keep-alive connections."""
        self._session.close()


class _Announcing:
    """A request body that calls :func:`wire.request_sent` once it has been read to the
    end, i.e. once urllib3 has written all of it to the socket (``responses`` reads it
    too, for its call list). ``__iter__`` and ``__len__`` send it down requests' path for
    streams (``Content-Length`` from ``__len__``), which, unlike the one for file objects,
    checks no runtime protocol (≈ 0.1 ms per request)."""

    def __init__(self, body: bytes) -> None:
        self._body: bytes | None = body
        self._length = len(body)

    def __len__(self) -> int:  # requests' Content-Length
        return self._length

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read():
            yield chunk

    def read(self, _size: int = -1) -> bytes:
        body, self._body = self._body, None
        if body is None:
            wire.request_sent()
            return b""
        return body


def answer_reason(answer: TransportResponse) -> str:
    """The LRS's own message (JSON ``detail``/``message`` or text), shortened."""
    text = answer.body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("detail", "message", "error"):
            if key in data:
                text = (
                    json.dumps(data[key], ensure_ascii=False)
                    if not isinstance(data[key], str)
                    else data[key]
                )
                break
    return (text or f"HTTP {answer.status}")[:500]
