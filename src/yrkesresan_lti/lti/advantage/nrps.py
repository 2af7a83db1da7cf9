"""Names and Role Provisioning Services: the roster of a course (context).

Follows ``Link: <…>; rel="next"`` paging (quoted or not), stops on a loop or after
``max_pages``, maps short role names (Moodle sends ``Learner``) to full URIs, and keeps
names/e-mails optional (platforms may withhold them). Rosters are cached for a short TTL.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.exceptions import ServiceRejected, UnusableMember
from yrkesresan_lti.lti.advantage.paging import next_link
from yrkesresan_lti.lti.advantage.transport import ServiceSession, json_answer
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.untrusted import MAX_IDENTIFIER, shorten, unsafe_characters, usable_text

SCOPE_MEMBERSHIPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
MEMBERSHIP_NS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
_CONTEXT_ROLES = frozenset(
    {
        "Administrator",
        "ContentDeveloper",
        "Instructor",
        "Learner",
        "Mentor",
        "Manager",
        "Member",
        "Officer",
    }
)
_LIS1_PREFIX = "urn:lti:role:ims/lis/"
LEARNER = MEMBERSHIP_NS + "Learner"
INSTRUCTOR = MEMBERSHIP_NS + "Instructor"


def full_role(role: str) -> str:
    """``Learner`` → ``http://purl.imsglobal.org/vocab/lis/v2/membership#Learner``.

    Full URIs are kept; LTI 1.1 ``urn:lti:role:ims/lis/X`` become the v2 URI of X;
    short sub-roles (``Instructor#TeachingAssistant``) become the v2 sub-role URI.
    """
    role = role.strip()
    if role.startswith(_LIS1_PREFIX):
        role = role[len(_LIS1_PREFIX) :]
    if "://" in role or role.startswith("urn:"):
        return role
    main, _, sub = role.partition("#")
    if main in _CONTEXT_ROLES:
        if sub:
            return f"http://purl.imsglobal.org/vocab/lis/v2/membership/{main}#{sub}"
        return MEMBERSHIP_NS + main
    return role


@dataclass(frozen=True)
class Member:
    """One member of a course's roster (NRPS): the LTI ``user_id`` (= ``sub``) and roles."""

    user_id: str
    roles: tuple[str, ...]
    status: str = "Active"
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None

    @property
    def active(self) -> bool:
        """True when the platform lists the membership as ``Active``."""
        return self.status.lower() == "active"

    def has_role(self, role: str) -> bool:
        """True for the role (short ``Learner`` or full IRI) or one of its sub-roles."""
        wanted = full_role(role)
        return any(r == wanted or r.startswith(wanted.replace("#", "/") + "#") for r in self.roles)

    @property
    def is_learner(self) -> bool:
        """True for members with the context role ``Learner``."""
        return self.has_role("Learner")

    @property
    def is_instructor(self) -> bool:
        """True for members with the context role ``Instructor``."""
        return self.has_role("Instructor")

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Member:
        """One member of an NRPS answer; raises ``ServiceRejected`` without a ``user_id``.

        The roster is the platform's, so as untrusted as a launch's claims
        (:mod:`yrkesresan_lti.untrusted`): a name or e-mail with NUL or surrogate characters
        is left out and a long one shortened, as a launch would; a ``user_id`` that no launch
        could carry is refused with :class:`UnusableMember` (the roster skips the member)."""

        def text(key: str) -> str | None:
            value = body.get(key)
            if not isinstance(value, str):
                return None
            value = value.strip()
            return shorten(value) if value and not unsafe_characters(value) else None

        raw_id = body.get("user_id")
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(raw_id):
            raise ServiceRejected("A member of the roster has no user_id.")
        user_id = usable_text(raw_id, MAX_IDENTIFIER, numbers=True)
        if user_id is None:  # no launch could carry it as its sub
            raise UnusableMember("A member's user_id has NUL or surrogates, or is too long.")
        return cls(
            user_id=user_id,
            roles=tuple(full_role(r) for r in _list(body.get("roles")) if isinstance(r, str)),
            status=text("status") or "Active",
            name=text("name"),
            given_name=text("given_name"),
            family_name=text("family_name"),
            email=text("email"),
        )


def _list(value: object) -> list[object]:
    """``value`` when the platform sent a JSON array, else nothing (``"Learner"`` is not
    a list of roles: iterated, it was eleven one-letter roles)."""
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class Roster:
    """A course's members as the platform listed them (every page of the NRPS answer)."""

    context: Mapping[str, Any]
    members: tuple[Member, ...]
    complete: bool = True
    """False when paging stopped early (loop or page cap)."""

    def member(self, user_id: str) -> Member | None:
        """The member with this ``user_id``, or ``None``."""
        return next((m for m in self.members if m.user_id == user_id), None)


class NrpsClient:
    """Reads course rosters (LTI Names and Role Provisioning Services 2.0).

    Follows ``Link: <...>; rel="next"`` pages up to ``max_pages`` and keeps each roster for
    ``cache_ttl``, so a manager's page does not ask the platform on every request.
    """

    def __init__(
        self,
        http: ServiceSession,
        *,
        max_pages: int = 50,
        cache_ttl: timedelta = timedelta(minutes=5),
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._http = http
        self._max_pages = max_pages
        self._ttl = cache_ttl
        self._clock = clock
        self._cache: dict[tuple[str, str, str], tuple[datetime, Roster]] = {}
        self._lock = threading.Lock()

    def roster(self, platform: PlatformRegistration, memberships_url: str) -> Roster:
        key = (platform.issuer, platform.client_id, memberships_url)
        now = self._clock.now()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and now < hit[0]:
            return hit[1]
        roster = self._fetch(platform, memberships_url)
        with self._lock:
            self._cache[key] = (now + self._ttl, roster)
        return roster

    def _fetch(self, platform: PlatformRegistration, url: str) -> Roster:
        members: dict[str, Member] = {}
        context: Mapping[str, Any] = {}
        seen: set[str] = set()
        next_url: str | None = url
        while next_url is not None:
            if next_url in seen or len(seen) >= self._max_pages:
                return Roster(context, tuple(members.values()), complete=False)
            seen.add(next_url)
            response = self._http.request(
                platform,
                "GET",
                next_url,
                scopes=[SCOPE_MEMBERSHIPS],
                service="nrps",
                accept=MEMBERSHIPS_TYPE,
            )
            body = json_answer(response, "The roster's members")
            if not isinstance(body, dict):
                raise ServiceRejected("The roster is not a JSON object.")
            if isinstance(body.get("context"), dict):
                context = body["context"]
            raw_members = body.get("members") or []
            if not isinstance(raw_members, list):
                raise ServiceRejected("The roster's members are not a JSON array.")
            for raw in raw_members:
                if isinstance(raw, dict):
                    try:
                        member = Member.from_json(raw)
                    except UnusableMember:
                        continue  # no launch can carry that user_id: nobody to show
                    members[member.user_id] = member
            next_url = next_link(response.headers.get("Link"), next_url)
        return Roster(context, tuple(members.values()))
