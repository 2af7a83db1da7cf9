"""The LTI Advantage clients of one app (``services.advantage``): token, AGS, NRPS, dynamic
registration, and the outbox deliverer of ``ags-score`` entries.

Other areas use them through ``AdapterState.of(app).services.advantage``; the delivery worker
takes :attr:`AdvantageServices.ags_deliverer` as its ``ags`` target.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import requests
from flask import Flask

from yrkesresan_adapter.advantage.placement_scores import PlacementStore, gone_hook
from yrkesresan_adapter.advantage.schema import placements_table, score_heads_table
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.web.metrics import metrics
from yrkesresan_lti.clock import SYSTEM_CLOCK
from yrkesresan_lti.exceptions import ConfigurationError
from yrkesresan_lti.lti.advantage.ags import AgsClient
from yrkesresan_lti.lti.advantage.ags_outbox import AgsScoreDeliverer
from yrkesresan_lti.lti.advantage.nrps import NrpsClient
from yrkesresan_lti.lti.advantage.registration import DynamicRegistration
from yrkesresan_lti.lti.advantage.score_heads import SqlScoreHeads
from yrkesresan_lti.lti.advantage.service_token import ServiceTokenClient
from yrkesresan_lti.lti.advantage.tool_urls import ToolUrls
from yrkesresan_lti.lti.advantage.transport import ServiceSession
from yrkesresan_lti.lti.context import MessageType


@dataclass
class AdvantageServices:
    urls: ToolUrls
    registration: DynamicRegistration
    tokens: ServiceTokenClient
    ags: AgsClient
    nrps: NrpsClient
    ags_deliverer: AgsScoreDeliverer
    http_session: requests.Session = field(default_factory=requests.Session)
    """The session of the token, AGS and NRPS calls (the demo mounts a transport on it)."""
    placements: PlacementStore | None = None
    """Placed links learners launched (``ags_placements``): what each line item scores."""
    score_heads: SqlScoreHeads | None = None
    """The newest queued score per (line item, learner): only that one is posted."""


def advantage_services() -> AdvantageServices:
    """The current app's advantage services (the views run only when they are set up)."""
    found = AdapterState.of().services.advantage
    if found is None:
        raise ConfigurationError("the advantage services are not set up on this app")
    return found


def init_app(app: Flask, *, http_session: requests.Session | None = None) -> AdvantageServices:
    """Set ``services.advantage`` (needs storage) and hook the launch flow: a deep-linking
    launch lands on the picker, every launch keeps its placement for AGS."""
    state = AdapterState.of(app)
    settings = state.settings
    session = http_session or requests.Session()
    urls = ToolUrls(settings.public_url)
    keys = state.services.tool_keys
    tokens = ServiceTokenClient(lambda: keys.signing_key(), session=session)
    http = ServiceSession(tokens, session=session)
    ags = AgsClient(http)
    db = state.services.db
    platforms = state.services.platforms
    placements = PlacementStore(placements_table)
    heads = SqlScoreHeads(db.engine, score_heads_table)
    deliverer = AgsScoreDeliverer(
        ags,
        platforms,
        heads=heads,
        on_gone=gone_hook(db.engine, placements, SYSTEM_CLOCK),
        on_answer=counted.ags_answer if (counted := metrics(app)) is not None else None,
    )
    advantage = AdvantageServices(
        urls=urls,
        registration=DynamicRegistration(
            urls, platforms, production=settings.production, session=session
        ),
        tokens=tokens,
        ags=ags,
        nrps=NrpsClient(http),
        ags_deliverer=deliverer,
        http_session=session,
        placements=placements,
        score_heads=heads,
    )
    state.services.advantage = advantage
    launch = state.services.launch
    launch.destinations[MessageType.DEEP_LINKING] = "deep_linking.picker"
    # A learner's placement is kept at launch by the pages (PlacementScores.launched, through
    # the statement journal), where the learner's progress is known.
    return advantage
