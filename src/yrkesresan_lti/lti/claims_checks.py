"""Small helpers for "claim present and of the right type" steps of the validator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from yrkesresan_lti.exceptions import MissingClaim

T = TypeVar("T")


def require_claim(
    claims: Mapping[str, Any],
    name: str,
    kind: type[T],
    details: Mapping[str, str],
    *,
    claim: str | None = None,
) -> T:
    """The claim's value; :class:`MissingClaim` when absent or not of ``kind``."""
    value = claims.get(name)
    if not isinstance(value, kind):
        label = claim or name
        raise MissingClaim(
            f"the id_token lacks the claim {label} (or it has the wrong type)",
            claim=label,
            **details,
        )
    return value


def require_str(
    claims: Mapping[str, Any],
    name: str,
    details: Mapping[str, str],
    *,
    claim: str | None = None,
) -> str:
    """A non-empty string claim of at most 1000 characters."""
    value = require_claim(claims, name, str, details, claim=claim)
    if not value.strip() or len(value) > 1000:
        require_claim({}, name, str, details, claim=claim)
    return value
