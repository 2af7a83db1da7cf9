"""AGS score posts through the durable outbox: never block the learner, retry, dead-letter.

The learner's click enqueues a payload (in the same transaction as the completion)::

    outbox.enqueue(db, [score_payload(platform, lineitem_url, score)], [AGS_TARGET],
                   kind=AGS_SCORE_KIND)

and the outbox worker, configured with ``{AGS_TARGET: AgsScoreDeliverer(ags, platforms)}``,
posts it. The payload is canonical JSON (sorted keys, no spaces) of the score, the line
item URL and the platform key, with an ``id`` the outbox dedupes on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from yrkesresan_lti.exceptions import (
    PlatformServiceError,
    ServiceNotFound,
    ServiceRejected,
    ServiceUnavailable,
)
from yrkesresan_lti.lti.advantage.ags import AgsClient, Score
from yrkesresan_lti.lti.advantage.clock import IdFactory, new_id
from yrkesresan_lti.lti.stores import PlatformRegistration, PlatformStore
from yrkesresan_lti.outbox.deliverer import DeliveryOutcome, OutboxItem

AGS_TARGET = "ags"
AGS_SCORE_KIND = "ags-score"


def score_payload(
    platform: PlatformRegistration,
    lineitem_url: str,
    score: Score,
    *,
    id_factory: IdFactory = new_id,
) -> bytes:
    """The exact bytes the outbox stores and the deliverer reads back."""
    body = {
        "id": id_factory(),
        "platform": {"issuer": platform.issuer, "client_id": platform.client_id},
        "lineitem": lineitem_url,
        "score": score.to_json(),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class AgsScoreDeliverer:
    """A :class:`~yrkesresan_lti.outbox.deliverer.Deliverer` for ``ags-score`` entries."""

    def __init__(self, ags: AgsClient, platforms: PlatformStore) -> None:
        self._ags = ags
        self._platforms = platforms

    def deliver(self, items: Sequence[OutboxItem]) -> list[DeliveryOutcome]:
        return [self._one(item) for item in items]

    def _one(self, item: OutboxItem) -> DeliveryOutcome:
        if item.kind != AGS_SCORE_KIND:
            return DeliveryOutcome.rejected(f"AGS-leveransen tar bara {AGS_SCORE_KIND!r}")
        try:
            body: dict[str, Any] = json.loads(item.payload)
            key, lineitem, score = body["platform"], body["lineitem"], body["score"]
            issuer, client_id = key["issuer"], key["client_id"]
        except (ValueError, KeyError, TypeError) as err:
            return DeliveryOutcome.rejected(f"trasig AGS-post (broken payload): {err}")
        platform = self._platforms.find(issuer, client_id)
        if platform is None:
            return DeliveryOutcome.rejected(
                f"plattformen {issuer} ({client_id}) är inte registrerad längre"
            )
        try:
            self._ags.post_score_json(platform, lineitem, score)
        except (ServiceNotFound, ServiceRejected) as err:
            return DeliveryOutcome.rejected(str(err))
        except ServiceUnavailable as err:
            return DeliveryOutcome.retry(str(err))
        except PlatformServiceError as err:
            # Switched off or forbidden: an admin can fix it, so keep trying (with backoff)
            # until the worker's attempt limit dead-letters it.
            return DeliveryOutcome.retry(str(err))
        return DeliveryOutcome.delivered()
