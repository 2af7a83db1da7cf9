"""Every error this project raises on purpose: one root, typed subclasses.

Callers catch :class:`YrkesresanError` for "anything of ours", or a subclass for one
concern. Messages say what to do about it. Area-specific subclasses that carry extra
fields live next to their parent here, so there is one place to read them all.

Every class names a stable ``code``: the error code people see (pages, the
``X-Yrkesresan-Error`` header, the ``error=`` field of log lines) and the key of its texts in
the adapter. Renaming a class never changes its code. HTTP statuses are not ours to choose
here: the adapter maps exception types to statuses (``yrkesresan_adapter.errors``).
"""

from __future__ import annotations

import re
from typing import ClassVar

_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL and lone surrogates: no page (UTF-8) or log line can carry them as they are."""


def _writable(text: str) -> str:
    """``text`` with NUL and lone surrogates written as escapes (``\\u0000``,
    ``\\ud800``): an error may quote untrusted input (a claim's name from a hostile
    id_token), and its page and log line must still be written."""
    if _UNWRITABLE.search(text) is None:
        return text
    return _UNWRITABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class YrkesresanError(Exception):
    """Root of every error raised by yrkesresan_lti and yrkesresan_adapter.

    ``temporary`` is true when the same request may succeed later (a database, file or
    catalog that cannot be read just now); a raiser sets it on the instance.

    The message is English, for developers and logs. What a person reads (a page, the
    CLI) is looked up in the adapter's catalogs by ``code`` and, where one code has several
    causes, ``reason`` (a short stable id such as ``"no_settings"``), filled in from
    ``details`` (names, URLs, statuses; never tokens, nonces or other secrets).
    """

    code: ClassVar[str] = "YrkesresanError"
    temporary: bool = False

    def __init__(self, message: str = "", *, reason: str = "", **details: str) -> None:
        super().__init__(_writable(message))
        self.reason: str = reason
        self.details: dict[str, str] = {
            key: _writable(value) if isinstance(value, str) else value
            for key, value in details.items()
        }


# --- configuration -----------------------------------------------------------------------


class ConfigurationError(YrkesresanError):
    """Raised when settings are missing or contradict each other."""

    code = "ConfigurationError"


# --- catalog -------------------------------------------------------------------------------


class CatalogError(YrkesresanError):
    """Raised when a catalog file cannot be read or does not validate.

    ``problems`` holds one entry per problem found, so a loader can report all of them.
    """

    code = "CatalogError"

    def __init__(
        self,
        message: str,
        problems: list[CatalogProblem] | None = None,
        *,
        reason: str = "",
        **details: str,
    ) -> None:
        super().__init__(message, reason=reason, **details)
        self.problems: list[CatalogProblem] = problems or []


class CatalogProblem:
    """One problem found in a catalog: where it is and what to do about it.

    ``message`` is English; ``reason`` (when set) is the stable id of its text in the
    adapter's catalogs, filled in from ``details``, so the CLI can print it translated.
    """

    __slots__ = ("details", "file", "line", "message", "path", "reason", "severity")

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        path: str = "",
        line: int | None = None,
        severity: str = "error",
        reason: str = "",
        details: dict[str, str] | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.path = path
        self.line = line
        self.severity = severity
        self.reason = reason
        self.details: dict[str, str] = details or {}

    def __str__(self) -> str:
        where = self.file or "<catalog>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        at = f" {self.path}:" if self.path else ""
        return f"{where}:{at} {self.severity}: {self.message}"

    def __repr__(self) -> str:
        return f"CatalogProblem({self!s})"


class UnknownCatalogNode(CatalogError):
    """Raised when a slug path or IRI does not name any node of the loaded catalog."""

    code = "UnknownCatalogNode"


class DetachedCatalogNode(CatalogError):
    """Raised when a node's IRI is read before the node is part of a validated catalog."""

    code = "DetachedCatalogNode"


# --- xAPI ----------------------------------------------------------------------------------


class XapiError(YrkesresanError):
    """Raised for xAPI problems (statements, profile, LRS)."""

    code = "XapiError"


class InvalidStatement(XapiError):
    """Raised when a statement breaks the xAPI 1.0.3 rules; the message names the field."""

    code = "InvalidStatement"

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class LrsError(XapiError):
    """Raised when a learning record store answers with an error."""

    code = "LrsError"


class LrsUnavailable(LrsError):
    """Raised when the LRS cannot be reached or keeps failing (timeouts, 5xx)."""

    code = "LrsUnavailable"


class LrsRejected(LrsError):
    """Raised when the LRS refuses a statement for good (400, 409): retrying will not help."""

    code = "LrsRejected"


class LrsAccessDenied(LrsRejected):
    """Raised when an LRS refuses to be read (401: wrong or missing credentials, 403: the
    credentials may not read statements); ``reason`` is ``unauthorized`` or ``forbidden``."""

    code = "LrsAccessDenied"


class LrsNotFound(LrsRejected):
    """Raised when the LRS URL answers 404: it is not an xAPI endpoint (check the path, e.g.
    ``https://lrs.example.se/xAPI/``)."""

    code = "LrsNotFound"


class LrsBadAnswer(LrsError):
    """Raised when an LRS answers a query with something that is not a statement result
    (invalid JSON, no ``statements`` list)."""

    code = "LrsBadAnswer"


class LrsPagingError(LrsError):
    """Raised when an LRS's paging cannot be followed safely: a ``more`` link to another
    host (``reason="foreign_more"``), a ``more`` link seen before (``"loop"``), or more
    pages than the reader's limit (``"too_many_pages"``)."""

    code = "LrsPagingError"


class OutboxError(YrkesresanError):
    """Raised when an outbox payload or request is invalid (e.g. a payload without an id)."""

    code = "OutboxError"


# --- LTI -------------------------------------------------------------------------------------


class LtiError(YrkesresanError):
    """Raised for LTI 1.3 problems (``code``, ``reason`` and ``details`` as for the root)."""

    code = "LtiError"


class InvalidLaunch(LtiError):
    """Raised when an id_token or a launch request fails a security check."""

    code = "InvalidLaunch"


class UnknownPlatform(InvalidLaunch):
    """Raised when issuer/client_id do not match any registered platform."""

    code = "UnknownPlatform"


class Forbidden(LtiError):
    """Raised when the launch's roles do not allow the action."""

    code = "Forbidden"


class NotRegionCoordinator(Forbidden):
    """Raised when an administrator changes an occasion of a region their platform does not
    coordinate (``yrkesresan platform set-region`` says which regions a platform has)."""

    code = "NotRegionCoordinator"


class CsrfTokenInvalid(Forbidden):
    """Raised when a page's form arrives without its CSRF token, or with another launch's."""

    code = "CsrfTokenInvalid"


class LaunchExpired(LtiError):
    """Raised when a launch token is missing, tampered with or expired."""

    code = "LaunchExpired"


class PlatformServiceError(LtiError):
    """Raised when an LTI Advantage service of the platform (AGS, NRPS, token) fails.

    ``platform_status`` is the HTTP status the platform answered (None when it never answered)."""

    code = "PlatformServiceError"

    platform_status: int | None = None


class ServiceNotEnabled(PlatformServiceError):
    """Raised when the platform refuses a service (401/400): it is switched off for the tool,
    or the user cannot be graded there. The message says what to change in the LMS."""

    code = "ServiceNotEnabled"


class ServiceForbidden(PlatformServiceError):
    """Raised when the platform answers 403: the tool lacks the scope for this service."""

    code = "ServiceForbidden"


class ServiceNotFound(PlatformServiceError):
    """Raised when a service URL answers 404 (deleted line item, course or link)."""

    code = "ServiceNotFound"


class ServiceRejected(PlatformServiceError):
    """Raised when the platform refuses the payload for good (422 and other 4xx)."""

    code = "ServiceRejected"


class UnusableMember(ServiceRejected):
    """Raised for a roster member (NRPS) whose ``user_id`` no launch could carry (NUL,
    surrogates, longer than a ``sub`` may be): the roster leaves the member out."""

    code = "UnusableMember"


class ServiceConflict(ServiceRejected):
    """Raised when the platform answers 409: it holds a newer record (for AGS, a score whose
    timestamp is not later, in whole seconds, than the one on record)."""

    code = "ServiceConflict"


class ServiceUnavailable(PlatformServiceError):
    """Raised when the platform cannot be reached, times out or answers 5xx (retry later)."""

    code = "ServiceUnavailable"


class DeepLinkingError(LtiError):
    """Raised when a deep-linking request or selection cannot be answered."""

    code = "DeepLinkingError"


class DeepLinkingReplayed(DeepLinkingError):
    """Raised when a deep-linking request was already answered (a resent or replayed form)."""

    code = "DeepLinkingReplayed"


class RegistrationError(LtiError):
    """Raised when dynamic registration with a platform fails."""

    code = "RegistrationError"


# --- LTI launch checks (login, id_token, launch token) -------------------------------------


class LaunchCheckFailed(InvalidLaunch):
    """Raised when one step of the login/launch checks fails.

    ``details`` names what was checked (issuer, client_id, claim, ...) for the admin-facing
    page and the log line.
    """

    code = "LaunchCheckFailed"


class MalformedRequest(LaunchCheckFailed):
    """Raised when a login or launch request lacks form fields or has the wrong content type."""

    code = "MalformedRequest"


class UnsupportedContentType(MalformedRequest):
    """Raised when a launch is not posted as a form (``application/x-www-form-urlencoded``)."""

    code = "UnsupportedContentType"


class RequestTooLarge(MalformedRequest):
    """Raised when a login or launch request (or its id_token) is too large to be genuine."""

    code = "RequestTooLarge"


class UnknownIssuer(LaunchCheckFailed, UnknownPlatform):
    """Raised when (issuer, client_id) of a login or id_token is not registered."""

    code = "UnknownIssuer"


class InactiveDeployment(LaunchCheckFailed):
    """Raised when a login or launch names a deployment that is not registered for the
    platform, or not activated."""

    code = "DeploymentNotActive"


class ForeignTargetLinkUri(LaunchCheckFailed):
    """Raised when ``target_link_uri`` does not point at this tool's base URL."""

    code = "ForeignTargetLinkUri"


class BadState(LaunchCheckFailed):
    """Raised when the launch's ``state`` is missing, unknown, expired or already used."""

    code = "BadState"


class StateFromOtherBrowser(BadState):
    """Raised when the state was issued to another browser (its binding cookie differs)."""

    code = "StateFromOtherBrowser"


class MalformedToken(LaunchCheckFailed):
    """Raised when the id_token is not a well-formed compact JWS."""

    code = "MalformedToken"


class UnsupportedAlgorithm(LaunchCheckFailed):
    """Raised when the id_token is not signed with RS256 (``none``, HS256, ... are refused)."""

    code = "UnsupportedAlgorithm"


class UnknownKeyId(LaunchCheckFailed):
    """Raised when the id_token's ``kid`` is missing or not in the platform's key set."""

    code = "UnknownKeyId"


class KeySetUnavailable(LaunchCheckFailed):
    """Raised when the platform's key set (JWKS) cannot be fetched or read."""

    code = "KeySetUnavailable"


class InvalidSignature(LaunchCheckFailed):
    """Raised when the id_token's signature does not verify with the platform's key."""

    code = "InvalidSignature"


class InvalidIssuer(LaunchCheckFailed):
    """Raised when ``iss`` differs from the issuer the login was started for."""

    code = "InvalidIssuer"


class InvalidAudience(LaunchCheckFailed):
    """Raised when ``aud`` does not contain our client_id."""

    code = "InvalidAudience"


class InvalidAuthorizedParty(InvalidAudience):
    """Raised when ``azp`` is missing with several audiences, or is not our client_id."""

    code = "InvalidAuthorizedParty"


class TokenExpired(LaunchCheckFailed):
    """Raised when ``exp`` is missing or in the past (beyond the allowed clock skew)."""

    code = "TokenExpired"


class TokenIssuedInFuture(LaunchCheckFailed):
    """Raised when ``iat`` is missing or later than now (beyond the allowed clock skew)."""

    code = "TokenIssuedInFuture"


class NonceMismatch(LaunchCheckFailed):
    """Raised when ``nonce`` is missing or differs from the one issued with the state."""

    code = "NonceMismatch"


class NonceReplayed(LaunchCheckFailed):
    """Raised when a launch reuses a nonce already consumed by an earlier launch (on any
    worker)."""

    code = "NonceReused"


class UnsupportedMessageType(LaunchCheckFailed):
    """Raised when ``message_type`` is not LtiResourceLinkRequest or LtiDeepLinkingRequest."""

    code = "UnsupportedMessageType"


class UnsupportedVersion(LaunchCheckFailed):
    """Raised when the LTI ``version`` claim is not ``1.3.0``."""

    code = "UnsupportedVersion"


class MissingClaim(LaunchCheckFailed):
    """Raised when a required claim is missing or has the wrong type; ``details['claim']``."""

    code = "MissingClaim"


class InvalidClaim(LaunchCheckFailed):
    """Raised when a claim holds what we never accept: NUL or surrogate characters, an
    identifier longer than we store, a date that is not a finite number in range.
    ``details['claim']`` names the claim, ``reason`` is ``unsafe``, ``too_long`` or ``range``."""

    code = "InvalidClaim"


class LaunchTokenTampered(LaunchExpired):
    """Raised when a launch token's signature or format is wrong (edited or forged)."""

    code = "LaunchTokenTampered"


class RateLimited(LtiError):
    """Raised when one address sends more logins, launches or registrations than the
    configured limit allows (``YRKESRESAN_RATE_LIMITS``); ``details['retry_after']`` is the
    wait in seconds."""

    code = "RateLimited"


class PlatformSimulatorError(LtiError):
    """Raised by the test/demo platform simulator when a tool's request breaks the protocol."""

    code = "PlatformSimulatorError"


# --- HTTP requests (the adapter's request boundary) ----------------------------------------


class RequestRefused(YrkesresanError):
    """Raised when an HTTP request is refused before any page or endpoint handles it: a bad
    parameter, an unknown path or method, a body or URL that is too large."""

    code = "RequestRefused"


class InvalidField(RequestRefused):
    """Raised when a form or query parameter holds NUL or surrogate characters
    (``reason="unsafe"``) or is longer than allowed (``reason="too_long"``, ``details['limit']``);
    ``details['field']`` names the parameter."""

    code = "InvalidField"


class UriTooLong(RequestRefused):
    """Raised when a request's URL (its query string) is too long to be one of ours."""

    code = "UriTooLong"


class BodyTooLarge(RequestRefused):
    """Raised when a request's body is larger than any form of ours."""

    code = "BodyTooLarge"


class UnsupportedMediaType(RequestRefused):
    """Raised when a request's body is of a type the endpoint does not read."""

    code = "UnsupportedMediaType"


class BadRequest(RequestRefused):
    """Raised when a request cannot be read at all (a broken form body, a missing field)."""

    code = "BadRequest"


class PageNotFound(RequestRefused):
    """Raised when no page answers the path, or what it names does not exist."""

    code = "NotFound"


class MethodNotAllowed(RequestRefused):
    """Raised when the path exists but not for the request's method (GET vs POST)."""

    code = "MethodNotAllowed"


class AccessDenied(RequestRefused):
    """Raised for a 403 that is not about a launch's role (e.g. a page that refuses)."""

    code = "AccessDenied"


# --- storage ---------------------------------------------------------------------------------


class StorageError(YrkesresanError):
    """Raised when stored data cannot be read or changed as asked."""

    code = "StorageError"


class DatabaseBusy(StorageError):
    """Raised when the database refused a transaction because of another one at the same
    time (a deadlock, a serialization failure, a lock it could not get in time): it was rolled
    back whole, nothing of it is stored, and the same request can simply be sent again."""

    code = "DatabaseBusy"


class DatabaseNotReady(StorageError):
    """Raised when the database is unreachable or its schema is behind the code."""

    code = "DatabaseNotReady"


class PlatformExists(StorageError):
    """Raised when a platform with the same (issuer, client_id) is already registered."""

    code = "PlatformExists"


class AmbiguousPlatform(StorageError):
    """Raised when an issuer has several registrations and no client_id was given."""

    code = "AmbiguousPlatform"


class InvalidPlatform(StorageError):
    """Raised when a platform registration has a missing or malformed field (e.g. a URL)."""

    code = "InvalidPlatform"


class UnknownDeployment(StorageError):
    """Raised when a deployment id is not registered for the platform."""

    code = "UnknownDeployment"


class KeyRotationError(StorageError):
    """Raised when a tool key rotation step is not possible yet (or not at all)."""

    code = "KeyRotationError"


# --- course occasions (anmälan till kurstillfälle) -------------------------------------------


class OccasionRegistrationError(YrkesresanError):
    """Raised when registering staff for a course occasion, or withdrawing them, is refused."""

    code = "OccasionRegistrationError"


class OccasionFull(OccasionRegistrationError):
    """Raised when an occasion has fewer seats left than people to register.

    ``seats_left`` is how many can still be registered (0 when it is full).
    """

    code = "OccasionFull"

    def __init__(self, message: str, *, seats_left: int) -> None:
        super().__init__(message)
        self.seats_left = seats_left


class RegistrationClosed(OccasionRegistrationError):
    """Raised when the occasion's registration deadline has passed (Swedish date)."""

    code = "RegistrationClosed"


class OccasionStarted(OccasionRegistrationError):
    """Raised when a registration is withdrawn or moved on or after the first course day."""

    code = "OccasionStarted"


class NotRegistered(OccasionRegistrationError):
    """Raised when a registration to withdraw does not exist (any more)."""

    code = "NotRegistered"


class NobodySelected(OccasionRegistrationError):
    """Raised when a registration form names nobody to register."""

    code = "NobodySelected"


class OccasionCancelled(OccasionRegistrationError):
    """Raised when someone is registered (or put on the waiting list) for a cancelled occasion."""

    code = "OccasionCancelled"


class NotOpenToMunicipality(OccasionRegistrationError):
    """Raised when the occasion is not open to the launch's municipality (platform)."""

    code = "NotOpenToMunicipality"


class NotWaiting(OccasionRegistrationError):
    """Raised when a waiting-list place to remove does not exist (any more)."""

    code = "NotWaiting"


# --- occasions as operational data (kurstillfällen som driftdata) -----------------------------


class OccasionPlanError(YrkesresanError):
    """Raised when an occasion cannot be added, changed, cancelled or imported."""

    code = "OccasionPlanError"


class InvalidOccasion(OccasionPlanError):
    """Raised when an occasion breaks a rule (``reason`` names the field, ``details`` carry
    ``message_id``, the English message id, and its placeholders)."""

    code = "InvalidOccasion"


class UnknownOccasion(OccasionPlanError):
    """Raised when no occasion has the given IRI."""

    code = "UnknownOccasion"


class OccasionExists(OccasionPlanError):
    """Raised when an occasion with the same IRI is added again."""

    code = "OccasionExists"


class OccasionCsvError(OccasionPlanError):
    """Raised when a CSV file of occasions has problems; ``problems`` lists every one
    as (line, column, English message id, details). Nothing was imported."""

    code = "OccasionCsvError"

    def __init__(self, message: str, problems: list[tuple[int, str, str, dict[str, str]]]) -> None:
        super().__init__(message)
        self.problems = problems


# --- attendance on course days (närvaro på kursdagar) ----------------------------------------


class AttendanceError(YrkesresanError):
    """Raised when recording attendance on a course day, or withdrawing it, is refused."""

    code = "AttendanceError"


class CourseDayNotBegun(AttendanceError):
    """Raised when attendance is recorded for a course day that has not begun (Swedish date)."""

    code = "CourseDayNotBegun"


class NotRegisteredForOccasion(AttendanceError):
    """Raised when attendance is recorded for someone not registered for the occasion."""

    code = "NotRegisteredForOccasion"


# --- course evaluation (kursutvärdering) ------------------------------------------------------


class EvaluationError(YrkesresanError):
    """Raised when a course evaluation answer is refused."""

    code = "EvaluationError"


class InvalidEvaluationAnswer(EvaluationError):
    """Raised when an answer is missing a required rating, is off the 1–5 scale or names a
    question the evaluation does not ask."""

    code = "InvalidEvaluationAnswer"


class EvaluationNotOpen(EvaluationError):
    """Raised when the evaluation is not offered yet (before the last course day or the
    follow-up) to this learner."""

    code = "EvaluationNotOpen"


class EvaluationClosed(EvaluationError):
    """Raised when answers can no longer be given or changed (the evaluation closed)."""

    code = "EvaluationClosed"


class CourseNotAttended(EvaluationError):
    """Raised when the learner did not attend the course they try to evaluate."""

    code = "CourseNotAttended"


# --- municipalities and counties (kommuner och län) ------------------------------------------


class MunicipalityError(YrkesresanError):
    """Raised when a municipality or county code or name does not name exactly one of
    Statistics Sweden's (SCB) municipalities or counties."""

    code = "MunicipalityError"


class UnknownMunicipality(MunicipalityError):
    """Raised when a kommunkod (four digits) or a municipality name is not one of the 290
    municipalities, or a name matches several (``reason="ambiguous"``)."""

    code = "UnknownMunicipality"


class UnknownCounty(MunicipalityError):
    """Raised when a länskod (two digits) is not one of the 21 counties."""

    code = "UnknownCounty"


# --- reports ---------------------------------------------------------------------------------


class InvalidReportFilter(YrkesresanError):
    """Raised when a filter of the figures names nothing there is: a year that is not a
    year (``reason="year"``), a region (county) that is not one of the 21 (``"county"``), a
    journey or course not in the catalog (``"journey"``, ``"course"``); ``value`` is what
    was given."""

    code = "InvalidReportFilter"


# --- demo ----------------------------------------------------------------------------------


class DemoSeedError(YrkesresanError):
    """Raised when the demo's seeded year cannot be played (an action the tool refused)."""

    code = "DemoSeedError"


class DemoAlreadySeeded(DemoSeedError):
    """Raised when the demo database already holds a seeded year."""

    code = "DemoAlreadySeeded"
