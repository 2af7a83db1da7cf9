"""Tracebacks without personal data: database and validation errors lose their values.

A database driver's message can quote the values of a row (PostgreSQL's ``DETAIL: Key
(sub)=(...)``), SQLAlchemy's can list the SQL parameters, and a pydantic error repeats its
input. For those, the traceback keeps the frames, the class names and the SQL text (with
placeholders) and leaves out the message; every other exception keeps its message.
"""

from __future__ import annotations

import json
import traceback
from types import TracebackType
from typing import Any

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

_VALUE_CARRYING = ("sqlalchemy", "psycopg", "psycopg2", "sqlite3", "pydantic", "pydantic_core")
_CONNECTION_ERRORS = ("OperationalError", "InterfaceError")
"""Database errors whose first line says what broke (server gone, no such table), no values."""


def _qualified(error: BaseException) -> str:
    kind = type(error)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def _hides_values(error: BaseException) -> bool:
    return type(error).__module__.split(".")[0] in _VALUE_CARRYING


def safe_message(error: BaseException) -> str:
    """The exception's message, or for value-carrying errors what is safe of it."""
    if not _hides_values(error):
        return str(error)
    errors: Any = getattr(error, "errors", None)
    if callable(errors) and type(error).__name__ == "ValidationError":
        found = errors(include_url=False, include_input=False, include_context=False)
        where = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or '(root)'} ({item['type']})"
            for item in found
        )
        return f"{len(found)} validation error(s): {where} (input hidden)"
    parts = []
    original = getattr(error, "orig", None)
    if isinstance(original, BaseException):
        parts.append(f"({_qualified(original)})")
        first_line = str(original).strip().splitlines()[:1]
        if type(original).__name__ in _CONNECTION_ERRORS and first_line:
            parts.append(first_line[0][:200])
    elif type(error).__name__ in _CONNECTION_ERRORS:
        parts.extend(str(error).strip().splitlines()[:1])
    statement = getattr(error, "statement", None)
    if isinstance(statement, str):
        parts.append(f"[SQL: {statement[:1000]}]")
    parts.append("(values hidden)")
    return " ".join(parts)


def safe_traceback(exc_info: ExcInfo | tuple[None, None, None]) -> str:
    """Like :func:`traceback.format_exception`, with :func:`safe_message` for each message."""
    error = exc_info[1]
    if error is None:
        return ""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, "direct cause"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "context"
        else:
            current = None
    lines: list[str] = []
    for position, (each, _) in enumerate(reversed(chain)):
        if position:
            # the link that led from the later exception to this earlier one
            later_link = chain[len(chain) - position][1]
            lines.append(
                "\nThe above exception was the direct cause of the following exception:\n\n"
                if later_link == "direct cause"
                else "\nDuring handling of the above exception, another exception occurred:\n\n"
            )
        if each.__traceback__ is not None:
            lines.append("Traceback (most recent call last):\n")
            lines.extend(traceback.format_tb(each.__traceback__))
        message = safe_message(each)
        lines.append(f"{_qualified(each)}: {message}\n" if message else f"{_qualified(each)}\n")
    return "".join(lines).rstrip("\n")


IDENTITY_KEYS = frozenset(
    {"name", "mbox", "mbox_sha1sum", "openid", "userId", "sub", "email", "given_name"}
    | {"family_name"}
)
"""Keys whose string values name a person in what we send: xAPI actors (``name``, ``mbox``,
``account.name``), AGS scores (``userId``), launch claims."""


def _identities(data: object) -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in IDENTITY_KEYS and isinstance(value, str) and len(value) >= 3:
                found.add(value)
            else:
                found |= _identities(value)
    elif isinstance(data, list):
        for value in data:
            found |= _identities(value)
    return found


def without_identities(text: str, payload: bytes) -> str:
    """``text`` (e.g. an LRS's or LMS's error answer) with every identity value of the JSON
    ``payload`` we sent replaced by ``[hidden]``: a remote answer may quote our request."""
    try:
        data = json.loads(payload)
    except ValueError:
        return text
    for value in sorted(_identities(data), key=len, reverse=True):
        text = text.replace(value, "[hidden]")
    return text
