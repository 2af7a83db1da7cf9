"""An "LRS" that only waits: reads each POST, sleeps, answers ``200 []`` (keep-alive).

    python bench/waiting_lrs.py PORT [SECONDS]

``bench/xapi_delivery.py`` runs it as its own process to measure what a client adds
between and around its POSTs without an LRS's own CPU work on the same cores: with a
server that uses no CPU, the difference between two clients is their own, almost whatever
the load. Headers and body go out in one write (two writes would meet the peer's delayed
ACK and add 40 ms to every answer).
"""

from __future__ import annotations

import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    port = int(sys.argv[1])
    wait = float(sys.argv[2]) if len(sys.argv) > 2 else 0.05

    class Waiting(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(wait)
            self.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]"
            )

        def log_message(self, format: str, *args: object) -> None:
            return None

    ThreadingHTTPServer(("127.0.0.1", port), Waiting).serve_forever()


if __name__ == "__main__":
    main()
