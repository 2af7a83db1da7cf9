"""LTI Platform Storage (1EdTech "Client Side postMessages"): the launch's browser binding
kept in the platform's page instead of a third-party cookie.

When the login request carries ``lti_storage_target`` (``_parent`` or the name of a frame
of the LMS page), the login answers with a page that stores the binding with
``lti.put_data`` (target origin = the origin of the platform's OIDC auth URL) and then goes
on to the platform. A launch that arrives without the binding cookie gets a page that reads
it back with ``lti.get_data`` and posts the launch again with the value in
:data:`BINDING_FIELD`. Which target and origin to ask is remembered per OIDC state in the
:class:`~yrkesresan_lti.lti.stores.LaunchStateStore` under its own key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from yrkesresan_lti.lti.advantage.urls import origin
from yrkesresan_lti.lti.stores import LaunchStateStore

TARGET_PARAM = "lti_storage_target"
BINDING_FIELD = "lti_storage_binding"
_KEY_PREFIX = "platform-storage:"
_FETCHED_PREFIX = "platform-storage-fetched:"
_TARGET = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def storage_key(state: str) -> str:
    """The key the binding is stored under in the platform (one per OIDC state)."""
    return f"yrkesresan-state-{state}"


@dataclass(frozen=True)
class StorageTarget:
    frame: str
    """``_parent``, or the name of a frame of the LMS page (``window.parent.frames[name]``)."""
    origin: str
    """The platform's origin (of its OIDC auth URL): messages go to and come from it only."""


def requested_target(params: Mapping[str, str]) -> str | None:
    """``lti_storage_target`` of a login request, when it names a frame we can address."""
    value = (params.get(TARGET_PARAM) or "").strip()
    return value if _TARGET.match(value) else None


class PlatformStorageStates:
    """Remembers, per OIDC state, where the binding was stored (read once at the launch)."""

    def __init__(self, states: LaunchStateStore, *, ttl_seconds: int = 600) -> None:
        self._states = states
        self._ttl = ttl_seconds

    def remember(self, state: str, frame: str, auth_url: str) -> StorageTarget:
        target = StorageTarget(frame, origin(auth_url))
        self._states.put(_KEY_PREFIX + state, {"frame": frame, "origin": target.origin}, self._ttl)
        return target

    def recall(self, state: str) -> StorageTarget | None:
        """The target of ``state`` (once); from now on the launch may echo the binding."""
        record = self._states.pop(_KEY_PREFIX + state) if state else None
        if not record or not isinstance(record.get("frame"), str):
            return None
        self._states.put(_FETCHED_PREFIX + state, {"fetched": True}, self._ttl)
        return StorageTarget(str(record["frame"]), str(record.get("origin", "")))

    def may_echo(self, state: str) -> bool:
        """True (once) when the binding of ``state`` was asked for from platform storage:
        only then is a binding in the launch form accepted instead of the cookie."""
        return bool(state) and self._states.pop(_FETCHED_PREFIX + state) is not None
