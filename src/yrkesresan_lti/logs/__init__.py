"""Log lines an operator can read: one ``dictConfig`` for the service, the worker and gunicorn.

Events are logged on loggers ``yrkesresan.<area>`` as
``log.info("<event>", extra={"event": "<event>", "<field>": <JSON scalar>, ...})``; the
formatters write each field once, as JSON keys (production) or ``key=value`` (development).
Nothing is configured at import time: call :func:`configure_logging` in an entry point.
"""

from yrkesresan_lti.logs.config import configure_logging, log_format_of, logging_config
from yrkesresan_lti.logs.context import current_request_id, request_id_from, request_scope
from yrkesresan_lti.logs.formatters import JsonLineFormatter, TextLineFormatter

__all__ = [
    "JsonLineFormatter",
    "TextLineFormatter",
    "configure_logging",
    "current_request_id",
    "log_format_of",
    "logging_config",
    "request_id_from",
    "request_scope",
]
