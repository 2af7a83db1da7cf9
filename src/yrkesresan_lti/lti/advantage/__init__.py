"""LTI Advantage services on the tool side: tokens, AGS, NRPS, deep linking, registration.

Framework-free; the adapter wires them to Flask in ``yrkesresan_adapter.advantage_views``
(service ``"advantage"``). Modules: :mod:`.service_token` (client-assertion tokens),
:mod:`.transport` (authenticated calls, typed errors), :mod:`.ags`, :mod:`.ags_outbox`
(scores through the outbox), :mod:`.nrps`, :mod:`.deep_linking`, :mod:`.picker`,
:mod:`.registration`, :mod:`.tool_config`, :mod:`.canvas`, :mod:`.platform_storage`,
:mod:`.urls`, :mod:`.tool_urls`.
"""

from yrkesresan_lti.lti.advantage.ags import (
    ActivityProgress,
    AgsClient,
    AgsEndpoint,
    GradingProgress,
    LineItem,
    Score,
    rfc3339,
)
from yrkesresan_lti.lti.advantage.ags_outbox import (
    AGS_SCORE_KIND,
    AGS_TARGET,
    AgsScoreDeliverer,
    score_payload,
)
from yrkesresan_lti.lti.advantage.canvas import canvas_developer_key
from yrkesresan_lti.lti.advantage.deep_linking import (
    DeepLinkingSettings,
    ResourceLinkItem,
    deep_linking_response,
)
from yrkesresan_lti.lti.advantage.nrps import Member, NrpsClient, Roster, full_role
from yrkesresan_lti.lti.advantage.registration import (
    DynamicRegistration,
    PlatformConfiguration,
    RegistrationOutcome,
)
from yrkesresan_lti.lti.advantage.service_token import ServiceTokenClient
from yrkesresan_lti.lti.advantage.tool_urls import ToolUrls
from yrkesresan_lti.lti.advantage.transport import ServiceSession
from yrkesresan_lti.lti.advantage.urls import service_url, with_query

__all__ = [
    "AGS_SCORE_KIND",
    "AGS_TARGET",
    "ActivityProgress",
    "AgsClient",
    "AgsEndpoint",
    "AgsScoreDeliverer",
    "DeepLinkingSettings",
    "DynamicRegistration",
    "GradingProgress",
    "LineItem",
    "Member",
    "NrpsClient",
    "PlatformConfiguration",
    "RegistrationOutcome",
    "ResourceLinkItem",
    "Roster",
    "Score",
    "ServiceSession",
    "ServiceTokenClient",
    "ToolUrls",
    "canvas_developer_key",
    "deep_linking_response",
    "full_role",
    "rfc3339",
    "score_payload",
    "service_url",
    "with_query",
]
