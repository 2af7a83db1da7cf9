"""Plays the demo year through the tool itself, each action at its own moment.

The tool's clock (:class:`SeedClock`) is set to the moment of each action; ids come from
:class:`SeededIds`. A launch is what the launch flow does once the id_token is verified
(the launch is stored and the ``on_launch`` hooks run in one transaction; the id_token
and OIDC round trip are not replayed); everything after it goes through the pages as a
browser would (the launch token, the CSRF token, the form): a click "Markera som klar", a
manager's registration, a trainer's attendance, an evaluation answer. Their statements go
into the outbox with the action's time as their timestamp.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Mapping, Sequence

from flask import Flask

from yrkesresan_adapter.pages import PagesService, outbox_journal
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.exceptions import DemoSeedError
from yrkesresan_lti.lti.context import LaunchContext, MessageType, ToolRole

NODE_PARAM = "yrkesresan_node"
LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
ROLES = {ToolRole.LEARNER: LIS + "Learner", ToolRole.MANAGER: LIS + "Instructor"}


class SeedClock:
    """The tool's clock during seeding: the moment of the action being played."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at


class SeededIds:
    """Version-4 UUIDs from a seeded generator: the same seed, the same ids."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"yrkesresan-demo-ids-{seed}")  # noqa: S311 - demo ids

    def __call__(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


class Player:
    """Launches and page actions on ``app`` at the clock's moment. Use it outside an app
    context: each request must have its own (``g`` holds the request's launch)."""

    def __init__(self, app: Flask, clock: SeedClock, ids: SeededIds) -> None:
        from yrkesresan_adapter.lti import load_secret

        self.app = app
        self.clock = clock
        self.ids = ids
        state = AdapterState.of(app)
        self.state = state
        pages = PagesService.of(app)
        pages.clock = clock
        pages.new_id = ids
        pages.events = outbox_journal(
            app, pages.catalog, load_secret(state.settings), clock=clock, id_factory=ids
        )
        self.pages = pages
        self.client = app.test_client()

    def launch(
        self,
        *,
        issuer: str,
        client_id: str,
        deployment_id: str,
        context_id: str,
        context_title: str,
        platform_name: str,
        sub: str,
        given_name: str,
        family_name: str,
        email: str,
        role: ToolRole,
        node: str,
    ) -> tuple[str, LaunchContext]:
        """A verified resource-link launch of ``node``: stored, hooks run, landed on."""
        context = LaunchContext(
            launch_id=self.ids(),
            issuer=issuer,
            client_id=client_id,
            deployment_id=deployment_id,
            sub=sub,
            message_type=MessageType.RESOURCE_LINK,
            role=role,
            lti_roles=(ROLES[role],),
            context_id=context_id,
            context_title=context_title,
            resource_link_id="rl-" + node.rsplit("/", 1)[-1],
            custom={NODE_PARAM: node},
            locale="sv-SE",
            name=f"{given_name} {family_name}",
            given_name=given_name,
            family_name=family_name,
            email=email,
            platform_name=platform_name,
        )
        services = self.state.services
        with self.app.app_context(), services.db.transaction():
            token = services.launch_sessions.start(context)
            for hook in services.launch.on_launch:
                hook(context)
        self._expect(self.client.get("/pages/", query_string={"lt": token}), "launch")
        return token, context

    def post(
        self,
        path: str,
        token: str,
        context: LaunchContext,
        form: Mapping[str, str | Sequence[str]],
    ) -> None:
        """A page's form, posted with the launch token and its CSRF token."""
        data = {"lt": token, "csrf_token": self.pages.csrf.token(context.launch_id), **form}
        self._expect(self.client.post(path, data=data), path)

    def _expect(self, response: object, what: str) -> None:
        status = getattr(response, "status_code", 0)
        if status not in (200, 302, 303):
            body = getattr(response, "get_data", lambda **_: "")(as_text=True)
            raise DemoSeedError(
                f"the demo year could not be played: {what} at {self.clock.at.isoformat()} "
                f"answered {status}: {body[:300]}",
                action=what,
                status=str(status),
            )
