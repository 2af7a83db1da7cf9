"""A real HTTP server on a loopback port that answers POSTs from a script and records them:
for tests that need the bytes to go through a socket (``responses`` never writes them)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = Callable[[int, bytes], int]
"""The status for the POST with this index (0, 1, …) and body."""


class ScriptedHttp:
    """What the server saw: ``posts`` (path, headers lower-cased, body), in arrival order."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.posts: list[tuple[str, dict[str, str], bytes]] = []
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
