"""Serve simulators' key sets to a :class:`requests.Session` without a network round trip.

Mount it on the session a :class:`JwksCache` uses (tests, and the demo where the simulated
platform lives inside the tool itself and a worker must not call its own server)::

    session.mount(simulator.issuer + "/", SimulatorTransport(simulator))
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

import requests
from requests.adapters import BaseAdapter

from yrkesresan_lti.testing.simulator import PlatformSimulator


class SimulatorTransport(BaseAdapter):
    """Answers GET <key_set_url> of the given simulators; 404 for anything else."""

    def __init__(self, *simulators: PlatformSimulator) -> None:
        super().__init__()
        self._simulators = simulators
        self._lock = threading.Lock()
        self.requests = 0
        """How many key set requests reached this transport."""

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Answer a key set request of one of the simulators; 404 for anything else."""
        with self._lock:
            self.requests += 1
        body: dict[str, Any] | None = None
        for simulator in self._simulators:
            if request.method == "GET" and request.url == simulator.key_set_url:
                body = simulator.jwks()
        response = requests.Response()
        response.status_code = 200 if body is not None else 404
        response._content = json.dumps(body or {"error": "not found"}).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to release."""
