"""Course evaluations (kursutvärderingar): the learner answers after the course
(:mod:`.views`, the rules in :mod:`yrkesresan_lti.evaluations`), stored per tenant and
context with comments apart from any person (:mod:`.store` on :mod:`.schema`); managers and
admins see aggregates only (:mod:`.views`); the *answered* statements go through the pages'
journal."""

from __future__ import annotations

from flask import Flask

from yrkesresan_adapter.pages.evaluation import views
from yrkesresan_adapter.pages.evaluation.schema import answers_table, comments_table
from yrkesresan_adapter.pages.evaluation.service import EvaluationService
from yrkesresan_adapter.pages.evaluation.store import EvaluationStore, Summary
from yrkesresan_adapter.state import AdapterState

__all__ = ["EvaluationService", "EvaluationStore", "Summary", "init_app"]


def init_app(app: Flask) -> EvaluationService:
    """``services.evaluations`` and the evaluation pages."""
    service = EvaluationService(EvaluationStore(answers_table, comments_table))
    AdapterState.of(app).services.evaluations = service
    app.register_blueprint(views.bp)
    return service
