"""Course evaluations as ``services.evaluations`` of the app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from yrkesresan_adapter.pages.evaluation.store import EvaluationStore
from yrkesresan_adapter.state import AdapterState


@dataclass
class EvaluationService:
    store: EvaluationStore

    @classmethod
    def of(cls, app: Flask | None = None) -> EvaluationService:
        service: EvaluationService = AdapterState.of(app).services.evaluations
        return service
