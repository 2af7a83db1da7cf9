"""When a request is on the wire: a signal from a transport to work that waits for it.

The outbox worker's flush records one batch and leases the next on a helper thread while a
batch is on its way to the LRS. Started *before* the POST, that thread competes with the
POST for the interpreter lock while the request is still being written (its SQLAlchemy work
holds the lock in stretches; a waiting thread may wait a whole switch interval, 5 ms), and
every POST leaves later. Started once the request is on the wire, the helper runs while the
LRS works and the sending thread only waits for the answer.

So the waiting side wraps the delivery in :func:`when_sent`, and a transport that writes a
request body calls :func:`request_sent` once the body is handed to the network
(:class:`~yrkesresan_lti.xapi.transport.RequestsTransport` does, if :func:`waiting`). Both
happen in the same thread. A transport that never signals costs nothing but the overlap:
the waiting side starts its work itself when the delivery returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["request_sent", "waiting", "when_sent"]


class _Once:
    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback: Callable[[], None] | None = callback

    def fire(self) -> None:
        callback, self.callback = self.callback, None
        if callback is not None:
            callback()


_waiter: ContextVar[_Once | None] = ContextVar("yrkesresan_request_sent", default=None)


@contextmanager
def when_sent(callback: Callable[[], None]) -> Iterator[None]:
    """Run ``callback`` (at most once) when a request made in this block, in this thread,
    is on the wire. It may never run (no request, or a transport that does not signal):
    the caller starts its work itself after the block if it has not started."""
    token = _waiter.set(_Once(callback))
    try:
        yield
    finally:
        _waiter.reset(token)


def waiting() -> bool:
    """Whether something in this thread waits for :func:`request_sent` (a transport need
    not watch its requests otherwise)."""
    waiter = _waiter.get()
    return waiter is not None and waiter.callback is not None


def request_sent() -> None:
    """A request of this thread is on the wire (its body handed to the network): run the
    waiting callback, once. A callback's error propagates to the caller."""
    waiter = _waiter.get()
    if waiter is not None:
        waiter.fire()
