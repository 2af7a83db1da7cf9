"""The adapter's one mapping of typed errors to HTTP statuses.

Core exceptions carry no HTTP status (they are used outside the web too); every page,
endpoint and error handler of the adapter answers a typed error with :func:`http_status`.
"""

from __future__ import annotations

from collections.abc import Mapping

from yrkesresan_lti.exceptions import (
    AccessDenied,
    AttendanceError,
    BodyTooLarge,
    CatalogError,
    CourseNotAttended,
    DatabaseBusy,
    DeepLinkingReplayed,
    EvaluationClosed,
    EvaluationError,
    Forbidden,
    InactiveDeployment,
    InvalidEvaluationAnswer,
    KeySetUnavailable,
    LaunchExpired,
    LtiError,
    MethodNotAllowed,
    NobodySelected,
    OccasionExists,
    OccasionPlanError,
    OccasionRegistrationError,
    PageNotFound,
    PlatformServiceError,
    RateLimited,
    RequestRefused,
    RequestTooLarge,
    ServiceUnavailable,
    UnknownOccasion,
    UnsupportedContentType,
    UnsupportedMediaType,
    UriTooLong,
    YrkesresanError,
)

__all__ = ["HTTP_STATUS", "http_status"]

HTTP_STATUS: Mapping[type[YrkesresanError], int] = {
    CatalogError: 503,
    DatabaseBusy: 503,
    LtiError: 400,
    UnsupportedContentType: 415,
    RequestTooLarge: 413,
    InactiveDeployment: 403,
    Forbidden: 403,
    LaunchExpired: 401,
    KeySetUnavailable: 502,
    PlatformServiceError: 502,
    ServiceUnavailable: 503,
    DeepLinkingReplayed: 409,
    OccasionRegistrationError: 409,
    OccasionPlanError: 400,
    OccasionExists: 409,
    UnknownOccasion: 404,
    NobodySelected: 400,
    AttendanceError: 409,
    EvaluationError: 409,
    EvaluationClosed: 409,
    InvalidEvaluationAnswer: 422,
    CourseNotAttended: 403,
    RequestRefused: 400,
    AccessDenied: 403,
    PageNotFound: 404,
    MethodNotAllowed: 405,
    BodyTooLarge: 413,
    UriTooLong: 414,
    UnsupportedMediaType: 415,
    RateLimited: 429,
}
"""The HTTP status of each typed error; the nearest class in the error's MRO wins."""


def http_status(error: YrkesresanError) -> int:
    """The status to answer ``error`` with: 503 when it is temporary, else :data:`HTTP_STATUS`."""
    if error.temporary:
        return 503
    for cls in type(error).__mro__:
        status = HTTP_STATUS.get(cls)
        if status is not None:
            return status
    return 500
