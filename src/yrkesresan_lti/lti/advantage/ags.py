"""Assignment and Grade Services: line items for placed catalog nodes, and scores.

A score is ``scoreGiven`` = completed tasks of ``scoreMaximum`` = tasks; the learner is the
LTI ``sub``. Line items are found by ``resourceId`` (the catalog node's IRI) and created
when missing. All service URLs keep the platform's query string (Moodle's ``?type_id=1``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from yrkesresan_lti.exceptions import ServiceNotEnabled
from yrkesresan_lti.lti.advantage.paging import next_link
from yrkesresan_lti.lti.advantage.transport import ServiceSession
from yrkesresan_lti.lti.advantage.urls import service_url, with_query
from yrkesresan_lti.lti.stores import PlatformRegistration

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
    INITIALIZED = "Initialized"
    STARTED = "Started"
    IN_PROGRESS = "InProgress"
    SUBMITTED = "Submitted"
    COMPLETED = "Completed"


class GradingProgress(StrEnum):
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
    user_id: str
    score_given: float
    score_maximum: float
    activity_progress: ActivityProgress
    grading_progress: GradingProgress
    timestamp: datetime
    comment: str | None = None

    @classmethod
    def for_progress(cls, user_id: str, completed: int, total: int, at: datetime) -> Score:
        """The score for ``completed`` of ``total`` tasks done."""
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
        grading = GradingProgress.FULLY_GRADED if completed == total else GradingProgress.PENDING
        return cls(user_id, completed, total, activity, grading, at)

    def to_json(self) -> dict[str, Any]:
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
    id: str | None
    label: str
    score_maximum: float
    resource_id: str | None = None
    resource_link_id: str | None = None
    tag: str | None = None

    def to_json(self) -> dict[str, Any]:
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
        return cls(
            id=body.get("id"),
            label=str(body.get("label") or ""),
            score_maximum=float(body.get("scoreMaximum") or 0),
            resource_id=body.get("resourceId") or None,
            resource_link_id=body.get("resourceLinkId") or None,
            tag=body.get("tag") or None,
        )


@dataclass(frozen=True)
class AgsEndpoint:
    """The AGS claim of a launch: the link's own line item and/or the container."""

    lineitem: str | None = None
    lineitems: str | None = None
    scopes: frozenset[str] = frozenset()

    @classmethod
    def from_claim(cls, claim: Mapping[str, Any] | None) -> AgsEndpoint | None:
        if not claim:
            return None
        return cls(
            lineitem=claim.get("lineitem") or None,
            lineitems=claim.get("lineitems") or None,
            scopes=frozenset(claim.get("scope") or ()),
        )

    def can(self, scope: str) -> bool:
        return scope in self.scopes


class AgsClient:
    """Line items and scores of one platform, over an authenticated :class:`ServiceSession`."""

    def __init__(self, http: ServiceSession) -> None:
        self._http = http

    def line_items(
        self, platform: PlatformRegistration, lineitems_url: str, *, resource_id: str | None = None
    ) -> list[LineItem]:
        url: str | None = with_query(
            lineitems_url, {"resource_id": resource_id} if resource_id else {}
        )
        items: list[LineItem] = []
        seen: set[str] = set()
        while url and url not in seen and len(seen) < MAX_LINEITEM_PAGES:
            seen.add(url)
            response = self._http.request(
                platform, "GET", url, scopes=[SCOPE_LINEITEM], service="ags", accept=LINEITEMS_TYPE
            )
            body = response.json()
            items += (
                [LineItem.from_json(i) for i in body if isinstance(i, dict)]
                if isinstance(body, list)
                else []
            )
            url = next_link(response.headers.get("Link"))
        # Platforms may ignore the filter: apply it again here.
        return [i for i in items if resource_id is None or i.resource_id == resource_id]

    def find_or_create_line_item(
        self,
        platform: PlatformRegistration,
        endpoint: AgsEndpoint,
        *,
        resource_id: str,
        label: str,
        score_maximum: float,
        resource_link_id: str | None = None,
    ) -> str:
        """The URL of the line item to post scores to for the placed node ``resource_id``."""
        if endpoint.lineitem:
            return endpoint.lineitem
        if not endpoint.lineitems:
            raise ServiceNotEnabled(
                "Plattformen erbjuder ingen betygspost för länken. Slå på 'IMS LTI Assignment "
                "and Grade Services' för verktyget (Moodle: Hantera verktyg → Tjänster) och "
                "placera aktiviteten med betyg. (No AGS line item or container in the launch.)"
            )
        found = self.line_items(platform, endpoint.lineitems, resource_id=resource_id)
        for item in found:
            if item.id and (
                resource_link_id is None or item.resource_link_id in (None, resource_link_id)
            ):
                return item.id
        new = LineItem(None, label, score_maximum, resource_id, resource_link_id, "yrkesresan")
        response = self._http.request(
            platform,
            "POST",
            endpoint.lineitems,
            scopes=[SCOPE_LINEITEM],
            service="ags",
            accept=LINEITEM_TYPE,
            json_body=new.to_json(),
            content_type=LINEITEM_TYPE,
        )
        created = LineItem.from_json(response.json())
        if not created.id:
            raise ServiceNotEnabled("Plattformen skapade betygsposten men angav inget id. (No id.)")
        return created.id

    def post_score(self, platform: PlatformRegistration, lineitem_url: str, score: Score) -> None:
        self.post_score_json(platform, lineitem_url, score.to_json())

    def post_score_json(
        self, platform: PlatformRegistration, lineitem_url: str, body: Mapping[str, Any]
    ) -> None:
        self._http.request(
            platform,
            "POST",
            service_url(lineitem_url, "scores"),
            scopes=[SCOPE_SCORE],
            service="ags",
            accept="application/json",
            json_body=body,
            content_type=SCORE_TYPE,
        )

    def results(
        self, platform: PlatformRegistration, lineitem_url: str, *, user_id: str | None = None
    ) -> list[dict[str, Any]]:
        url = with_query(
            service_url(lineitem_url, "results"), {"user_id": user_id} if user_id else {}
        )
        response = self._http.request(
            platform, "GET", url, scopes=[SCOPE_RESULT_READONLY], service="ags", accept=RESULTS_TYPE
        )
        body = response.json()
        return [r for r in body if isinstance(r, dict)] if isinstance(body, list) else []


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
