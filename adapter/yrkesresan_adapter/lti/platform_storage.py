"""LTI Platform Storage in the launch flow: the pages that talk to the LMS with postMessage.

``lti_views`` calls :func:`login_response` (login with ``lti_storage_target``) and
:func:`launch_response` (launch without the binding cookie); see
:mod:`yrkesresan_lti.lti.advantage.platform_storage` for the protocol.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from flask import Response, render_template, url_for

from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.framing import frame_ancestors
from yrkesresan_lti.lti.advantage.platform_storage import (
    BINDING_FIELD,
    PlatformStorageStates,
    requested_target,
    storage_key,
)
from yrkesresan_lti.lti.login import LoginRedirect


def _states() -> PlatformStorageStates:
    return PlatformStorageStates(AdapterState.of().services.launch_state)


def _page(template: str, **values: object) -> Response:
    nonce = secrets.token_urlsafe(16)
    response = Response(
        render_template(template, csp_nonce=nonce, message_id=secrets.token_urlsafe(12), **values),
        mimetype="text/html",
    )
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        f"form-action 'self'; base-uri 'none'; {frame_ancestors()}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def login_response(params: Mapping[str, str], answer: LoginRedirect) -> Response | None:
    """With ``lti_storage_target``: a page that stores the binding, then goes to the platform."""
    frame = requested_target(params)
    if frame is None:
        return None
    target = _states().remember(answer.state, frame, answer.url)
    return _page(
        "advantage/storage_login.html",
        frame=frame,
        origin=target.origin,
        key=storage_key(answer.state),
        value=answer.browser_binding,
        next_url=answer.url,
    )


def launch_response(form: Mapping[str, str]) -> Response | None:
    """For a launch without the binding cookie whose login used platform storage: a page that
    reads the binding back and posts the launch again. None when there is nothing to fetch."""
    if form.get(BINDING_FIELD):
        return None
    state = form.get("state", "")
    target = _states().recall(state)
    if target is None:
        return None
    fields = {k: v for k, v in form.items() if k != BINDING_FIELD}
    return _page(
        "advantage/storage_launch.html",
        frame=target.frame,
        origin=target.origin,
        key=storage_key(state),
        fields=fields,
        action=url_for("lti.launch"),
        binding_field=BINDING_FIELD,
    )


def binding_from_form(form: Mapping[str, str]) -> str | None:
    """The binding read from platform storage, only for a state whose login asked for it."""
    value = form.get(BINDING_FIELD)
    if not value or not _states().may_echo(form.get("state", "")):
        return None
    return value
