"""The exceptions: one root, stable codes, no HTTP statuses in the core, none left unused."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from yrkesresan_adapter.lti.messages import MESSAGES
from yrkesresan_adapter.web.http_errors import HTTP_STATUS, http_status
from yrkesresan_lti import exceptions
from yrkesresan_lti.exceptions import YrkesresanError

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "src" / "yrkesresan_lti", ROOT / "adapter" / "yrkesresan_adapter"]

PUBLIC_BASES = {
    "YrkesresanError",  # the root: "anything of ours"
    "LtiError",  # every LTI problem
    "LaunchCheckFailed",  # one failed login/launch check, with its details
    "PlatformServiceError",  # an Advantage service of the platform failed
    "StorageError",  # stored data cannot be read or changed
    "OccasionRegistrationError",  # the occasion's rules refuse a registration
    "AttendanceError",  # the attendance rules refuse a mark
    "OccasionPlanError",  # an occasion cannot be added, changed or imported
    "EvaluationError",  # the course evaluation rules refuse an answer
    "MunicipalityError",  # a kommunkod, länskod or municipality name names none (or several)
    "RequestRefused",  # the request boundary refuses a request before any page runs
}
"""Classes raised only through a subclass, kept so callers can catch a whole concern."""

NOT_OURS = {
    "CatalogYamlError",  # a yaml.MarkedYAMLError the catalog loader turns into CatalogError
    "_AlreadyDone",  # private control flow of one page handler; never leaves it
}

_ERROR_NAMES = ("Error", "Exception")

CLASSES = [
    obj
    for obj in vars(exceptions).values()
    if isinstance(obj, type) and issubclass(obj, BaseException)
]


def _modules() -> list[tuple[Path, ast.Module]]:
    files = sorted(p for base in SOURCES for p in base.rglob("*.py"))
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in files]


def _raised_names(tree: ast.Module) -> set[str]:
    """Names raised, constructed, or bound to a name to be raised (``error = X``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            names |= {n.id for n in ast.walk(node.exc) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            names.add(node.func.id)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Name):
            names.add(node.value.id)
    return names


def test_every_exception_has_the_one_root() -> None:
    assert len(CLASSES) > 5
    assert all(issubclass(c, YrkesresanError) for c in CLASSES)
    elsewhere = {
        f"{path.relative_to(ROOT)}: {node.name}"
        for path, tree in _modules()
        if path.name != "exceptions.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and node.name not in NOT_OURS
        and any(
            isinstance(b, ast.Name) and b.id.endswith(("Error", "Exception")) for b in node.bases
        )
    }
    assert elsewhere == set(), "define exceptions in yrkesresan_lti/exceptions.py"


def test_no_core_exception_carries_an_http_status() -> None:
    carrying = {
        f"{c.__name__}.{attr}"
        for c in CLASSES
        for attr in ("status", "status_code", "http_status")
        if hasattr(c, attr)
    }
    assert carrying == set(), "map statuses in yrkesresan_adapter.web.http_errors.HTTP_STATUS"


def test_every_exception_is_raised_somewhere_or_a_documented_base() -> None:
    raised: set[str] = set()
    for path, tree in _modules():
        if path.name != "exceptions.py":
            raised |= _raised_names(tree)
    unused = {c.__name__ for c in CLASSES} - raised - PUBLIC_BASES
    assert unused == set()
    assert {c.__name__ for c in CLASSES} >= PUBLIC_BASES


def test_every_exception_names_its_own_unique_code() -> None:
    without = [c.__name__ for c in CLASSES if "code" not in vars(c)]
    assert without == []
    codes = [c.code for c in CLASSES]
    assert len(codes) == len(set(codes))


def test_launch_texts_are_keyed_by_codes_that_exist() -> None:
    assert set(MESSAGES) <= {c.code for c in CLASSES}


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (exceptions.UnknownIssuer("unknown"), 400),
        (exceptions.InactiveDeployment("inactive"), 403),
        (exceptions.LaunchTokenTampered("tampered"), 401),
        (exceptions.RequestTooLarge("large"), 413),
        (exceptions.KeySetUnavailable("jwks"), 502),
        (exceptions.ServiceConflict("409"), 502),
        (exceptions.ServiceUnavailable("down"), 503),
        (exceptions.DeepLinkingReplayed("again"), 409),
        (exceptions.NobodySelected("nobody"), 400),
        (exceptions.NotRegistered("gone"), 409),
        (exceptions.CourseDayNotBegun("not yet"), 409),
    ],
)
def test_the_adapter_maps_each_error_type_to_its_status(
    error: YrkesresanError, status: int
) -> None:
    assert http_status(error) == status


def test_a_temporary_error_is_a_503_whatever_its_type() -> None:
    error = exceptions.RegistrationError("the database is down")
    assert http_status(error) == 400
    error.temporary = True
    assert http_status(error) == 503
    assert exceptions.RegistrationError("fine").temporary is False


def test_the_status_mapping_holds_only_our_errors() -> None:
    assert all(issubclass(c, YrkesresanError) for c in HTTP_STATUS)
