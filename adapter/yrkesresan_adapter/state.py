"""The adapter's per-app state, kept in ``app.extensions["yrkesresan"]``.

:class:`Services` is the composition root: one typed attribute per collaborator, set once
by its subsystem's ``init_app`` (``state.services.db = Database(...)``) and read by type-checked
attribute (``state.services.db.session()``). Reading a service nobody set up is a
:class:`ConfigurationError` naming it; setting one twice is too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

from flask import Flask, current_app
from flask.globals import _cv_app

from yrkesresan_lti.exceptions import ConfigurationError
from yrkesresan_lti.settings import Settings

if TYPE_CHECKING:  # types only: the features import this module, not the reverse
    from flask_babel import Babel

    from yrkesresan_adapter.advantage.services import AdvantageServices
    from yrkesresan_adapter.demo.lms import DemoPlatform
    from yrkesresan_adapter.demo.services import DemoServices
    from yrkesresan_adapter.lti.session import LaunchSessions
    from yrkesresan_adapter.lti.views import LaunchServices
    from yrkesresan_adapter.pages.attendance.service import AttendanceService
    from yrkesresan_adapter.pages.evaluation.service import EvaluationService
    from yrkesresan_adapter.pages.occasions.service import OccasionService
    from yrkesresan_adapter.pages.service import PagesService
    from yrkesresan_adapter.storage.database import Database
    from yrkesresan_adapter.storage.framing import FrameAncestors
    from yrkesresan_adapter.storage.keys import SqlToolKeyStore
    from yrkesresan_adapter.storage.registrations import SqlPlatformStore
    from yrkesresan_adapter.web.catalog import CatalogSource
    from yrkesresan_adapter.web.health import ReadinessCheck
    from yrkesresan_adapter.web.metrics import Metrics
    from yrkesresan_lti.lti.stores import LaunchStateStore, NonceStore

EXTENSION_KEY = "yrkesresan"
T = TypeVar("T")


class Slot(Generic[T]):
    """A service attribute that its subsystem sets once; ``optional`` ones read None unset."""

    def __init__(self, *, optional: bool = False) -> None:
        self._optional = optional
        self._name = ""

    def __set_name__(self, owner: type[object], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, obj: None, owner: type[object]) -> Slot[T]: ...
    @overload
    def __get__(self, obj: object, owner: type[object]) -> T: ...
    def __get__(self, obj: object | None, owner: type[object]) -> Slot[T] | T:
        if obj is None:
            return self
        values: dict[str, Any] = vars(obj)
        if self._name in values:
            return cast(T, values[self._name])
        if self._optional:
            return cast(T, None)
        raise ConfigurationError(
            f"service {self._name!r} is not set up on this app: its init_app has not run"
        )

    def __set__(self, obj: object, value: T) -> None:
        values: dict[str, Any] = vars(obj)
        if self._name in values:
            raise ConfigurationError(f"subsystem {self._name!r} is already registered on this app")
        values[self._name] = value


class Services:
    """Every collaborator of one app, by the ``init_app`` that sets it (see ``app.py``)."""

    readiness: dict[str, ReadinessCheck]
    """``web.health``: the ``/readyz`` checks by name."""
    metrics: Slot[Metrics | None] = Slot(optional=True)
    """``web.metrics``: Prometheus metrics (None when ``metrics.enabled`` is off)."""
    babel: Slot[Babel | None] = Slot(optional=True)
    """``web.i18n``."""
    catalog: Slot[CatalogSource] = Slot()
    """``web.catalog``: the one catalog of the app, loaded on first use."""
    db: Slot[Database] = Slot()
    """``storage``: engine and sessions."""
    platforms: Slot[SqlPlatformStore] = Slot()
    """``storage``: registered platforms and deployments."""
    tool_keys: Slot[SqlToolKeyStore] = Slot()
    """``storage``: the tool's signing keys."""
    framing: Slot[FrameAncestors] = Slot()
    """``storage``: who may frame the tool (CSP ``frame-ancestors``)."""
    launch_state: Slot[LaunchStateStore] = Slot()
    """``lti``: OIDC state between login and launch."""
    nonces: Slot[NonceStore] = Slot()
    """``lti``: consumed id_token nonces."""
    launch: Slot[LaunchServices] = Slot()
    """``lti``: the login and launch flow."""
    launch_sessions: Slot[LaunchSessions] = Slot()
    """``lti``: launch contexts behind the pages' launch tokens."""
    advantage: Slot[AdvantageServices | None] = Slot(optional=True)
    """``advantage``: registration, deep linking, AGS and NRPS clients."""
    pages: Slot[PagesService] = Slot()
    """``pages``: the learner's and manager's pages."""
    occasions: Slot[OccasionService] = Slot()
    """``pages.occasions``: course-occasion registrations."""
    attendance: Slot[AttendanceService] = Slot()
    """``pages.attendance``: attendance on course days."""
    evaluations: Slot[EvaluationService] = Slot()
    """``pages.evaluation``: course evaluations."""
    demo_platform: Slot[DemoPlatform | None] = Slot(optional=True)
    """``demo``: the in-process demo LMS (demo mode only)."""
    demo_services: Slot[DemoServices | None] = Slot(optional=True)
    """``demo``: the demo LMS's AGS/NRPS endpoints (demo mode only)."""

    def __init__(self) -> None:
        self.readiness = {}


@dataclass
class AdapterState:
    """Settings and the collaborators subsystems register (database, catalog, ...)."""

    settings: Settings
    services: Services = field(default_factory=Services)

    @classmethod
    def init_app(cls, app: Flask, settings: Settings) -> AdapterState:
        if EXTENSION_KEY in app.extensions:
            raise ConfigurationError("the Yrkesresan adapter is already registered on this app")
        state = cls(settings=settings)
        app.extensions[EXTENSION_KEY] = state
        return state

    @classmethod
    def of(cls, app: Flask | None = None) -> AdapterState:
        if app is None:  # Flask's context variable, not the current_app proxy (≈ 20 a launch)
            app_context = _cv_app.get(None)
            target = current_app if app_context is None else app_context.app
        else:
            target = app
        state = target.extensions.get(EXTENSION_KEY)
        if not isinstance(state, cls):
            raise ConfigurationError("create the app with yrkesresan_adapter.create_app()")
        return state
