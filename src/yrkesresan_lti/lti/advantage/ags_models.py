"""AGS data: scopes, media types, scores, line items and the launch's endpoint claim.

A score is ``scoreGiven`` = completed tasks of ``scoreMaximum`` = tasks; the learner is the
LTI ``sub``; ``timestamp`` is RFC 3339 with milliseconds and ``+00:00``. Every score is
``gradingProgress: FullyGraded`` (Moodle 4.5 discards ``scoreGiven`` of any other score, and
the grade becomes empty); ``activityProgress`` says how far the learner is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from yrkesresan_lti.untrusted import MAX_URL, http_url, shorten, usable_text

SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
ALL_SCOPES = (SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE)

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
ENDPOINT_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
MAX_LINEITEM_PAGES = 20


class ActivityProgress(StrEnum):
    """AGS ``activityProgress``: how far the learner has come with the activity."""

    INITIALIZED = "Initialized"
    STARTED = "Started"
    IN_PROGRESS = "InProgress"
    SUBMITTED = "Submitted"
    COMPLETED = "Completed"


class GradingProgress(StrEnum):
    """AGS ``gradingProgress``: whether the score is final (we always send ``FullyGraded``)."""

    FULLY_GRADED = "FullyGraded"
    PENDING = "Pending"
    PENDING_MANUAL = "PendingManual"
    FAILED = "Failed"
    NOT_READY = "NotReady"


def rfc3339(moment: datetime) -> str:
    """``2026-11-22T05:34:26.120+00:00``: UTC, milliseconds, ``+00:00`` (not ``Z``/``+0000``)."""
    if moment.tzinfo is None:
        raise ValueError("score timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Score:
    """One AGS score for one learner (the platform's ``userId``) on one line item."""

    user_id: str
    score_given: float
    score_maximum: float
    activity_progress: ActivityProgress
    grading_progress: GradingProgress
    timestamp: datetime
    comment: str | None = None

    @classmethod
    def for_progress(cls, user_id: str, completed: int, total: int, at: datetime) -> Score:
        """The score for ``completed`` of ``total`` tasks done: always ``FullyGraded`` (what
        is done is final; the LMS records it), ``Initialized`` with 0 done (so an undo back
        to nothing shows 0, not an old grade), ``InProgress``, ``Completed`` when all are."""
        if total < 1 or not 0 <= completed <= total:
            raise ValueError(
                f"need 0 <= completed <= total and total >= 1, got {completed}/{total}"
            )
        if completed == 0:
            activity = ActivityProgress.INITIALIZED
        elif completed < total:
            activity = ActivityProgress.IN_PROGRESS
        else:
            activity = ActivityProgress.COMPLETED
        return cls(user_id, completed, total, activity, GradingProgress.FULLY_GRADED, at)

    def to_json(self) -> dict[str, Any]:
        """The body of the AGS score POST (``application/vnd.ims.lis.v1.score+json``)."""
        body: dict[str, Any] = {
            "userId": self.user_id,
            "scoreGiven": _number(self.score_given),
            "scoreMaximum": _number(self.score_maximum),
            "activityProgress": self.activity_progress.value,
            "gradingProgress": self.grading_progress.value,
            "timestamp": rfc3339(self.timestamp),
        }
        if self.comment:
            body["comment"] = self.comment
        return body


@dataclass(frozen=True)
class LineItem:
    """An AGS line item (a gradebook column); ``id`` is its URL, ``None`` before it exists."""

    id: str | None
    label: str
    score_maximum: float
    resource_id: str | None = None
    resource_link_id: str | None = None
    tag: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The body of a line item POST/PUT."""
        body: dict[str, Any] = {"label": self.label, "scoreMaximum": _number(self.score_maximum)}
        for key, value in (
            ("id", self.id),
            ("resourceId", self.resource_id),
            ("resourceLinkId", self.resource_link_id),
            ("tag", self.tag),
        ):
            if value:
                body[key] = value
        return body

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> LineItem:
        """A line item from the platform's JSON, as untrusted as a launch's claims: an ``id``
        that is not an http(s) URL a request can reach is None (the item cannot be used),
        a ``scoreMaximum`` that is not a finite number 0, other fields that are not usable
        text None (:mod:`yrkesresan_lti.untrusted`)."""

        def text(key: str) -> str | None:
            return usable_text(body.get(key), MAX_URL, numbers=True) or None

        maximum: object = body.get("scoreMaximum")
        if isinstance(maximum, bool) or not isinstance(maximum, int | float):
            maximum = 0.0
        item_id = body.get("id")
        return cls(
            id=item_id if http_url(item_id) is not None else None,
            label=shorten(text("label") or ""),
            score_maximum=float(maximum) if math.isfinite(maximum) else 0.0,
            resource_id=text("resourceId"),
            resource_link_id=text("resourceLinkId"),
            tag=text("tag"),
        )


@dataclass(frozen=True)
class AgsEndpoint:
    """The AGS claim of a launch: the link's own line item and/or the container."""

    lineitem: str | None = None
    lineitems: str | None = None
    scopes: frozenset[str] = frozenset()

    @classmethod
    def from_claim(cls, claim: Mapping[str, Any] | None) -> AgsEndpoint | None:
        """The AGS endpoint claim of a launch, or ``None`` when the platform offers none."""
        if not claim:
            return None
        return cls(
            lineitem=claim.get("lineitem") or None,
            lineitems=claim.get("lineitems") or None,
            scopes=frozenset(claim.get("scope") or ()),
        )

    def can(self, scope: str) -> bool:
        """True when the platform granted this scope."""
        return scope in self.scopes


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
