"""The adapter's per-app state, kept in ``app.extensions["yrkesresan"]``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from yrkesresan_lti.exceptions import ConfigurationError
from yrkesresan_lti.settings import Settings

EXTENSION_KEY = "yrkesresan"


@dataclass
class AdapterState:
    """Settings and the collaborators subsystems register (database, catalog, ...)."""

    settings: Settings
    services: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def init_app(cls, app: Flask, settings: Settings) -> AdapterState:
        if EXTENSION_KEY in app.extensions:
            raise ConfigurationError("the Yrkesresan adapter is already registered on this app")
        state = cls(settings=settings)
        app.extensions[EXTENSION_KEY] = state
        return state

    @classmethod
    def of(cls, app: Flask | None = None) -> AdapterState:
        target = app if app is not None else current_app
        state = target.extensions.get(EXTENSION_KEY)
        if not isinstance(state, cls):
            raise ConfigurationError("create the app with yrkesresan_adapter.create_app()")
        return state

    def register(self, name: str, service: Any) -> None:
        """Register a subsystem's service once; a second registration is a programming error."""
        if name in self.services:
            raise ConfigurationError(f"subsystem {name!r} is already registered on this app")
        self.services[name] = service
