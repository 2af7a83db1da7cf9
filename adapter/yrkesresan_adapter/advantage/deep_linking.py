"""The deep-linking picker (``GET,POST /lti/deep-link``): a deep-linking launch lands here,
the instructor chooses catalog nodes, the signed response is auto-posted to the LMS."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, Response, request

from yrkesresan_adapter.advantage.rendering import error_page, language_of, page
from yrkesresan_adapter.advantage.services import advantage_services
from yrkesresan_adapter.lti import require_launch
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.web.texts import N_, translate
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import (
    CatalogError,
    DeepLinkingError,
    DeepLinkingReplayed,
    UnknownCatalogNode,
)
from yrkesresan_lti.lti.advantage.deep_linking import DeepLinkingSettings, deep_linking_response
from yrkesresan_lti.lti.advantage.picker import filtered, item_for
from yrkesresan_lti.lti.context import LaunchContext, MessageType, ToolRole

LOG = logging.getLogger("yrkesresan.advantage")
ADDED = N_("{n} del(ar) av Yrkesresan tillagda")
MAX_SELECTED = 200
REPLAY_TTL_SECONDS = 24 * 3600

bp = Blueprint("deep_linking", __name__)
bp.register_error_handler(DeepLinkingError, error_page)


def _catalog() -> Catalog:
    try:
        return AdapterState.of().services.catalog()
    except CatalogError as err:
        LOG.error(
            "catalog_unavailable",
            extra={"event": "catalog_unavailable", "error": type(err).__name__},
        )
        unavailable = DeepLinkingError(
            "The catalog cannot be read, so nothing can be chosen: run "
            "'yrkesresan catalog validate'.",
            reason="catalog_unavailable",
        )
        unavailable.temporary = True
        raise unavailable from err


def _settings_of(launch: LaunchContext) -> DeepLinkingSettings:
    if launch.message_type is not MessageType.DEEP_LINKING:
        raise DeepLinkingError(
            "This page is only for deep-linking launches.", reason="not_deep_linking"
        )
    return DeepLinkingSettings.from_claim(launch.deep_linking_settings)


@bp.get("/lti/deep-link")
@require_launch(ToolRole.MANAGER, ToolRole.ADMIN)
def picker(launch: LaunchContext) -> Response:
    settings = _settings_of(launch)
    language = language_of(launch)
    query = request.args.get("q", "")[:200]
    entries = filtered(_catalog(), query, language)
    return page(
        "advantage/picker.html",
        launch=launch,
        settings=settings,
        entries=entries,
        query=query,
        language=language,
    )


@bp.post("/lti/deep-link")
@require_launch(ToolRole.MANAGER, ToolRole.ADMIN)
def respond(launch: LaunchContext) -> Response:
    settings = _settings_of(launch)
    language = language_of(launch)
    advantage = advantage_services()
    chosen = [] if request.form.get("action") == "cancel" else request.form.getlist("node")
    if len(chosen) > MAX_SELECTED:
        raise DeepLinkingError(
            f"Choose at most {MAX_SELECTED} items at a time.",
            reason="too_many",
            max=str(MAX_SELECTED),
        )
    catalog = _catalog()
    try:
        items = [
            item_for(catalog, iri, launch_url=advantage.urls.launch, lang=language)
            for iri in dict.fromkeys(chosen)
        ]
    except UnknownCatalogNode as err:
        raise DeepLinkingError(
            "The chosen content is no longer in the catalog; reload the page and choose again.",
            reason="unknown_node",
        ) from err
    state = AdapterState.of()
    key = state.services.tool_keys.signing_key()
    token = deep_linking_response(
        settings,
        items,
        issuer=launch.issuer,
        client_id=launch.client_id,
        deployment_id=launch.deployment_id,
        signing_key=key,
        with_line_items=launch.ags is not None,
        message=translate(language, ADDED, n=len(items)) if items else None,
    )
    if not state.services.nonces.consume(
        launch.issuer, f"deep-link-response:{launch.launch_id}", REPLAY_TTL_SECONDS
    ):
        raise DeepLinkingReplayed(
            "This deep-linking request was already answered; start a new selection from the "
            "course to add more."
        )
    LOG.info(
        "deep_link_response",
        extra={
            "event": "deep_link_response",
            "launch_id": launch.launch_id,
            "items": len(items),
            "issuer": launch.issuer,
        },
    )
    parts = urlsplit(settings.return_url)
    return page(
        "advantage/return.html",
        form_action=f"{parts.scheme}://{parts.netloc}",
        return_url=settings.return_url,
        jwt=token,
        count=len(items),
        language=language,
    )
