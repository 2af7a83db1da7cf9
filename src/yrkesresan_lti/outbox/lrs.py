"""The LRS client as an outbox :class:`~yrkesresan_lti.outbox.deliverer.Deliverer`."""

from __future__ import annotations

import json
from collections.abc import Sequence

from yrkesresan_lti.retry import RetryPolicy
from yrkesresan_lti.settings import LrsTarget, Settings
from yrkesresan_lti.xapi.client import LrsClient, Outcome, OutgoingStatement

from .deliverer import Deliverer, DeliveryOutcome, OutboxItem

XAPI_STATEMENT = "xapi-statement"
_DELIVERED = DeliveryOutcome.delivered()  # immutable: one for every delivered entry
_VOIDED = b"http://adlnet.gov/expapi/verbs/voided"


class LrsDeliverer:
    """Sends ``xapi-statement`` entries through an :class:`LrsClient`, bytes unchanged."""

    def __init__(self, client: LrsClient) -> None:
        self.client = client

    def deliver(self, items: Sequence[OutboxItem]) -> list[DeliveryOutcome]:
        outgoing = [OutgoingStatement(item.dedupe_id, item.payload) for item in items]
        results = self.client.send(outgoing)
        delivered = Outcome.DELIVERED
        if all(result.outcome is delivered for result in results):  # the usual case
            return [_DELIVERED] * len(results)
        outcomes = []
        for result in results:
            if result.outcome is Outcome.DELIVERED:
                outcomes.append(_DELIVERED)
            elif result.outcome is Outcome.REJECTED:
                outcomes.append(
                    DeliveryOutcome.rejected(_with_status(result.reason, result.status))
                )
            else:
                outcomes.append(DeliveryOutcome.retry(_with_status(result.reason, result.status)))
        return outcomes

    def independent(self, earlier: Sequence[OutboxItem], later: Sequence[OutboxItem]) -> bool:
        """``later`` may be posted while ``earlier`` is on the wire unless it voids a
        statement of ``earlier`` (a voiding statement never overtakes the statement it
        voids) or resends one of its ids. Only statements that mention the voided verb are
        parsed."""
        ids = {item.dedupe_id for item in earlier}
        return not any(
            item.dedupe_id in ids or (_VOIDED in item.payload and _may_void(item.payload, ids))
            for item in later
        )

    def close(self) -> None:
        self.client.close()


def _may_void(payload: bytes, ids: set[str]) -> bool:
    """Whether a statement that mentions the voided verb targets one of ``ids`` (one that
    cannot be read counts as if it did)."""
    try:
        target = json.loads(payload)["object"]["id"]
    except (ValueError, KeyError, TypeError):
        return True
    return str(target) in ids


def _with_status(reason: str | None, status: int | None) -> str:
    text = reason or "unknown"
    return f"HTTP {status}: {text}" if status else text


def lrs_deliverers(
    targets: Sequence[LrsTarget], *, retry: RetryPolicy | None = None
) -> dict[str, Deliverer]:
    """One :class:`LrsDeliverer` per target, keyed by target name."""
    return {t.name: LrsDeliverer(LrsClient(t, retry=retry)) for t in targets}


def deliverers_from_settings(settings: Settings) -> dict[str, Deliverer]:
    """One :class:`LrsDeliverer` per LRS target of the settings (``lrs`` and ``lrs_targets``)."""
    return lrs_deliverers(settings.all_lrs_targets)
