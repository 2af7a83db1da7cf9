"""Plays the demo year through the tool itself, each action at its own moment.

The tool's clock (:class:`SeedClock`) is set to the moment of each action; ids come from
:class:`SeededIds` (the launch ids too). A launch is the whole LTI 1.3 round trip in
process: the person's LMS (a :class:`~.platforms.SeedPlatform`, signing with the demo
platform's key at the seed's moment) posts the login initiation to the tool's
``/lti/login``, answers the tool's authentication request with a signed id_token, and the
browser posts it to ``/lti/launch``: every check runs (state and its browser cookie, nonce,
signature against the LMS's key set, ``aud``/``azp``, deployment, roles), the launch is
stored and its hooks run, and the browser follows the redirect to the first page.
Everything after it goes through the pages as a browser would (the launch token, the CSRF
token, the form): a click "Markera som klar", a manager's registration, a trainer's
attendance, an evaluation answer. Their statements go into the outbox with the action's
time as their timestamp.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qs, urlsplit

from flask import Flask

from yrkesresan_adapter.demo.seed.platforms import (
    ClientBrowser,
    SeedPlatform,
    SeedUser,
    address_of,
)
from yrkesresan_adapter.pages import PagesService, outbox_journal
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.exceptions import DemoSeedError, PlatformSimulatorError
from yrkesresan_lti.lti.context import LaunchContext, ToolRole
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.transport import SimulatorTransport

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
        from yrkesresan_adapter.demo.views import demo_simulator
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
        checks = state.services.launch.validator.flow.validator
        checks.clock = clock  # the id_token's iat/exp are the seed's moments
        checks.new_id = ids
        self.key = demo_simulator(state.settings).key
        self.tool_url = state.settings.public_url
        self.platforms: dict[str, SeedPlatform] = {}
        self.client = app.test_client()

    def platform(
        self, *, issuer: str, client_id: str, deployment_id: str, name: str
    ) -> SeedPlatform:
        """The LMS ``issuer`` as a simulated platform signing with the demo platform's key;
        the tool reads its key set in process."""
        found = self.platforms.get(issuer)
        if found is None:
            found = self.platforms[issuer] = SeedPlatform(
                name=name,
                issuer=issuer,
                tool_url=self.tool_url,
                client_id=client_id,
                deployment_id=deployment_id,
                key=self.key,
                clock=self.clock,
            )
            jwks = self.state.services.launch.validator.jwks
            jwks.session.mount(found.issuer + "/", SimulatorTransport(found))
        return found

    def registration(self, platform: SeedPlatform) -> PlatformRegistration:
        """The LMS as ``yrkesresan platform add`` registers it (with its deployment)."""
        return dataclasses.replace(platform.registration(), name=platform.name)

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
        """A resource-link launch of ``node`` through the OIDC round trip, landed on; its
        launch token and the launch as the tool stored it."""
        platform = self.platform(
            issuer=issuer, client_id=client_id, deployment_id=deployment_id, name=platform_name
        )
        platform.people[sub] = SeedUser(sub, given_name, family_name, (ROLES[role],), address=email)
        platform.titles[context_id] = context_title
        wanted = SimLaunch(
            user=sub,
            resource_link_id="rl-" + node.rsplit("/", 1)[-1],
            context_id=context_id,
            custom=((NODE_PARAM, node),),
        )
        browser = ClientBrowser(self.app, address_of(issuer, sub))
        try:
            answer = platform.launch(browser, f"{self.tool_url}/lti/login", wanted)
        except PlatformSimulatorError as err:  # the login did not lead to the LMS
            raise DemoSeedError(
                f"the demo year could not be played: the login at {self.clock.at.isoformat()} "
                f"was refused: {err}",
                action="login",
                status=str(browser.last_status),
            ) from err
        first = answer.page_url or ""  # the first page: served in the answer, or a 303
        tokens = parse_qs(urlsplit(first).query).get("lt")
        if answer.status not in (200, 303) or not tokens:
            raise DemoSeedError(
                f"the demo year could not be played: the launch at {self.clock.at.isoformat()} "
                f"answered {answer.status}: {answer.text[:300]}",
                action="launch",
                status=str(answer.status),
            )
        if answer.status == 303:
            self._expect(browser.client.get(first), "launch")
        with self.app.app_context():
            context = self.state.services.launch_sessions.resolve(tokens[0])
        return tokens[0], context

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
