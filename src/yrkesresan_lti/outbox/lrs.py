"""The LRS client as an outbox :class:`~yrkesresan_lti.outbox.deliverer.Deliverer`."""

from __future__ import annotations

from collections.abc import Sequence

from yrkesresan_lti.retry import RetryPolicy
from yrkesresan_lti.settings import LrsTarget, Settings
from yrkesresan_lti.xapi.client import LrsClient, Outcome, OutgoingStatement

from .deliverer import Deliverer, DeliveryOutcome, OutboxItem

XAPI_STATEMENT = "xapi-statement"
_DELIVERED = DeliveryOutcome.delivered()  # immutable: one for every delivered entry


class LrsDeliverer:
    """Sends ``xapi-statement`` entries through an :class:`LrsClient`, bytes unchanged."""

    def __init__(self, client: LrsClient) -> None:
        self.client = client

    def deliver(self, items: Sequence[OutboxItem]) -> list[DeliveryOutcome]:
        outgoing = [OutgoingStatement(item.dedupe_id, item.payload) for item in items]
        outcomes = []
        for result in self.client.send(outgoing):
            if result.outcome is Outcome.DELIVERED:
                outcomes.append(_DELIVERED)
            elif result.outcome is Outcome.REJECTED:
                outcomes.append(
                    DeliveryOutcome.rejected(_with_status(result.reason, result.status))
                )
            else:
                outcomes.append(DeliveryOutcome.retry(_with_status(result.reason, result.status)))
        return outcomes

    def close(self) -> None:
        self.client.close()


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
