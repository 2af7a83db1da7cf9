"""``RequestsTransport`` tells whoever waits (``yrkesresan_lti.wire``) when a request body is
on the wire, once, and sends the same bytes and headers either way."""

from __future__ import annotations

import threading
from typing import Any

import requests
import requests.adapters
from requests import Response

from tests.scripted_http import scripted_http
from yrkesresan_lti import wire
from yrkesresan_lti.xapi.transport import RequestsTransport

BODY = b"[" + b",".join(b'{"id":"st-%d"}' % i for i in range(2000)) + b"]"
HEADERS = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


def test_the_signal_comes_while_the_request_waits_for_its_answer_and_only_once() -> None:
    signalled = threading.Event()
    calls: list[str] = []

    def answer(_index: int, _body: bytes) -> int:  # answers only once the client signalled
        return 200 if signalled.wait(timeout=60) else 599

    def sent() -> None:
        calls.append("sent")
        signalled.set()

    with scripted_http(answer) as server:
        transport = RequestsTransport()
        with wire.when_sent(sent):
            assert wire.waiting()
            first = transport.request(
                "POST", server.url + "statements", headers=HEADERS, timeout=(5, 90), body=BODY
            )
            assert not wire.waiting()
            transport.request(
                "POST", server.url + "statements", headers=HEADERS, timeout=(5, 90), body=BODY
            )
        transport.close()
    assert first.status == 200
    assert calls == ["sent"]  # once per block, however many requests


def test_the_bytes_on_the_wire_are_the_same_with_and_without_someone_waiting() -> None:
    with scripted_http(lambda _index, _body: 200) as server:
        transport = RequestsTransport()
        transport.request(
            "POST", server.url + "statements", headers=HEADERS, timeout=(5, 5), body=BODY
        )
        with wire.when_sent(lambda: None):
            transport.request(
                "POST", server.url + "statements", headers=HEADERS, timeout=(5, 5), body=BODY
            )
        transport.close()
        plain, announced = server.posts
    assert plain == announced
    assert plain[2] == BODY
    assert plain[1]["content-length"] == str(len(BODY))
    assert "transfer-encoding" not in plain[1]


def test_without_a_request_nothing_is_signalled() -> None:
    calls: list[str] = []
    with wire.when_sent(lambda: calls.append("sent")):
        pass
    wire.request_sent()  # outside any block: nobody waits
    assert calls == []
    assert not wire.waiting()


class RecordingAdapter(requests.adapters.BaseAdapter):
    """An adapter of the caller's own: answers 200 and keeps the bodies it was given."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[object] = []

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        self.bodies.append(request.body)
        answer = Response()
        answer.status_code = 200
        answer._content = b"[]"
        return answer

    def close(self) -> None:
        return None


def test_an_adapter_of_ones_own_gets_the_plain_bytes_and_no_signal_is_made() -> None:
    adapter = RecordingAdapter()
    session = requests.Session()
    session.mount("https://lrs.test/", adapter)
    calls: list[str] = []
    with wire.when_sent(lambda: calls.append("sent")):
        RequestsTransport(session).request(
            "POST", "https://lrs.test/xapi/statements", headers=HEADERS, timeout=(5, 5), body=BODY
        )
    assert adapter.bodies == [BODY]
    assert calls == []
