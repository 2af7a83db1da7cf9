"""Every error this project raises on purpose: one root, typed subclasses.

Callers catch :class:`YrkesresanError` for "anything of ours", or a subclass for one
concern. Messages say what to do about it. Area-specific subclasses that carry extra
fields live next to their parent here, so there is one place to read them all.
"""

from __future__ import annotations


class YrkesresanError(Exception):
    """Root of every error raised by yrkesresan_lti and yrkesresan_adapter."""


# --- configuration -----------------------------------------------------------------------


class ConfigurationError(YrkesresanError):
    """Raised when settings are missing or contradict each other."""


# --- catalog -------------------------------------------------------------------------------


class CatalogError(YrkesresanError):
    """Raised when a catalog file cannot be read or does not validate.

    ``problems`` holds one entry per problem found, so a loader can report all of them.
    """

    def __init__(self, message: str, problems: list[CatalogProblem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[CatalogProblem] = problems or []


class CatalogProblem:
    """One problem found in a catalog: where it is and what to do about it."""

    __slots__ = ("file", "line", "message", "path", "severity")

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        path: str = "",
        line: int | None = None,
        severity: str = "error",
    ) -> None:
        self.message = message
        self.file = file
        self.path = path
        self.line = line
        self.severity = severity

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


# --- xAPI ----------------------------------------------------------------------------------


class XapiError(YrkesresanError):
    """Raised for xAPI problems (statements, profile, LRS)."""


class InvalidStatement(XapiError):
    """Raised when a statement breaks the xAPI 1.0.3 rules; the message names the field."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class LrsError(XapiError):
    """Raised when a learning record store answers with an error."""


class LrsUnavailable(LrsError):
    """Raised when the LRS cannot be reached or keeps failing (timeouts, 5xx)."""


class LrsRejected(LrsError):
    """Raised when the LRS refuses a statement for good (400, 409): retrying will not help."""


# --- LTI -------------------------------------------------------------------------------------


class LtiError(YrkesresanError):
    """Raised for LTI 1.3 problems. ``status`` is the HTTP status a web layer should answer."""

    status: int = 400


class InvalidLaunch(LtiError):
    """Raised when an id_token or a launch request fails a security check."""


class NonceReplayed(InvalidLaunch):
    """Raised when a launch reuses a nonce that was already consumed."""


class UnknownPlatform(InvalidLaunch):
    """Raised when issuer/client_id do not match any registered platform."""


class InactiveDeployment(InvalidLaunch):
    """Raised when the deployment is unknown or not activated for the platform."""

    status = 403


class Forbidden(LtiError):
    """Raised when the launch's roles do not allow the action."""

    status = 403


class LaunchExpired(LtiError):
    """Raised when a launch token is missing, tampered with or expired."""

    status = 401


class PlatformServiceError(LtiError):
    """Raised when an LTI Advantage service of the platform (AGS, NRPS, token) fails."""

    status = 502


class ServiceNotEnabled(PlatformServiceError):
    """Raised when the platform refuses a service (401/400): it is switched off for the tool,
    or the user cannot be graded there. The message says what to change in the LMS."""


class ServiceForbidden(PlatformServiceError):
    """Raised when the platform answers 403: the tool lacks the scope for this service."""


class ServiceNotFound(PlatformServiceError):
    """Raised when a service URL answers 404 (deleted line item, course or link)."""


class ServiceRejected(PlatformServiceError):
    """Raised when the platform refuses the payload for good (422 and other 4xx)."""


class ServiceUnavailable(PlatformServiceError):
    """Raised when the platform cannot be reached, times out or answers 5xx (retry later)."""

    status = 503


class DeepLinkingError(LtiError):
    """Raised when a deep-linking request or selection cannot be answered."""


class RegistrationError(LtiError):
    """Raised when dynamic registration with a platform fails."""


# --- storage ---------------------------------------------------------------------------------


class StorageError(YrkesresanError):
    """Raised when stored data cannot be read or changed as asked."""


class DatabaseNotReady(StorageError):
    """Raised when the database is unreachable or its schema is behind the code."""


class PlatformExists(StorageError):
    """Raised when a platform with the same (issuer, client_id) is already registered."""


class AmbiguousPlatform(StorageError):
    """Raised when an issuer has several registrations and no client_id was given."""


class InvalidPlatform(StorageError):
    """Raised when a platform registration has a missing or malformed field (e.g. a URL)."""


class UnknownDeployment(StorageError):
    """Raised when a deployment id is not registered for the platform."""


class KeyRotationError(StorageError):
    """Raised when a tool key rotation step is not possible yet (or not at all)."""
