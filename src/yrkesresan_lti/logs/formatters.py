"""The two line formats: JSON (production) and ``key=value`` text (development).

Both write the UTC time (ISO 8601, milliseconds, ``Z``), level, logger, the request id when
there is one, the event and its fields (the record's ``extra``), and tracebacks through
:func:`~yrkesresan_lti.logs.redact.safe_traceback`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS, merge_record_extra
from pythonjsonlogger.json import JsonFormatter

from yrkesresan_lti.logs.redact import safe_traceback

_RESERVED = frozenset(RESERVED_ATTRS) | {"taskName", "color_message"}


def utc_timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's extra fields (``request_id``, ``event`` and the event's own)."""
    fields: dict[str, Any] = merge_record_extra(record, {}, reserved=_RESERVED)
    ordered: dict[str, Any] = {k: fields.pop(k) for k in ("request_id", "event") if k in fields}
    return {**ordered, **fields}


class JsonLineFormatter(JsonFormatter):
    """One JSON object per line: ``timestamp``, ``level``, ``logger``, ``message``, fields."""

    def __init__(self) -> None:
        super().__init__(
            ["levelname", "name", "message"],
            rename_fields={"levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        log_data["timestamp"] = utc_timestamp(record)
        super().add_fields(log_data, record, message_dict)
        for key, value in record_fields(record).items():
            log_data.pop(key, None)
            log_data[key] = value
        if "exc_info" in log_data:
            log_data["exc_info"] = log_data.pop("exc_info")

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return safe_traceback(ei)


def quote(value: object) -> str:
    """A value for ``key=value``: quoted when it has spaces, quotes or ``=``; no line breaks."""
    text = "-" if value is None else str(value)
    for char in "\n\r\t":
        text = text.replace(char, " ")
    if not text or any(ch in text for ch in ' "='):
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


class TextLineFormatter(logging.Formatter):
    """``2026-12-06T15:18:09.123Z INFO yrkesresan.lti request_id=… event=lti_launch k=v …``"""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        fields = record_fields(record)
        parts = [utc_timestamp(record), record.levelname, record.name]
        parts.extend(f"{key}={quote(value)}" for key, value in fields.items())
        if message != fields.get("event"):
            parts.append(f"message={quote(message)}")
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + safe_traceback(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line
