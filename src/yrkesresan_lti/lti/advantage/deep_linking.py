"""Deep Linking 2.0: read the platform's request, answer with signed ``LtiResourceLink`` items.

Each item places one catalog node: ``custom.yrkesresan_node`` carries the node's IRI, so a
launch of the placed link opens exactly that node, and (when the platform offers AGS) a
``lineItem`` with ``scoreMaximum`` = the node's task count and ``resourceId`` = its IRI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, IdFactory, new_id
from yrkesresan_lti.exceptions import DeepLinkingError
from yrkesresan_lti.lti.stores import SigningKey

SETTINGS_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
CONTENT_ITEMS_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
DATA_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
MSG_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/msg"
RESOURCE_LINK = "ltiResourceLink"
NODE_PARAMETER = "yrkesresan_node"


@dataclass(frozen=True)
class DeepLinkingSettings:
    """The ``deep_linking_settings`` claim: where to return the chosen items, and what fits."""

    return_url: str
    accept_types: tuple[str, ...]
    accept_multiple: bool = False
    data: str | None = None
    title: str | None = None
    text: str | None = None

    @classmethod
    def from_claim(cls, claim: Mapping[str, Any] | None) -> DeepLinkingSettings:
        """Check the request: a return URL, and ``ltiResourceLink`` among the accepted types."""
        if not claim:
            raise DeepLinkingError(
                "The request has no deep_linking_settings: start the selection again from the "
                "course in the platform.",
                reason="no_settings",
            )
        return_url = claim.get("deep_link_return_url")
        if not isinstance(return_url, str) or not return_url.startswith(("https://", "http://")):
            raise DeepLinkingError(
                "The request has no valid deep_link_return_url; the platform must send one.",
                reason="no_return_url",
            )
        types = claim.get("accept_types")
        types = [types] if isinstance(types, str) else types  # a lone type, not a list
        accept = tuple(t for t in types if isinstance(t, str)) if isinstance(types, list) else ()
        if RESOURCE_LINK not in accept:
            accepted = ", ".join(accept) or "-"
            raise DeepLinkingError(
                f"The platform accepts only {accepted} here, but Yrkesresan returns LTI links "
                "(ltiResourceLink): add the tool as an activity or external link instead.",
                reason="unsupported_types",
                accept=accepted,
            )
        data = claim.get("data")
        return cls(
            return_url=return_url,
            accept_types=accept,
            accept_multiple=claim.get("accept_multiple") in (True, "true"),  # not "false"
            data=data if isinstance(data, str) and data else None,
            title=_text(claim.get("title")),
            text=_text(claim.get("text")),
        )


def _text(value: object) -> str | None:
    """A title or text the platform suggests, when it is text (else none)."""
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class ResourceLinkItem:
    """One placed catalog node."""

    node_iri: str
    title: str
    url: str
    text: str | None = None
    score_maximum: int | None = None
    """Task count of the node; a line item is only asked for when it is at least 1."""

    def to_json(self, *, with_line_item: bool) -> dict[str, Any]:
        item: dict[str, Any] = {
            "type": RESOURCE_LINK,
            "title": self.title,
            "url": self.url,
            "custom": {NODE_PARAMETER: self.node_iri},
        }
        if self.text:
            item["text"] = self.text
        if with_line_item and self.score_maximum:
            item["lineItem"] = {
                "scoreMaximum": self.score_maximum,
                "label": self.title,
                "resourceId": self.node_iri,
                "tag": "yrkesresan",
            }
        return item


def deep_linking_response(
    settings: DeepLinkingSettings,
    items: Sequence[ResourceLinkItem],
    *,
    issuer: str,
    client_id: str,
    deployment_id: str,
    signing_key: SigningKey,
    with_line_items: bool,
    message: str | None = None,
    clock: Clock = SYSTEM_CLOCK,
    id_factory: IdFactory = new_id,
    lifetime: timedelta = timedelta(minutes=5),
) -> str:
    """The signed ``LtiDeepLinkingResponse`` JWT (``iss`` = our client id, ``aud`` = platform)."""
    if len(items) > 1 and not settings.accept_multiple:
        raise DeepLinkingError(
            "The platform accepts one item only here: choose a single part of the catalog.",
            reason="one_item_only",
        )
    now = clock.now()
    claims: dict[str, Any] = {
        "iss": client_id,
        "aud": issuer,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "nonce": id_factory(),
        "https://purl.imsglobal.org/spec/lti/claim/deployment_id": deployment_id,
        "https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiDeepLinkingResponse",
        "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
        CONTENT_ITEMS_CLAIM: [i.to_json(with_line_item=with_line_items) for i in items],
    }
    if settings.data is not None:
        claims[DATA_CLAIM] = settings.data
    if message:
        claims[MSG_CLAIM] = message
    return jwt.encode(
        claims, signing_key.private_key_pem, algorithm="RS256", headers={"kid": signing_key.kid}
    )
