"""The seeded year's LMSs as simulated platforms, and the browser their people launch with.

Each seeded LMS is a :class:`~yrkesresan_lti.testing.simulator.PlatformSimulator` (the tests'
and the demo's simulator) signing with the demo platform's key at the seed's clock: its
people are the year's, its id_token carries the person's names and e-mail, the
municipality's context title and the LMS's name, and no AGS or NRPS endpoints (a seeded
LMS has no gradebook or roster to call). :class:`ClientBrowser` posts the simulator's forms
to the tool in process, through Flask's test client: each launch gets a browser of its own
(cookie jar) at the person's own address, as a real person's browser would be.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from yrkesresan_lti.lti import claims as c
from yrkesresan_lti.testing.claims import SimLaunch, SimUser
from yrkesresan_lti.testing.simulator import BrowserResponse, PlatformSimulator


@dataclass(frozen=True)
class SeedUser(SimUser):
    """A person of the seeded year, with the e-mail address their LMS has for them."""

    address: str = ""

    @property
    def email(self) -> str:
        return self.address


class SeedPlatform(PlatformSimulator):
    """One LMS of the seeded year: its name, its people and its contexts' titles."""

    def __init__(self, *, name: str, **simulator: Any) -> None:
        super().__init__(**simulator)
        self.name = name
        self.people: dict[str, SeedUser] = {}
        """The LMS's users by their ``sub`` (a :class:`SimLaunch` names them by it)."""
        self.titles: dict[str, str] = {}
        """Context titles by context id."""

    def user(self, name: str) -> SimUser | None:
        return self.people.get(name)

    def claims(self, launch: SimLaunch, *, nonce: str) -> dict[str, Any]:
        claims = super().claims(launch, nonce=nonce)
        claims[c.CONTEXT]["title"] = self.titles.get(launch.context_id, launch.context_id)
        claims[c.TOOL_PLATFORM]["name"] = self.name
        claims[c.TOOL_PLATFORM]["guid"] = self.issuer
        del claims[c.AGS_ENDPOINT], claims[c.NRPS]
        return claims


def address_of(issuer: str, sub: str) -> str:
    """The person's own (private) IP address: the tool counts its rate limits per address."""
    digest = hashlib.sha256(f"{issuer} {sub}".encode()).digest()
    return f"10.{digest[0]}.{digest[1]}.{digest[2] or 1}"


class ClientBrowser:
    """A :class:`~yrkesresan_lti.testing.simulator.Browser` over Flask's test client: its
    own cookie jar, the given client address, redirects not followed."""

    def __init__(self, app: Flask, address: str) -> None:
        self.client: FlaskClient = app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = address
        self.last_status = 0
        """The status of the last answer (what a refused login answered)."""

    def post_form(self, url: str, fields: Mapping[str, str]) -> BrowserResponse:
        answer = self.client.post(url, data=dict(fields))
        self.last_status = answer.status_code
        return BrowserResponse(
            answer.status_code, dict(answer.headers), answer.get_data(as_text=True)
        )
