"""Assignment and Grade Services: line items for placed catalog nodes, and scores.

Line items are found by ``resourceId`` (the catalog node's IRI) and created when missing.
All service URLs keep the platform's query string (Moodle's ``?type_id=1``). The data types
live in :mod:`.ags_models` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yrkesresan_lti.exceptions import ServiceNotEnabled
from yrkesresan_lti.lti.advantage.ags_models import (
    ALL_SCOPES,
    ENDPOINT_CLAIM,
    LINEITEM_TYPE,
    LINEITEMS_TYPE,
    MAX_LINEITEM_PAGES,
    RESULTS_TYPE,
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    SCOPE_RESULT_READONLY,
    SCOPE_SCORE,
    SCORE_TYPE,
    ActivityProgress,
    AgsEndpoint,
    GradingProgress,
    LineItem,
    Score,
    rfc3339,
)
from yrkesresan_lti.lti.advantage.paging import next_link
from yrkesresan_lti.lti.advantage.transport import ServiceSession, json_answer
from yrkesresan_lti.lti.advantage.urls import service_url, with_query
from yrkesresan_lti.lti.stores import PlatformRegistration

__all__ = [
    "ALL_SCOPES",
    "ENDPOINT_CLAIM",
    "LINEITEMS_TYPE",
    "LINEITEM_TYPE",
    "RESULTS_TYPE",
    "SCOPE_LINEITEM",
    "SCOPE_LINEITEM_READONLY",
    "SCOPE_RESULT_READONLY",
    "SCOPE_SCORE",
    "SCORE_TYPE",
    "ActivityProgress",
    "AgsClient",
    "AgsEndpoint",
    "GradingProgress",
    "LineItem",
    "Score",
    "rfc3339",
]


class AgsClient:
    """Line items and scores of one platform, over an authenticated :class:`ServiceSession`."""

    def __init__(self, http: ServiceSession) -> None:
        self._http = http

    def line_items(
        self, platform: PlatformRegistration, lineitems_url: str, *, resource_id: str | None = None
    ) -> list[LineItem]:
        """The context's line items (every page), only those of ``resource_id`` if given."""
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
            body = json_answer(response, "The line items")
            items += (
                [LineItem.from_json(i) for i in body if isinstance(i, dict)]
                if isinstance(body, list)
                else []
            )
            url = next_link(response.headers.get("Link"), url)
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
                "The launch has no AGS line item or line item container: enable 'IMS LTI "
                "Assignment and Grade Services' for the tool (Moodle: Manage tools → Services) "
                "and place the activity with a grade."
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
        created_body = json_answer(response, "The created line item")
        created = LineItem.from_json(created_body if isinstance(created_body, dict) else {})
        if not created.id:
            raise ServiceNotEnabled("The platform created the line item but gave no id.")
        return created.id

    def post_score(self, platform: PlatformRegistration, lineitem_url: str, score: Score) -> None:
        """Post one score to a line item (``{lineitem}/scores``)."""
        self.post_score_json(platform, lineitem_url, score.to_json())

    def post_score_json(
        self, platform: PlatformRegistration, lineitem_url: str, body: Mapping[str, Any]
    ) -> None:
        """Post a score body as stored in the outbox, unchanged."""
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
        """The platform's results of a line item (``{lineitem}/results``)."""
        url = with_query(
            service_url(lineitem_url, "results"), {"user_id": user_id} if user_id else {}
        )
        response = self._http.request(
            platform, "GET", url, scopes=[SCOPE_RESULT_READONLY], service="ags", accept=RESULTS_TYPE
        )
        body = json_answer(response, "The results")
        return [r for r in body if isinstance(r, dict)] if isinstance(body, list) else []
