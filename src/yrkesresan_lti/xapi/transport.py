"""How the LRS client talks HTTP: a small abstract hook and its ``requests`` implementation.

The client builds URLs, headers and bodies; a :class:`Transport` only moves bytes. Tests
pass an in-memory transport (:mod:`yrkesresan_lti.xapi.transport_memory`) or use
``responses`` against :class:`RequestsTransport`.
"""

from __future__ import annotations

import abc
import json
import threading
from collections.abc import Callable, Iterator, Mapping
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
    """Keep-alive ``requests`` sessions, one per lane.

    A request takes an idle session, the one used last first, so requests one after the
    other share one session and its connection. A request made while every session is busy
    in another thread (the outbox worker's batches in flight) gets a session of its own
    from ``session_factory`` (default ``requests.Session``), kept for later: no session is
    ever used by two threads at once (``requests`` does not document a ``Session`` as
    thread-safe), and each lane keeps its own connection alive. ``session``: yours for the
    first lane; without a ``session_factory`` as well, requests made at the same time take
    turns on it.

    It signals :func:`yrkesresan_lti.wire.request_sent` once a body is written, when
    something waits for that (the outbox worker's flush): the body then goes to ``requests``
    as a file-like object that hands over the same bytes in one piece, the same
    ``Content-Length`` and the same bytes on the wire (only through requests' own
    ``HTTPAdapter``: an adapter of yours mounted on the session sees plain bytes).
    """

    def __init__(
        self,
        session: requests.Session | None = None,
        *,
        session_factory: Callable[[], requests.Session] | None = None,
    ) -> None:
        if session is None:
            session_factory = session_factory or requests.Session
            session = session_factory()
        self._factory = session_factory
        self._sessions = [session]  # every lane's, for close()
        self._idle = [session]
        self._turn = threading.Condition()

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
        session = self._take()
        try:
            answer = session.request(
                method,
                url,
                headers=dict(headers),
                params=dict(params) if params else None,
                data=_Announcing(body) if body and _announces(session, url) else body,
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
        finally:
            self._give_back(session)
        return TransportResponse(
            status=answer.status_code,
            body=answer.content,
            headers={k.lower(): v for k, v in answer.headers.items()},
        )

    def _take(self) -> requests.Session:
        """An idle session (the last one given back), else a new lane's, else (no
        factory) the first one given back."""
        with self._turn:
            while not self._idle:
                if self._factory is not None:
                    session = self._factory()
                    self._sessions.append(session)
                    return session
                self._turn.wait()
            return self._idle.pop()

    def _give_back(self, session: requests.Session) -> None:
        with self._turn:
            self._idle.append(session)
            self._turn.notify()

    def close(self) -> None:
        """Close every lane's keep-alive connections."""
        with self._turn:
            sessions = list(self._sessions)
        for session in sessions:
            session.close()


def _announces(session: requests.Session, url: str) -> bool:
    """Whether to signal this request's body on the wire: when something waits, and only
    through requests' own ``HTTPAdapter`` (urllib3 writes the body; a custom adapter
    mounted on the session gets the bytes as they are)."""
    return wire.waiting() and type(session.get_adapter(url)) is HTTPAdapter


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
