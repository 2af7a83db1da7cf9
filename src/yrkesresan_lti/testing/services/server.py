"""Run a WSGI app (the fake platform) on a free loopback port in a thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from yrkesresan_lti.testing.services.platform import FakePlatformServices
from yrkesresan_lti.testing.services.wire import StartResponse, WsgiEnviron


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serve(app: Callable[[WsgiEnviron, StartResponse], list[bytes]]) -> Iterator[str]:
    """Run ``app`` on a free loopback port in a thread; yields its base URL, stops on exit."""
    server: WSGIServer = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    base_url = f"http://127.0.0.1:{server.server_port}"
    if isinstance(app, FakePlatformServices):
        app.base_url = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
