"""The xAPI Profiles JSON-LD context, shipped with the package, and an offline loader for it.

``profiles-context.jsonld`` is our own rendering of the term definitions of the xAPI
Profiles 1.0 specification (Part Two, "The Context"), not a byte copy of the file served at
https://w3id.org/xapi/profiles/context. Where we knowingly differ (see docs/xapi.md):
``generatedAtTime`` is typed ``xsd:dateTime`` and ``scopeNote`` is a language map, as the
specification's tables describe it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from yrkesresan_lti.exceptions import XapiError

PROFILE_CONTEXT_URL = "https://w3id.org/xapi/profiles/context"


@cache
def _context_text() -> str:
    return files(__package__).joinpath("profiles-context.jsonld").read_text("utf-8")


def profile_context() -> dict[str, Any]:
    """A fresh copy of the context document (``{"@context": {...}}``)."""
    document: dict[str, Any] = json.loads(_context_text())
    return document


def offline_document_loader(url: str, options: object = None) -> dict[str, Any]:
    """A JSON-LD document loader (pyld's signature) that never touches the network.

    It serves the xAPI Profiles context; any other URL is refused with a typed error.
    """
    if url.rstrip("/") == PROFILE_CONTEXT_URL:
        return {"contextUrl": None, "documentUrl": url, "document": profile_context()}
    raise XapiError(
        f"the offline JSON-LD loader only knows {PROFILE_CONTEXT_URL}, not {url}: "
        "inline other contexts in the document"
    )
