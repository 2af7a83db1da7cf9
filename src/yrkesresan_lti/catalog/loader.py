"""Load a catalog from one YAML/JSON file or from a catalog directory.

A directory holds ``catalog.yaml`` (``iri_base``, ``version``, ``title``) and
``journeys/*.yaml``, one journey per file, read in file-name order. Every problem names its
file, line and path inside the file (see ``docs/catalog.md``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from yrkesresan_lti.catalog.explain import problems_from_validation
from yrkesresan_lti.catalog.locations import Loc, format_loc, parse_path
from yrkesresan_lti.catalog.root import Catalog
from yrkesresan_lti.catalog.yaml_lines import (
    CatalogYamlError,
    LineIndex,
    line_of,
    load_with_lines,
)
from yrkesresan_lti.exceptions import CatalogError, CatalogProblem

SUFFIXES = (".yaml", ".yml", ".json")
HEADER_NAMES = tuple(f"catalog{suffix}" for suffix in SUFFIXES)


@dataclass(frozen=True)
class Source:
    """One file's share of the catalog document, and where its root sits in it."""

    file: str
    prefix: Loc
    lines: LineIndex


class Document:
    """The catalog as plain data, assembled from one or more files."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.sources: list[Source] = []
        self.problems: list[CatalogProblem] = []

    def error(self, path: str | os.PathLike[str]) -> CatalogError:
        """The error to raise: every problem found, one per line."""
        errors = sum(1 for p in self.problems if p.severity == "error")
        listing = "\n".join(str(p) for p in self.problems)
        return CatalogError(
            f"{errors} error(s) in catalog {os.fspath(path)}:\n{listing}",
            self.problems,
            reason="invalid",
            path=os.fspath(path),
            count=str(errors),
        )

    def problem(
        self,
        loc: Loc,
        message: str,
        severity: str = "error",
        *,
        reason: str = "",
        details: dict[str, str] | None = None,
    ) -> CatalogProblem:
        """A problem at a location of the combined document, placed in its file and line."""
        source = max(
            (s for s in self.sources if loc[: len(s.prefix)] == s.prefix),
            key=lambda s: len(s.prefix),
            default=None,
        )
        if source is None:
            return CatalogProblem(
                message, path=format_loc(loc), severity=severity, reason=reason, details=details
            )
        local = loc[len(source.prefix) :]
        return CatalogProblem(
            message,
            file=source.file,
            path=format_loc(local),
            line=line_of(source.lines, local),
            severity=severity,
            reason=reason,
            details=details,
        )


def load_catalog(path: str | os.PathLike[str]) -> Catalog:
    """Read, validate and return the catalog at ``path`` (a file or a catalog directory).

    Raises :class:`CatalogError` listing every problem found (file, line, path, fix).
    """
    document = read_document(Path(path))
    if any(p.severity == "error" for p in document.problems):
        raise document.error(path)
    try:
        catalog = Catalog.model_validate(document.data)
    except ValidationError as err:
        for found in problems_from_validation(err, Catalog):
            document.problems.append(
                document.problem(
                    found.loc, found.message, reason=found.reason, details=found.details
                )
            )
        raise document.error(path) from None
    except CatalogError as err:
        for problem in err.problems:
            document.problems.append(_placed(document, problem))
        raise document.error(path) from None
    catalog._warnings = tuple(_placed(document, w) for w in catalog.warnings)
    return catalog


def _placed(document: Document, problem: CatalogProblem) -> CatalogProblem:
    """``problem`` (found on the combined document) placed in its file and line."""
    return document.problem(
        parse_path(problem.path),
        problem.message,
        problem.severity,
        reason=problem.reason,
        details=problem.details,
    )


def read_document(path: Path) -> Document:
    """Assemble the plain catalog data from ``path``; parse problems go to ``problems``."""
    document = Document()
    if path.is_dir():
        _read_directory(document, path)
    elif path.is_file():
        data = _read_file(document, path, ())
        if data is not None:
            document.data = data
    else:
        document.problems.append(
            CatalogProblem(
                "no such file or directory: give a catalog file (.yaml, .yml, .json) "
                "or a directory with catalog.yaml",
                file=str(path),
                reason="no_such_path",
            )
        )
    return document


def _read_directory(document: Document, directory: Path) -> None:
    headers = [directory / name for name in HEADER_NAMES if (directory / name).is_file()]
    if not headers:
        document.problems.append(
            CatalogProblem(
                "the directory has no catalog.yaml: add one with iri_base, version and title",
                file=str(directory),
                reason="no_header",
            )
        )
        return
    data = _read_file(document, headers[0], ())
    if data is None:
        return
    document.data = data
    journeys = data.setdefault("journeys", [])
    journey_dir = directory / "journeys"
    files = sorted(journey_dir.iterdir()) if journey_dir.is_dir() else []
    for file in files:
        if file.suffix not in SUFFIXES or not isinstance(journeys, list):
            continue
        journey = _read_file(document, file, ("journeys", len(journeys)))
        if journey is not None:
            journeys.append(journey)


def _read_file(document: Document, file: Path, prefix: Loc) -> dict[str, Any] | None:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        document.problems.append(
            CatalogProblem(
                f"cannot read the file ({err}): save it as UTF-8 text",
                file=str(file),
                reason="unreadable",
                details={"error": str(err)},
            )
        )
        return None
    try:
        data, lines = _parse(text, file.suffix)
    except (yaml.YAMLError, json.JSONDecodeError) as err:
        document.problems.append(_syntax_problem(file, err))
        return None
    if not isinstance(data, dict):
        document.problems.append(
            CatalogProblem(
                "the file must hold a mapping of 'key: value' lines at the top level",
                file=str(file),
                line=1,
                reason="not_mapping",
            )
        )
        return None
    data.pop("$schema", None)
    document.sources.append(Source(str(file), prefix, lines))
    return data


def _parse(text: str, suffix: str) -> tuple[Any, LineIndex]:
    if suffix != ".json":
        return load_with_lines(text)
    data = json.loads(text)
    try:
        return data, load_with_lines(text)[1]
    except yaml.YAMLError:  # valid JSON that YAML cannot read (e.g. tabs): no line numbers
        return data, {}


def _syntax_problem(file: Path, err: yaml.YAMLError | json.JSONDecodeError) -> CatalogProblem:
    if isinstance(err, json.JSONDecodeError):
        return CatalogProblem(
            f"broken JSON: {err.msg}: fix the syntax at column {err.colno}",
            file=str(file),
            line=err.lineno,
            reason="broken_json",
            details={"error": err.msg, "column": str(err.colno)},
        )
    mark = getattr(err, "problem_mark", None)
    what = getattr(err, "problem", None) or str(err)
    column = f" (column {mark.column + 1})" if mark is not None else ""
    fix = "" if isinstance(err, CatalogYamlError) else ": fix the indentation, quotes or colons"
    return CatalogProblem(
        f"broken YAML{column}: {what}{fix}",
        file=str(file),
        line=mark.line + 1 if mark is not None else None,
        reason="broken_yaml" if fix else "yaml_rule",
        details={"error": str(what)},
    )
