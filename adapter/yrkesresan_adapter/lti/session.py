"""Validated launches stored server-side, and how pages get theirs from the launch token.

After a valid launch the tool stores the :class:`LaunchContext` (database or Redis, shared by
every worker) and issues a signed launch token (``lt``) that pages carry in links and forms,
so navigation needs no third-party cookie. Page authors write::

    @bp.get("/pages/")
    @require_launch()                      # any role; or require_launch(ToolRole.ADMIN)
    def home(launch: LaunchContext) -> str:
        return render_template("...", next_url=launch_url("pages.course", course="x"))

and in templates ``{{ launch_url('endpoint', ...) }}`` or ``{{ launch_token_field() }}``.
A missing, tampered or expired token answers 401 (``LaunchExpired``).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, cast

from flask import Flask, Response, g, request, url_for
from markupsafe import Markup, escape
from redis import Redis
from sqlalchemy import Table, bindparam, insert, select

from yrkesresan_adapter.lti.errors import error_response
from yrkesresan_adapter.lti.first_page import handed
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.driver_statements import DriverStatement
from yrkesresan_adapter.storage.models import LAUNCH_CONTEXT_PREFIX, LaunchState
from yrkesresan_lti.clock import utcnow
from yrkesresan_lti.exceptions import Forbidden, LaunchExpired
from yrkesresan_lti.instance_secret import load_secret
from yrkesresan_lti.lti.claims import context_from_dict, context_to_dict
from yrkesresan_lti.lti.context import LaunchContext, ToolRole
from yrkesresan_lti.lti.launch_token import LaunchTokens
from yrkesresan_lti.lti.stores import LaunchContextStore

TOKEN_PARAM = "lt"  # noqa: S105 - the parameter's name, not a secret
TOKEN_HEADER = "X-Yrkesresan-Launch"  # noqa: S105
_KEY_PREFIX = LAUNCH_CONTEXT_PREFIX


class SqlLaunchContextStore:
    """Launches in the launch-state table under their own key prefix (same expiry purge)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        table = cast(Table, LaunchState.__table__)
        # launch ids are fresh UUIDs: a plain insert, no lookup (run on the driver's cursor)
        self._insert = DriverStatement(
            insert(table), db.engine.dialect, ("key", "value", "expires_at")
        )
        # a page's first request in a worker that has not seen the launch (a click, a link)
        self._select = DriverStatement(
            select(table.c.value, table.c.expires_at).where(table.c.key == bindparam("key")),
            db.engine.dialect,
        )

    def put(self, launch_id: str, value: Mapping[str, Any], ttl_seconds: int) -> None:
        expires_at = utcnow() + timedelta(seconds=ttl_seconds)
        with self._db.connection() as connection:
            self._insert.execute(
                connection,
                {"key": _KEY_PREFIX + launch_id, "value": dict(value), "expires_at": expires_at},
            )

    def get(self, launch_id: str) -> dict[str, Any] | None:
        with self._db.connection() as connection:
            row = self._select.execute(connection, {"key": _KEY_PREFIX + launch_id})
        if row is None or _aware(row.expires_at) <= utcnow():
            return None
        return dict(row.value)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class RedisLaunchContextStore:
    def __init__(self, client: Redis, *, prefix: str = "yrkesresan:") -> None:
        self._redis, self._prefix = client, prefix

    def put(self, launch_id: str, value: Mapping[str, Any], ttl_seconds: int) -> None:
        self._redis.set(
            self._prefix + _KEY_PREFIX + launch_id, json.dumps(dict(value)), ex=ttl_seconds
        )

    def get(self, launch_id: str) -> dict[str, Any] | None:
        raw = self._redis.get(self._prefix + _KEY_PREFIX + launch_id)
        return None if raw is None else dict(json.loads(raw))


class LaunchSessions:
    """Stores launches and resolves launch tokens to them."""

    def __init__(
        self, store: LaunchContextStore, tokens: LaunchTokens, *, cache_size: int = 4096
    ) -> None:
        self.store = store
        self.tokens = tokens
        self._cache: OrderedDict[str, LaunchContext] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def start(self, context: LaunchContext) -> str:
        """Store the launch; return its launch token."""
        self.store.put(context.launch_id, context_to_dict(context), self.tokens.ttl_seconds)
        self._remember(context)
        return self.tokens.issue(context.launch_id)

    def resolve(self, token: str | None) -> LaunchContext:
        """The launch of a valid token. The token is checked first (signature, expiry);
        stored launches never change, so this process keeps recent ones in memory."""
        launch_id = self.tokens.resolve(token)
        with self._lock:
            cached = self._cache.get(launch_id)
            if cached is not None:
                self._cache.move_to_end(launch_id)
                return cached
        data = self.store.get(launch_id)
        if data is None:
            raise LaunchExpired("the launch is no longer stored: start the tool again from the LMS")
        context = context_from_dict(data)
        self._remember(context)
        return context

    def _remember(self, context: LaunchContext) -> None:
        with self._lock:
            self._cache[context.launch_id] = context
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)


def build_sessions(app: Flask) -> LaunchSessions:
    state = AdapterState.of(app)
    settings = state.settings
    store: LaunchContextStore
    if settings.redis_url:
        store = RedisLaunchContextStore(Redis.from_url(settings.redis_url))
    else:
        store = SqlLaunchContextStore(state.services.db)
    tokens = LaunchTokens(load_secret(settings), settings.launch_token_ttl_seconds)
    return LaunchSessions(store, tokens)


def sessions() -> LaunchSessions:
    launch_sessions: LaunchSessions = AdapterState.of().services.launch_sessions
    return launch_sessions


def token_of_request() -> str | None:
    return (
        request.form.get(TOKEN_PARAM)
        or request.args.get(TOKEN_PARAM)
        or request.headers.get(TOKEN_HEADER)
    )


HANDED_LAUNCH = "yrkesresan.launch"
"""Key of ``(context, token)`` the launch hands to the first page it renders in place
(:func:`yrkesresan_adapter.lti.first_page.hand_over`)."""


def launch_of_request() -> tuple[LaunchContext, str]:
    """The request's launch and token; raises :class:`LaunchExpired` (401) when there is none.

    The first page a launch renders in place carries the token that launch has just issued
    (a ``GET`` without a body: the token is its query's): the launch itself is taken as
    handed over, without checking its own token's signature and looking it up again."""
    from_launch = handed(HANDED_LAUNCH)
    if isinstance(from_launch, tuple) and request.args.get(TOKEN_PARAM) == from_launch[1]:
        return from_launch[0], from_launch[1]
    token = token_of_request()
    context = sessions().resolve(token)
    assert token is not None
    return context, token


def allowed(context: LaunchContext, roles: tuple[ToolRole, ...]) -> bool:
    if not roles or context.role in roles:
        return True
    return ToolRole.MANAGER in roles and bool(context.mentored_user_ids)


def require_launch(*roles: ToolRole) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a view: it receives ``launch=`` (the :class:`LaunchContext`). With ``roles``,
    other roles get 403 (a Mentor counts as manager of its mentees)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                context, token = launch_of_request()
                if not allowed(context, roles):
                    raise Forbidden(f"this page needs the role {', '.join(r.value for r in roles)}")
            except (LaunchExpired, Forbidden) as err:
                return error_response(err)
            g.launch, g.launch_token, g.yrkesresan_locale = context, token, context.locale
            return view(*args, launch=context, **kwargs)

        return wrapper

    return decorate


def current_launch() -> LaunchContext:
    """The launch of the current request (inside a :func:`require_launch` view)."""
    launch: LaunchContext | None = g.get("launch")
    if launch is None:
        raise LaunchExpired("no launch in this request: decorate the view with require_launch")
    return launch


def launch_url(endpoint: str, **values: Any) -> str:
    """``url_for`` with the current launch token added."""
    return url_for(endpoint, **{TOKEN_PARAM: g.get("launch_token"), **values})


def launch_token_field() -> Markup:
    """A hidden form field carrying the current launch token."""
    token = escape(g.get("launch_token") or "")
    return Markup(f'<input type="hidden" name="{TOKEN_PARAM}" value="{token}">')  # noqa: S704


def keep_token_on_site(response: Response) -> Response:
    """Links to other sites (a task's e-learning, a regulation) must not receive the page's
    URL, which carries the launch token, as ``Referer``. Pages may set a stricter policy."""
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_app(app: Flask) -> LaunchSessions:
    launch_sessions = build_sessions(app)
    AdapterState.of(app).services.launch_sessions = launch_sessions
    app.jinja_env.globals["launch_url"] = launch_url
    app.jinja_env.globals["launch_token_field"] = launch_token_field
    app.after_request(keep_token_on_site)
    return launch_sessions
