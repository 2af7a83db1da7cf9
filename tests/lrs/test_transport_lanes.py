"""``RequestsTransport`` from several threads at once: each lane its own ``requests.Session``
(requests does not document a session as thread-safe), each lane's connection kept alive."""

from __future__ import annotations

import threading
from collections.abc import Callable

from tests.scripted_http import WatchedSession, scripted_http
from yrkesresan_lti.xapi.transport import RequestsTransport

HEADERS = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
NEVER = 0.5  # how long the first request gives a second one the chance to arrive


def post_at_once(transport: RequestsTransport, url: str, threads: int) -> list[int]:
    """``threads`` POSTs started together; their statuses."""
    statuses: list[int] = []
    start = threading.Barrier(threads)

    def post() -> None:
        start.wait()
        answer = transport.request("POST", url, headers=HEADERS, timeout=(5, 30), body=b"[]")
        statuses.append(answer.status)

    workers = [threading.Thread(target=post) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses


def both_arrive(first_waits: float) -> tuple[Callable[[int, bytes], int], list[bool]]:
    """An answer that holds POST 0 until POST 1 arrives (at most ``first_waits`` s) and
    notes whether it did."""
    arrived = threading.Event()
    overlapped: list[bool] = []

    def answer(index: int, _body: bytes) -> int:
        if index == 1:
            arrived.set()
        if index == 0:
            overlapped.append(arrived.wait(timeout=first_waits))
        return 200

    return answer, overlapped


def test_requests_at_the_same_time_never_share_a_session_and_each_lane_stays_alive() -> None:
    WatchedSession.made.clear()
    answer, overlapped = both_arrive(first_waits=30)
    with scripted_http(answer) as server:
        transport = RequestsTransport(session_factory=WatchedSession)
        url = server.url + "statements"
        assert post_at_once(transport, url, 2) == [200, 200]
        for _ in range(2):  # and again, two at a time and one after the other
            assert post_at_once(transport, url, 2) == [200, 200]
        transport.request("POST", url, headers=HEADERS, timeout=(5, 30), body=b"[]")
        transport.close()
        peers = list(server.peers)

    assert overlapped == [True]  # the two were on the wire together
    assert len(WatchedSession.made) == 2  # one session per lane, kept
    assert not any(session.shared for session in WatchedSession.made)
    assert len(peers) == 7
    assert len(set(peers)) == 2  # one connection per lane, kept alive


def test_one_after_the_other_every_request_goes_through_one_session_and_connection() -> None:
    WatchedSession.made.clear()
    with scripted_http(lambda _index, _body: 200) as server:
        transport = RequestsTransport(session_factory=WatchedSession)
        for _ in range(3):
            transport.request(
                "POST", server.url + "statements", headers=HEADERS, timeout=(5, 30), body=b"[]"
            )
        transport.close()
        peers = list(server.peers)

    assert len(WatchedSession.made) == 1
    assert len(set(peers)) == 1


def test_a_session_of_ones_own_without_a_factory_serves_one_request_at_a_time() -> None:
    answer, overlapped = both_arrive(first_waits=NEVER)
    session = WatchedSession()
    with scripted_http(answer) as server:
        transport = RequestsTransport(session)
        assert post_at_once(transport, server.url + "statements", 2) == [200, 200]
        transport.close()

    assert overlapped == [False]  # the second waited for the first's answer
    assert not session.shared
