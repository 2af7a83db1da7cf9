"""The demo LMS's own texts (its refusals and file errors): Swedish message ids in the
adapter's catalogs (:mod:`yrkesresan_adapter.web.texts`), in the page's language
(:func:`yrkesresan_adapter.lti.errors.page_language`), Swedish outside a request."""

from __future__ import annotations

from flask import has_request_context

from yrkesresan_adapter.lti import page_language
from yrkesresan_adapter.web.texts import N_, translate

__all__ = ["N_", "demo_text"]


def demo_text(message: str, **details: object) -> str:
    """``message`` (a Swedish message id) in the page's language, ``{name}`` filled in."""
    return translate(page_language() if has_request_context() else "sv", message, **details)
