"""How a page finds its launch: the signed launch token carried in the URL or form.

The launch flow (``yrkesresan_adapter.lti.session``) owns tokens and stored launches;
pages only need "the launch of this request". :class:`LaunchResolver` is that seam: the
default binds to the launch flow, tests of the pages pass a resolver of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from flask import Request

from yrkesresan_lti.lti.context import LaunchContext

TOKEN_PARAM = "lt"  # noqa: S105 - a parameter name, not a secret
"""Query/form parameter that carries the launch token on every page link and form."""


@dataclass(frozen=True)
class Launched:
    """The launch of the current request and the token that names it."""

    context: LaunchContext
    token: str


class LaunchResolver(Protocol):
    def __call__(self, request: Request) -> Launched:
        """The request's launch; raises ``LaunchExpired`` (401) when there is none."""
        ...


def token_of(request: Request) -> str | None:
    return request.form.get(TOKEN_PARAM) or request.args.get(TOKEN_PARAM)
