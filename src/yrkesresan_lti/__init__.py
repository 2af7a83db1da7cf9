"""Yrkesresan LTI/xAPI: the catalog of journeys and courses, xAPI statements and LTI 1.3 helpers.

The front door: the few things a developer starts from.

- the catalog: :func:`load_catalog` → :class:`Catalog`;
- statements: :class:`StatementFactory` for a :class:`Learner`, pseudonymised by a
  :class:`Pseudonymizer`;
- delivery: :class:`LrsClient` (one LRS), :class:`Outbox` (payloads committed with your data)
  and :class:`OutboxWorker` (delivers them);
- launches: :class:`LaunchValidator` (``LaunchValidator.from_stores(platforms=…, states=…,
  nonces=…, tool_base_url=…)``) over a :class:`PlatformStore`, a :class:`LaunchStateStore`
  and a :class:`NonceStore` (in-memory ones in :mod:`yrkesresan_lti.lti.memory`), giving a
  :class:`LaunchContext`;
- errors: :class:`YrkesresanError`, the root of every error we raise.

Importing this package is cheap and has no side effects: the names above are imported on
first use. The core is framework-free: nothing here imports Flask. The Flask service lives
in the separate ``yrkesresan_adapter`` package; test and demo support (a simulated LMS) in
:mod:`yrkesresan_lti.testing`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from yrkesresan_lti.exceptions import YrkesresanError

if TYPE_CHECKING:
    from yrkesresan_lti.catalog import Catalog, load_catalog
    from yrkesresan_lti.lti.context import LaunchContext
    from yrkesresan_lti.lti.login import LoginRequest
    from yrkesresan_lti.lti.pipeline import LaunchValidator
    from yrkesresan_lti.lti.stores import (
        LaunchStateStore,
        NonceStore,
        PlatformRegistration,
        PlatformStore,
    )
    from yrkesresan_lti.outbox import Outbox, OutboxWorker
    from yrkesresan_lti.xapi import Learner, Pseudonymizer, StatementFactory
    from yrkesresan_lti.xapi.client import LrsClient

__version__ = "0.4.0"

_WHERE = {
    "Catalog": "yrkesresan_lti.catalog",
    "load_catalog": "yrkesresan_lti.catalog",
    "StatementFactory": "yrkesresan_lti.xapi",
    "Learner": "yrkesresan_lti.xapi",
    "Pseudonymizer": "yrkesresan_lti.xapi",
    "LrsClient": "yrkesresan_lti.xapi.client",
    "Outbox": "yrkesresan_lti.outbox",
    "OutboxWorker": "yrkesresan_lti.outbox",
    "LaunchValidator": "yrkesresan_lti.lti.pipeline",
    "LaunchContext": "yrkesresan_lti.lti.context",
    "LoginRequest": "yrkesresan_lti.lti.login",
    "PlatformRegistration": "yrkesresan_lti.lti.stores",
    "PlatformStore": "yrkesresan_lti.lti.stores",
    "LaunchStateStore": "yrkesresan_lti.lti.stores",
    "NonceStore": "yrkesresan_lti.lti.stores",
}

__all__ = [
    "Catalog",
    "LaunchContext",
    "LaunchStateStore",
    "LaunchValidator",
    "Learner",
    "LoginRequest",
    "LrsClient",
    "NonceStore",
    "Outbox",
    "OutboxWorker",
    "PlatformRegistration",
    "PlatformStore",
    "Pseudonymizer",
    "StatementFactory",
    "YrkesresanError",
    "__version__",
    "load_catalog",
]


def __getattr__(name: str) -> Any:
    """Import a front-door name on first use (PEP 562)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
