"""Liveness and readiness endpoints.

Subsystems add readiness checks with :func:`add_check`; ``/readyz`` answers 503 naming
the checks that fail.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, Response, jsonify

from yrkesresan_adapter.state import AdapterState

ReadinessCheck = Callable[[], tuple[bool, dict[str, object]]]
"""Returns (ok, details) for one dependency."""

bp = Blueprint("health", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def add_check(app: Flask, name: str, check: ReadinessCheck) -> None:
    checks: dict[str, ReadinessCheck] = AdapterState.of(app).services.readiness
    checks[name] = check


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    checks: dict[str, ReadinessCheck] = AdapterState.of().services.readiness
    results: dict[str, dict[str, object]] = {}
    ok = True
    for name, check in checks.items():
        try:
            passed, details = check()
        except Exception as err:  # a failing dependency must not turn into a 500
            passed, details = False, {"error": type(err).__name__}
        results[name] = {"ok": passed, **details}
        ok = ok and passed
    return jsonify(status="ok" if ok else "unavailable", checks=results), 200 if ok else 503
