"""A real HTTP server on a loopback port that answers POSTs from a script and records them:
for tests that need the bytes to go through a socket (``responses`` never writes them)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import requests

Answer = Callable[[int, bytes], int]
"""The status for the POST with this index (0, 1, …) and body."""


class ScriptedHttp:
    """What the server saw: ``posts`` (path, headers lower-cased, body), in arrival order,
    and the client's address and port of each (``peers``: one per connection)."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.posts: list[tuple[str, dict[str, str], bytes]] = []
        self.peers: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        self.url = ""

    @property
    def bodies(self) -> list[bytes]:
        with self.lock:
            return [body for _, _, body in self.posts]


@contextmanager
def scripted_http(answer: Answer) -> Iterator[ScriptedHttp]:
    """Serve ``answer`` on 127.0.0.1 (keep-alive) until the block ends."""
    seen = ScriptedHttp(answer)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with seen.lock:
                index = len(seen.posts)
                seen.posts.append(
                    (self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                seen.peers.append(self.client_address[:2])
            status = seen.answer(index, body)
            payload = b"[]" if status < 300 else b'{"detail": "scripted failure"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    seen.url = f"http://{host!s}:{port}/xapi/"
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class WatchedSession(requests.Session):
    """A session that notes (``shared``) a request made while another thread is inside it;
    ``made``: every one made so far."""

    made: ClassVar[list[WatchedSession]] = []

    def __init__(self) -> None:
        super().__init__()
        self.users: set[int] = set()
        self.shared = False
        self.guard = threading.Lock()
        WatchedSession.made.append(self)

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        with self.guard:
            self.shared |= bool(self.users)
            self.users.add(threading.get_ident())
        try:
            return super().request(*args, **kwargs)
        finally:
            with self.guard:
                self.users.discard(threading.get_ident())
