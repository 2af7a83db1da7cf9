"""Delivery of the outbox: xAPI statements to every LRS and AGS scores to the LMSs, by one
worker built in one place (:func:`delivery_worker`), and the ``/readyz`` outbox-lag check."""

from yrkesresan_adapter.delivery.worker import (
    BackgroundDelivery,
    delivery_worker,
    init_app,
    serve_worker_metrics,
)

__all__ = ["BackgroundDelivery", "delivery_worker", "init_app", "serve_worker_metrics"]
