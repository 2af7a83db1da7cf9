"""AGS score posts through the durable outbox: never block the learner, latest wins.

The learner's click enqueues a payload (in the same transaction as the completion) and
makes it the newest score of its (line item, learner)::

    outbox.enqueue(db, [payload], [AGS_TARGET], kind=AGS_SCORE_KIND)
    heads.set_head(db, score_head_key(payload), score_id(payload))

and the outbox worker, configured with ``{AGS_TARGET: AgsScoreDeliverer(ags, platforms,
heads=...)}``, posts it. The payload is canonical JSON (sorted keys, no spaces) of the
score, the line item URL and the platform key, with an ``id`` the outbox dedupes on.

Delivery (see :meth:`AgsScoreDeliverer.deliver`):

* a score that is no longer the newest of its key is *superseded*: not sent, and the
  entry is done (``ags_score_superseded``);
* the timestamp sent is the click's, moved to the next whole second when the platform
  already holds a score of that second or later (Moodle answers 409 otherwise);
* 409 for the newest score: sent again at once with a later whole-second timestamp (a
  few times, then retried later); 409 for a score superseded meanwhile: dropped;
* 404: the line item is gone (``on_gone`` marks it), the entry is dead;
* 400/401/403 (service off, user not gradable, scope missing), 5xx, 429, timeouts:
  retried with backoff until the worker's attempt limit; other 4xx (415, 422): dead.

No exception escapes :meth:`~AgsScoreDeliverer.deliver`; every outcome is logged on
``yrkesresan.ags`` with the platform, the line item's host and path and the HTTP status,
never the learner, and told to ``on_answer`` (outcome and status only: for metrics).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, IdFactory, new_id
from yrkesresan_lti.exceptions import (
    PlatformServiceError,
    ServiceConflict,
    ServiceForbidden,
    ServiceNotEnabled,
    ServiceNotFound,
    ServiceUnavailable,
)
from yrkesresan_lti.lti.advantage.ags import AgsClient, Score, rfc3339
from yrkesresan_lti.lti.advantage.score_heads import HeadState, ScoreHeads, head_key
from yrkesresan_lti.lti.stores import PlatformRegistration, PlatformStore
from yrkesresan_lti.outbox.deliverer import DeliveryOutcome, OutboxItem

AGS_TARGET = "ags"
AGS_SCORE_KIND = "ags-score"
MAX_CONFLICT_RESENDS = 3
"""409s for the newest score answered with a later timestamp at once, before a retry later."""

log = logging.getLogger("yrkesresan.ags")
_SCORE_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
"""``json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, without
building a new encoder per score."""

GoneHook = Callable[[str, str, str], None]
"""``(issuer, client_id, lineitem_url)`` of a line item the platform answered 404 for."""
AnswerHook = Callable[[str, int | None], None]
"""``(outcome, HTTP status or None)`` of every attempt: outcome ``delivered``, ``retry``,
``dead``, ``conflict`` (409, sent again at once) or ``superseded`` (not sent); the status is
the platform's answer (None when there was none: timeout, no token, broken entry)."""


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
    return _SCORE_JSON.encode(body).encode()


@dataclass(frozen=True)
class ScorePost:
    """A stored payload, read back."""

    id: str
    issuer: str
    client_id: str
    lineitem: str
    score: dict[str, Any]

    @classmethod
    def parse(cls, payload: bytes) -> ScorePost:
        """Raises ``ValueError``/``KeyError``/``TypeError`` for a broken payload."""
        body: dict[str, Any] = json.loads(payload)
        key, score = body["platform"], body["score"]
        if not isinstance(score, dict) or not isinstance(score["userId"], str):
            raise TypeError("score must be an object with a userId")
        return cls(
            str(body["id"]), str(key["issuer"]), str(key["client_id"]), str(body["lineitem"]), score
        )

    @property
    def key(self) -> str:
        return head_key(self.issuer, self.client_id, self.lineitem, self.score["userId"])

    @property
    def timestamp(self) -> datetime:
        moment = datetime.fromisoformat(str(self.score["timestamp"]))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def score_head_key(payload: bytes) -> str:
    """The (platform, line item, learner) key of a payload of :func:`score_payload`."""
    return ScorePost.parse(payload).key


def whole_second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def send_time(wanted: datetime, last_sent: datetime | None) -> datetime:
    """``wanted``, or the whole second after ``last_sent`` when that is not earlier: what
    the platform holds must be strictly older, in whole seconds, than what we send."""
    if last_sent is None or whole_second(wanted) > whole_second(last_sent):
        return wanted
    return whole_second(last_sent) + timedelta(seconds=1)


class AgsScoreDeliverer:
    """A :class:`~yrkesresan_lti.outbox.deliverer.Deliverer` for ``ags-score`` entries."""

    def __init__(
        self,
        ags: AgsClient,
        platforms: PlatformStore,
        *,
        heads: ScoreHeads | None = None,
        on_gone: GoneHook | None = None,
        on_answer: AnswerHook | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._ags = ags
        self._platforms = platforms
        self._heads = heads
        self._on_gone = on_gone
        self._on_answer = on_answer
        self._clock = clock

    def deliver(self, items: Sequence[OutboxItem]) -> list[DeliveryOutcome]:
        return [self._guarded(item) for item in items]

    def _guarded(self, item: OutboxItem) -> DeliveryOutcome:
        try:
            return self._one(item)
        except Exception as err:  # one bad entry must not stop (or kill) the worker
            log.exception(
                "ags_score_retry",
                extra={"event": "ags_score_retry", "error": type(err).__name__, "status": None},
            )
            self._answer("retry", None)
            return DeliveryOutcome.retry(f"{type(err).__name__}: {err}")

    def _state(self, post: ScorePost) -> HeadState:
        return self._heads.state(post.key) if self._heads else HeadState(None, None)

    def _one(self, item: OutboxItem) -> DeliveryOutcome:
        if item.kind != AGS_SCORE_KIND:
            return DeliveryOutcome.rejected(f"AGS-leveransen tar bara {AGS_SCORE_KIND!r}")
        try:
            post = ScorePost.parse(item.payload)
            wanted = post.timestamp
        except (ValueError, KeyError, TypeError) as err:
            log.warning("ags_score_dead", extra={"event": "ags_score_dead", "status": None})
            self._answer("dead", None)
            return DeliveryOutcome.rejected(f"trasig AGS-post (broken payload): {err}")
        fields = _fields(post, item)
        platform = self._platforms.find(post.issuer, post.client_id)
        if platform is None:
            log.warning("ags_score_dead", extra={"event": "ags_score_dead", **fields})
            self._answer("dead", None)
            return DeliveryOutcome.rejected(
                f"the platform {post.issuer} ({post.client_id}) is no longer registered"
            )
        state = self._state(post)
        if not state.is_newest(item.dedupe_id):
            return self._superseded(fields)
        at = send_time(wanted, state.last_sent)
        for _ in range(MAX_CONFLICT_RESENDS):
            try:
                self._ags.post_score_json(
                    platform, post.lineitem, {**post.score, "timestamp": rfc3339(at)}
                )
            except ServiceConflict as err:
                if self._heads is not None:
                    self._heads.record_sent(post.key, at)
                if not self._state(post).is_newest(item.dedupe_id):
                    return self._superseded({**fields, "status": 409})
                log.info(
                    "ags_score_conflict",
                    extra={"event": "ags_score_conflict", **fields, "status": 409},
                )
                self._answer("conflict", 409)
                at = max(whole_second(at) + timedelta(seconds=1), whole_second(self._clock.now()))
                last_error: PlatformServiceError = err
                continue
            except PlatformServiceError as err:
                return self._failed(post, err, fields)
            if self._heads is not None:
                self._heads.record_sent(post.key, at)
            log.info(
                "ags_score_delivered",
                extra={"event": "ags_score_delivered", **fields, "status": 200},
            )
            self._answer("delivered", 200)
            return DeliveryOutcome.delivered()
        log.warning("ags_score_retry", extra={"event": "ags_score_retry", **fields, "status": 409})
        self._answer("retry", 409)
        return DeliveryOutcome.retry(str(last_error))

    def _superseded(self, fields: dict[str, Any]) -> DeliveryOutcome:
        log.info("ags_score_superseded", extra={"event": "ags_score_superseded", **fields})
        self._answer("superseded", fields.get("status"))
        return DeliveryOutcome.delivered()

    def _failed(
        self, post: ScorePost, err: PlatformServiceError, fields: dict[str, Any]
    ) -> DeliveryOutcome:
        status = {**fields, "status": err.platform_status}
        if isinstance(err, ServiceNotFound):
            if self._on_gone is not None:
                self._on_gone(post.issuer, post.client_id, post.lineitem)
            log.warning("ags_score_dead", extra={"event": "ags_score_dead", **status})
            self._answer("dead", err.platform_status)
            return DeliveryOutcome.rejected(str(err))
        if isinstance(err, ServiceUnavailable | ServiceNotEnabled | ServiceForbidden) or (
            err.platform_status is None
        ):
            # Down, switched off, forbidden, or no token: an admin can fix it, so keep trying
            # (with backoff) until the worker's attempt limit dead-letters it.
            log.warning("ags_score_retry", extra={"event": "ags_score_retry", **status})
            self._answer("retry", err.platform_status)
            return DeliveryOutcome.retry(str(err))
        log.warning("ags_score_dead", extra={"event": "ags_score_dead", **status})
        self._answer("dead", err.platform_status)
        return DeliveryOutcome.rejected(str(err))

    def _answer(self, outcome: str, status: int | None) -> None:
        if self._on_answer is None:
            return
        try:
            self._on_answer(outcome, status)
        except Exception:  # an observer must never cost a delivery
            log.exception("ags_answer_hook_failed", extra={"event": "ags_answer_hook_failed"})


def _fields(post: ScorePost, item: OutboxItem) -> dict[str, Any]:
    """What a log line may say about a score: never the learner."""
    url = urlsplit(post.lineitem)
    return {
        "issuer": post.issuer,
        "client_id": post.client_id,
        "lineitem_host": url.netloc,
        "lineitem_path": url.path,
        "attempts": item.attempts,
    }
