"""The checks of ``yrkesresan doctor``: each returns :class:`Check` results, never raises.

A check's ``code`` (``"database_unreachable"``) is stable (JSON, tests); ``message`` and
``fix`` are message ids (Swedish, :mod:`yrkesresan_lti.i18n`) filled from ``details``.
Remote checks use ``requests`` with short timeouts; the HTTP ``Date`` headers they see feed
the clock check.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urljoin

import jwt
import requests
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter import migrations
from yrkesresan_adapter.cli.errors import error_text
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.keys import store_from_settings
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.i18n import N_
from yrkesresan_lti.settings import LrsTarget, Settings

Status = Literal["ok", "fail", "skip"]
TIMEOUT = (5.0, 10.0)
MAX_SKEW_SECONDS = 30
"""Launch tokens are accepted 60 s either side (LEEWAY_SECONDS); warn well before that."""
XAPI_VERSION = "1.0.3"


@dataclass(frozen=True)
class Check:
    """One result: what was checked (``name``, ``target``), the verdict, and what to do."""

    name: str
    status: Status
    code: str
    message: str
    fix: str = ""
    target: str = ""
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class Doctor:
    """Runs every check against ``settings``; ``session`` and ``now`` are for tests."""

    settings: Settings
    session: requests.Session = field(default_factory=requests.Session)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    dates: list[tuple[str, datetime, datetime]] = field(default_factory=list)
    """(source, remote Date, local time) of every answer seen"""

    def run(self) -> Iterator[Check]:
        yield Check("configuration", "ok", "settings_valid", N_("inställningarna går att läsa"))
        db = Database(self.settings.sqlalchemy_url)
        try:
            database = self.database(db)
            yield database
            schema = self.migrations(db) if database.status == "ok" else None
            if schema is not None:
                yield schema
            if schema is not None and schema.status == "ok":
                yield self.keys(db)
                yield from self.platforms(db)
            else:
                names = ("keys", "platform") if schema else ("migrations", "keys", "platform")
                yield from (_skipped(name, schema is None) for name in names)
        finally:
            db.dispose()
        yield from self.lrs_targets()
        yield self.clock()

    # --- database ------------------------------------------------------------------------

    def database(self, db: Database) -> Check:
        try:
            db.ping()
        except YrkesresanError as err:
            return Check(
                "database",
                "fail",
                "database_unreachable",
                N_("databasen svarar inte: %(error)s"),
                N_("Kontrollera YRKESRESAN_DATABASE_URL och att databasen är igång."),
                details={"error": err.details.get("error", type(err).__name__)},
            )
        return Check("database", "ok", "database_reachable", N_("databasen svarar"))

    def migrations(self, db: Database) -> Check:
        try:
            revision = migrations.current_revision(db)
        except SQLAlchemyError as err:
            return Check(
                "migrations",
                "fail",
                "revision_unreadable",
                N_("databasens revision kan inte läsas: %(error)s"),
                N_("Kontrollera databasens behörigheter."),
                details={"error": type(err).__name__},
            )
        state = migrations.revision_state(revision)
        details = {"revision": revision or "-", "head": migrations.head_revision() or "-"}
        if state == "current":
            return Check(
                "migrations", "ok", "current", N_("schemat är aktuellt (%(head)s)"), "", "", details
            )
        fix = N_("Kör 'yrkesresan db upgrade'.")
        if state == "unknown":
            fix = N_("Uppdatera yrkesresan-lti till den version som migrerade databasen.")
        return Check(
            "migrations",
            "fail",
            state,
            N_("databasen är på %(revision)s, den här versionen har %(head)s"),
            fix,
            details=details,
        )

    def keys(self, db: Database) -> Check:
        try:
            store = store_from_settings(db, self.settings)
            infos = store.list_keys()
            if not any(info.state == "current" for info in infos):
                return Check(
                    "keys", "ok", "no_keys_yet", N_("inga nycklar ännu; de skapas vid första start")
                )
            kid = store.signing_key().kid
        except YrkesresanError as err:
            return Check(
                "keys",
                "fail",
                err.reason or err.code,
                N_("signeringsnyckeln kan inte användas: %(error)s"),
                N_("Sätt samma YRKESRESAN_SECRET_KEY som när nyckeln skapades."),
                details={"error": error_text(err)},
            )
        except SQLAlchemyError as err:
            return Check(
                "keys",
                "fail",
                "keys_unreadable",
                N_("nycklarna kan inte läsas: %(error)s"),
                N_("Kör 'yrkesresan db upgrade'."),
                details={"error": type(err).__name__},
            )
        return Check(
            "keys", "ok", "signing_key", N_("nyckel %(kid)s signerar"), details={"kid": kid}
        )

    # --- remote ---------------------------------------------------------------------------

    def platforms(self, db: Database) -> Iterator[Check]:
        try:
            registrations = SqlPlatformStore(db).list()
        except SQLAlchemyError as err:
            yield Check(
                "platform",
                "fail",
                "platforms_unreadable",
                N_("plattformarna kan inte läsas: %(error)s"),
                N_("Kör 'yrkesresan db upgrade'."),
                details={"error": type(err).__name__},
            )
            return
        if not registrations:
            yield Check(
                "platform",
                "skip",
                "no_platforms",
                N_("inga plattformar registrerade"),
                N_("Registrera en med 'yrkesresan platform add' eller dynamisk registrering."),
            )
        for r in registrations:
            yield self.keyset(r.issuer, r.key_set_url)

    def keyset(self, issuer: str, url: str) -> Check:
        fix = N_("Kontrollera JWKS-adressen i registreringen: yrkesresan platform show %(issuer)s")
        details = {"issuer": issuer, "url": url}
        try:
            answer = self._get(url, issuer)
        except requests.RequestException as err:
            details["error"] = type(err).__name__
            return Check(
                "platform",
                "fail",
                "keyset_unreachable",
                N_("%(url)s svarar inte (%(error)s)"),
                fix,
                issuer,
                details,
            )
        if answer.status_code != 200:
            details["status"] = str(answer.status_code)
            return Check(
                "platform",
                "fail",
                "keyset_status",
                N_("%(url)s svarade %(status)s"),
                fix,
                issuer,
                details,
            )
        try:
            keys = jwt.PyJWKSet.from_dict(answer.json()).keys
        except (ValueError, jwt.PyJWKError, jwt.PyJWKSetError, AttributeError, TypeError):
            return Check(
                "platform",
                "fail",
                "keyset_invalid",
                N_("%(url)s gav ingen giltig nyckeluppsättning (JWKS)"),
                fix,
                issuer,
                details,
            )
        details["count"] = str(len(keys))
        return Check(
            "platform",
            "ok",
            "keyset_valid",
            N_("%(url)s: %(count)s nycklar"),
            target=issuer,
            details=details,
        )

    def lrs_targets(self) -> Iterator[Check]:
        targets = self.settings.all_lrs_targets
        if not targets:
            yield Check(
                "lrs",
                "skip",
                "no_lrs",
                N_("ingen LRS: statements väntar i utkorgen"),
                N_("Sätt YRKESRESAN_LRS__ENDPOINT (eller YRKESRESAN_LRS_TARGETS)."),
            )
        for target in targets:
            yield self.lrs(target)

    def lrs(self, target: LrsTarget) -> Check:
        details = {"endpoint": target.endpoint}
        fix_address = N_("Kontrollera adressen %(endpoint)s och att LRS:en är igång.")
        try:
            about = self._get(urljoin(target.endpoint, "about"), target.name)
            read = self._get(
                urljoin(target.endpoint, "statements"),
                target.name,
                params={"limit": "1"},
                headers={"X-Experience-API-Version": XAPI_VERSION, **_bearer(target)},
                auth=_basic(target),
            )
        except requests.RequestException as err:
            details["error"] = type(err).__name__
            return Check(
                "lrs",
                "fail",
                "lrs_unreachable",
                N_("%(endpoint)s svarar inte (%(error)s)"),
                fix_address,
                target.name,
                details,
            )
        # GET about is optional in practice (Ralph 5 has none): its versions, when given.
        details["versions"] = ", ".join(_versions(about)) or "-"
        details["status"] = str(read.status_code)
        if read.status_code in (401, 403):
            return Check(
                "lrs",
                "fail",
                "lrs_auth",
                N_("LRS:en nekade läsning (%(status)s)"),
                N_("Kontrollera användarnamn och lösenord eller token för målet."),
                target.name,
                details,
            )
        if read.status_code != 200:
            return Check(
                "lrs",
                "fail",
                "lrs_read_status",
                N_("läsning av statements svarade %(status)s"),
                fix_address,
                target.name,
                details,
            )
        return Check(
            "lrs",
            "ok",
            "lrs_readable",
            N_("%(endpoint)s svarar och kan läsas (xAPI %(versions)s)"),
            "",
            target.name,
            details,
        )

    def clock(self) -> Check:
        if not self.dates:
            return Check(
                "clock",
                "skip",
                "no_remote_date",
                N_("ingen fjärrtjänst svarade med tid (Date)"),
            )
        source, remote, local = max(
            self.dates, key=lambda seen: abs((seen[1] - seen[2]).total_seconds())
        )
        skew = round((local - remote).total_seconds())
        details = {"skew": str(skew), "source": source}
        if abs(skew) > MAX_SKEW_SECONDS:
            return Check(
                "clock",
                "fail",
                "clock_skew",
                N_("klockan skiljer %(skew)s s från %(source)s"),
                N_("Synkronisera klockan (NTP); starter avvisas när den skiljer mer än 60 s."),
                details=details,
            )
        return Check(
            "clock",
            "ok",
            "clock_in_sync",
            N_("klockan stämmer (%(skew)s s mot %(source)s)"),
            details=details,
        )

    def _get(self, url: str, source: str, **kwargs: object) -> requests.Response:
        answer = self.session.get(url, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]
        date = answer.headers.get("Date")
        if date:
            try:
                remote = email.utils.parsedate_to_datetime(date)
            except (TypeError, ValueError):
                return answer
            if remote.tzinfo is not None:
                self.dates.append((source, remote, self.now()))
        return answer


def _versions(about: requests.Response) -> list[str]:
    if about.status_code != 200:
        return []
    try:
        versions = about.json().get("version", [])
    except (ValueError, AttributeError):
        return []
    return [str(v) for v in versions] if isinstance(versions, list) else []


def _skipped(name: str, no_database: bool) -> Check:
    if no_database:
        return Check(name, "skip", "database_unreachable", N_("databasen svarar inte"))
    return Check(name, "skip", "schema_behind", N_("schemat är inte aktuellt"))


def _basic(target: LrsTarget) -> tuple[str, str] | None:
    if target.token is not None or target.username is None:
        return None
    return (target.username, target.password.get_secret_value() if target.password else "")


def _bearer(target: LrsTarget) -> dict[str, str]:
    if target.token is None:
        return {}
    return {"Authorization": f"Bearer {target.token.get_secret_value()}"}
