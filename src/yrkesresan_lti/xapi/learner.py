"""Who a statement is about, as the launch told us, and which LTI deployment it came through."""

from __future__ import annotations

from dataclasses import dataclass

from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.municipalities import Municipality
from yrkesresan_lti.xapi.validation.syntax import is_language_tag


@dataclass(frozen=True)
class Learner:
    """A learner of one LTI deployment.

    From a validated launch: :meth:`from_launch`. Without one (imports, scripts, tests),
    build it directly: ``Learner(issuer="https://moodle.kommun.se", sub="42",
    client_id="abc", deployment_id="1", platform_name="Exempelkommun")``; the platform
    name is the municipality in statements.

    ``name`` and ``email`` are only put in statements when ``send_names`` is true (the
    platform registration's ``send_names``); otherwise the actor is a pseudonym.

    ``municipality`` is the one the admin attached to the platform, deployment or LMS
    context (SCB's code and name in statements); ``None`` is unknown, never guessed.
    """

    issuer: str
    sub: str
    client_id: str
    deployment_id: str
    platform_name: str
    name: str | None = None
    email: str | None = None
    send_names: bool = False
    language: str = "sv"
    municipality: Municipality | None = None

    def __repr__(self) -> str:
        # Personal data stays out of logs and tracebacks.
        return (
            f"Learner(issuer={self.issuer!r}, client_id={self.client_id!r}, "
            f"deployment_id={self.deployment_id!r}, sub=***)"
        )

    @classmethod
    def from_launch(cls, launch: LaunchContext, platform: PlatformRegistration) -> Learner:
        """The learner of a validated launch; the platform says whether names may be sent."""
        name = launch.name or " ".join(
            part for part in (launch.given_name, launch.family_name) if part
        )
        return cls(
            issuer=launch.issuer,
            sub=launch.sub,
            client_id=launch.client_id,
            deployment_id=launch.deployment_id,
            platform_name=platform.name,
            name=name or None,
            email=launch.email,
            send_names=platform.send_names,
            language=launch_language(launch.locale),
        )


def launch_language(locale: str | None) -> str:
    """The launch's locale as a BCP 47 tag (``sv_SE`` -> ``sv-SE``); Swedish if unusable."""
    tag = (locale or "").replace("_", "-")
    return tag if is_language_tag(tag) else "sv"
