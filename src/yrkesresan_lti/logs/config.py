"""The one logging configuration (``logging.config.dictConfig``) of every entry point.

``yrkesresan serve``, ``yrkesresan worker`` and the demo call :func:`configure_logging`;
gunicorn gets the same dictionary as ``logconfig_dict`` (``yrkesresan_adapter.gunicorn_conf``),
so its own lines share the format. Everything goes to standard error.
"""

from __future__ import annotations

import logging
import logging.config
from typing import IO, Any, Literal

from yrkesresan_lti.settings import Settings

LogFormat = Literal["json", "text"]
_FORMATTERS = {
    "json": "yrkesresan_lti.logs.formatters.JsonLineFormatter",
    "text": "yrkesresan_lti.logs.formatters.TextLineFormatter",
}


def log_format_of(settings: Settings) -> LogFormat:
    """``YRKESRESAN_LOG_FORMAT`` if set, else JSON in production and text otherwise."""
    if settings.log_format is not None:
        return settings.log_format
    return "json" if settings.production else "text"


def logging_config(settings: Settings, *, stream: IO[str] | None = None) -> dict[str, Any]:
    """The ``dictConfig`` dictionary: our format on one handler (standard error or ``stream``).

    Our loggers (``yrkesresan.*``) log at ``YRKESRESAN_LOG_LEVEL``; other libraries and
    gunicorn never below INFO (their DEBUG lines may show request details). gunicorn's own
    access log is off: the adapter writes one ``http_request`` line per request, without the
    query string (where the launch token travels).
    """
    level = settings.log_level
    others = logging.getLevelName(max(logging.INFO, logging.getLevelName(level)))
    handler: dict[str, Any] = {
        "class": "logging.StreamHandler",
        "formatter": log_format_of(settings),
        "filters": ["request_id"],
        "stream": stream if stream is not None else "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "yrkesresan_lti.logs.context.RequestIdFilter"}},
        "formatters": {name: {"()": path} for name, path in _FORMATTERS.items()},
        "handlers": {"stderr": handler},
        "loggers": {
            "yrkesresan": {"level": level},
            "gunicorn.error": {"level": others, "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
        "root": {"level": others, "handlers": ["stderr"]},
    }


def configure_logging(settings: Settings) -> None:
    """Apply :func:`logging_config` (call it once, in an entry point)."""
    logging.config.dictConfig(logging_config(settings))
