"""Storage: the database (:mod:`.database`), the one shared metadata (:mod:`.metadata`),
the tenant scope of feature tables (:mod:`.scope`), and the stores of platform
registrations (:mod:`.registrations`, :mod:`.registration_lookup`) and tool keys
(:mod:`.keys`). Storage imports no feature; every feature may use it.
"""

from __future__ import annotations

from flask import Flask

from yrkesresan_adapter.storage import database, framing, keys, registrations


def init_app(app: Flask) -> None:
    """``services.db``, ``services.platforms``, ``services.framing`` and ``services.tool_keys``."""
    database.init_app(app)
    registrations.init_app(app)
    framing.init_app(app)
    keys.init_app(app)


def ready(app: Flask) -> None:
    """What needs the migrated schema: the first signing key (:func:`keys.ensure_at_startup`)."""
    keys.ensure_at_startup(app)
