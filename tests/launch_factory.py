"""The suite's one :class:`LaunchContext` builder: a valid launch, changed where a test says.

Import it where a test needs a launch without the launch flow (pages, stores, statements)::

    from tests.launch_factory import launch_context

    boss = launch_context("boss", role=ToolRole.MANAGER, context_id="course-7")
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from yrkesresan_lti.lti.context import LaunchContext, MessageType, ToolRole

ISSUER = "https://moodle.example.se"
CLIENT_ID = "client-1"
DEPLOYMENT_ID = "dep-1"


def launch_context(
    sub: str = "learner-1",
    *,
    role: ToolRole = ToolRole.LEARNER,
    launch_id: str | None = None,
    **changes: Any,
) -> LaunchContext:
    """A resource-link launch of ``sub`` in course ``course-42`` of one Moodle tenant."""
    context = LaunchContext(
        launch_id=launch_id or f"launch-{sub}",
        issuer=ISSUER,
        client_id=CLIENT_ID,
        deployment_id=DEPLOYMENT_ID,
        sub=sub,
        message_type=MessageType.RESOURCE_LINK,
        role=role,
        context_id="course-42",
        context_title="Introduktion 2027",
        name=f"Namn {sub}",
    )
    return replace(context, **changes)
