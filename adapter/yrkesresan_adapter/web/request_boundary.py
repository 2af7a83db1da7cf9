"""The one boundary for form and query parameters: every request is checked here first.

Before any page or endpoint runs, :func:`check_request` refuses a request whose

- query string is longer than :data:`MAX_QUERY_BYTES` (414, ``UriTooLong``);
- body is longer than :data:`MAX_BODY_BYTES`, or than the smaller limit an endpoint set
  with :func:`limit_body` (413, ``BodyTooLarge``);
- parameter names or values (query or form) hold NUL or surrogate characters, or are longer
  than their limit in :data:`FIELD_LIMITS` (else :data:`DEFAULT_FIELD_LIMIT`): 400,
  ``InvalidField`` naming the field.

The rules themselves (what is unsafe text) are the core's, :mod:`yrkesresan_lti.untrusted`,
which the id_token's claims follow too. docs/security.md lists the limits.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Request
from flask.globals import _cv_request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from yrkesresan_lti.exceptions import BodyTooLarge, InvalidField, UriTooLong
from yrkesresan_lti.untrusted import unsafe_characters

MAX_QUERY_BYTES = 8 * 1024
MAX_BODY_BYTES = 256 * 1024
MAX_FIELD_NAME = 128
DEFAULT_FIELD_LIMIT = 4096
"""The longest value of a parameter not in :data:`FIELD_LIMITS` (the OIDC login's own)."""

FIELD_LIMITS: dict[str, int] = {
    "id_token": 96 * 1024,  # the core refuses tokens over 64 KiB with RequestTooLarge
    "state": 255,
    "lt": 1024,  # launch token
    "csrf_token": 128,
    "person": 255,  # an LTI sub
    "course": 1024,  # catalog IRIs and slugs
    "journey": 1024,
    "task": 1024,
    "occasion": 1024,
    "node": 1024,
    "attended": 1300,  # "<day slug>|<sub>"
    "was": 1300,
    "q": 200,  # search boxes
    "openid_configuration": 2048,
}
"""Longest accepted value per parameter name (the column or catalog limit behind it)."""

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_LIMITS = "yrkesresan.body_limits"


def limit_body(app: Flask, endpoint: str, max_bytes: int) -> None:
    """Give ``endpoint`` a body limit below :data:`MAX_BODY_BYTES` (e.g. the LTI login)."""
    app.extensions.setdefault(_LIMITS, {})[endpoint] = min(max_bytes, MAX_BODY_BYTES)


def _check_fields(fields: Iterable[tuple[str, list[str]]]) -> None:
    for name, values in fields:
        label = name[:60]
        if unsafe_characters(name) or any(unsafe_characters(v) for v in values):
            raise InvalidField(
                f"the parameter {label!r} holds NUL or surrogate characters",
                reason="unsafe",
                field=label,
            )
        limit = FIELD_LIMITS.get(name, DEFAULT_FIELD_LIMIT)
        if len(name) > MAX_FIELD_NAME or any(len(v) > limit for v in values):
            raise InvalidField(
                f"the parameter {label!r} is longer than {limit} characters",
                reason="too_long",
                field=label,
                limit=str(limit),
            )


def _form(request: Request, limit: int) -> MultiDict[str, str]:
    try:
        request.get_data(cache=True)  # kept: a view may still read the raw body (demo LMS)
        return request.form
    except RequestEntityTooLarge as err:
        raise BodyTooLarge(f"the request body is larger than {limit} bytes") from err


def check_request() -> None:
    """Refuse the request (a typed error, see the module) unless its parameters are safe."""
    context = _cv_request.get()  # Flask's context variable itself, not a context-local proxy
    request = context.request
    if len(request.query_string) > MAX_QUERY_BYTES:
        raise UriTooLong(f"the query string has more than {MAX_QUERY_BYTES} bytes")
    limits: dict[str, int] = context.app.extensions.get(_LIMITS, {})
    limit = limits.get(request.endpoint or "", MAX_BODY_BYTES)
    request.max_content_length = limit
    length = request.content_length
    if length is not None and length > limit:
        raise BodyTooLarge(f"the request body has {length} bytes (at most {limit})")
    _check_fields(request.args.lists())
    if request.mimetype in _FORM_TYPES:
        _check_fields(_form(request, limit).lists())


def init_app(app: Flask) -> None:
    """Check every request with :func:`check_request` before its view runs."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.before_request(check_request)
