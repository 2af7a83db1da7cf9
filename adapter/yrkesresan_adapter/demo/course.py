"""The demo course page with the tool in an iframe, and the platform's storage frame.

``/demo/course`` is a platform page like a Moodle or Canvas course page: its buttons post the
login initiation into the ``tool`` iframe and carry ``lti_storage_target`` (1EdTech "Client
Side postMessages"), so a browser that blocks third-party cookies can still launch the tool.

The tool sends ``lti.put_data`` / ``lti.get_data`` with the origin of the platform's OIDC
auth URL as target origin. The course page may be on another site than that auth URL (when
the demo runs on one host, the page and the platform share it; a test opens the page on a
second host), so the storage lives in a hidden frame ``lti-storage`` served from the
platform's own origin (``{issuer}/storage-frame``), as Canvas does with its forwarding
frame. That frame answers messages from the tool's origin only, keeps the values per origin
in memory and replies to ``event.source``. The course page itself answers
``lti.capabilities`` and names that frame.
"""

from __future__ import annotations

import secrets
from contextlib import nullcontext
from urllib.parse import urlsplit

from flask import Response, render_template
from flask_babel import force_locale

from yrkesresan_adapter.web.texts import N_, translate
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import FormPost, PlatformSimulator

STORAGE_FRAME = "lti-storage"
TOOL_FRAME = "tool"
COURSE_BUTTONS = (
    ("learner", "resource", N_("Starta som deltagare")),
    ("manager", "resource", N_("Starta som chef")),
    ("mentor", "resource", N_("Starta som mentor")),
    ("admin", "resource", N_("Starta som administratör")),
)
"""(user, message type, button label as a message id) of the course page's launches"""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def storage_frame_url(platform: PlatformSimulator) -> str:
    return f"{platform.issuer}/storage-frame"


def course_forms(
    platform: PlatformSimulator, language: str, *, storage: bool
) -> list[tuple[str, FormPost]]:
    """The login initiations of the course page, posted to the tool's absolute login URL;
    with ``storage`` they name the platform's storage frame in ``lti_storage_target``,
    without it they are Moodle 4.5's (no ``lti_storage_target``)."""
    login_url = f"{platform.tool_url}/lti/login"
    target = STORAGE_FRAME if storage else None
    return [
        (
            translate(language, label),
            platform.login_form(
                login_url, SimLaunch(user, message, locale=language), storage_target=target
            ),
        )
        for user, message, label in COURSE_BUTTONS
    ]


def csp_page(
    template: str,
    *,
    frame_src: str = "'none'",
    form_action: str = "'none'",
    frame_ancestors: str = "'none'",
    **values: object,
) -> Response:
    """``template`` under a strict CSP whose scripts and styles need the page's nonce; its
    texts in ``values["language"]`` when given."""
    nonce = secrets.token_urlsafe(16)
    language = values.get("language")
    with force_locale(language) if isinstance(language, str) else nullcontext():
        body = render_template(template, csp_nonce=nonce, **values)
    response = Response(body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        f"frame-src {frame_src}; form-action {form_action}; base-uri 'none'; "
        f"frame-ancestors {frame_ancestors}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
