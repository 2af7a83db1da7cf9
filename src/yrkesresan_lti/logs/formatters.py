"""The two line formats: JSON (production) and ``key=value`` text (development).

Both write the UTC time (ISO 8601, milliseconds, ``Z``), level, logger, the request id when
there is one, the event and its fields (the record's ``extra``), and tracebacks through
:func:`~yrkesresan_lti.logs.redact.safe_traceback`.

Every request writes at least one line, a launch five, so a line's cost counts: the JSON
lines are serialized by orjson (python-json-logger's ``OrjsonFormatter``), the fields are
read off the record once, and the time's date and seconds are formatted once per second
(in one process about 23 → 14 µs a JSON line, 20 → 16 µs a text line).
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.orjson import OrjsonFormatter

from yrkesresan_lti.logs.redact import safe_traceback

_RESERVED = frozenset(RESERVED_ATTRS) | {"taskName", "color_message"}

_second: tuple[int, str] = (-1, "")
"""The last whole second formatted by :func:`utc_timestamp`, and its text."""


def utc_timestamp(record: logging.LogRecord) -> str:
    """``2026-12-06T15:18:09.123Z``: the record's time, rounded to the microsecond as
    ``datetime.fromtimestamp`` rounds it (half to even), then cut to milliseconds."""
    global _second
    fraction, whole = math.modf(record.created)
    micro = round(fraction * 1_000_000)
    seconds = int(whole)
    if micro >= 1_000_000:
        seconds, micro = seconds + 1, micro - 1_000_000
    cached_second, text = _second
    if cached_second != seconds:
        text = time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime(seconds))
        _second = (seconds, text)
    return f"{text}{micro // 1000:03d}Z"


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's extra fields (``request_id``, ``event`` and the event's own)."""
    fields = {
        key: value
        for key, value in record.__dict__.items()
        if key not in _RESERVED and not key.startswith("_")
    }
    if "event" in fields:
        fields = {"event": fields.pop("event"), **fields}
    if "request_id" in fields:
        fields = {"request_id": fields.pop("request_id"), **fields}
    return fields


class JsonLineFormatter(OrjsonFormatter):
    """One JSON object per line: ``timestamp``, ``level``, ``logger``, ``message``, fields."""

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        log_data["timestamp"] = utc_timestamp(record)
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.message  # set by format()
        log_data.update(message_dict)  # the formatted exc_info and stack_info, if any
        for key, value in record_fields(record).items():
            log_data.pop(key, None)
            log_data[key] = value
        if "exc_info" in log_data:
            log_data["exc_info"] = log_data.pop("exc_info")

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return safe_traceback(ei)

    def jsonify_log_record(self, log_data: dict[str, Any]) -> str:
        """orjson's line; the standard library's for what orjson refuses (an integer beyond
        64 bits, a lone surrogate, e.g. from a hostile token's claim), so that the line is
        written rather than lost to a "Logging error"."""
        try:
            return super().jsonify_log_record(log_data)
        except TypeError:
            return _standard_json(log_data, self.json_default)


def _standard_json(log_data: dict[str, Any], default: Any) -> str:
    """``log_data`` as compact JSON by the standard library; non-ASCII escaped only when the
    text could not be written as UTF-8 (a lone surrogate)."""
    line = json.dumps(log_data, default=default, ensure_ascii=False, separators=(",", ":"))
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(log_data, default=default, separators=(",", ":"))
    return line


_FLATTENED = str.maketrans("\n\r\t", "   ")
_QUOTED = re.compile('[ "=]')


def quote(value: object) -> str:
    """A value for ``key=value``: quoted when it has spaces, quotes or ``=``; no line breaks."""
    text = "-" if value is None else str(value).translate(_FLATTENED)
    if not text or _QUOTED.search(text):
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
