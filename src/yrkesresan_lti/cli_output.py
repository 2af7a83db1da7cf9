"""Output conventions every ``yrkesresan`` command follows (docs/operations.md "Skript").

- Exit codes: :data:`EXIT_OK` (0) done and nothing wrong; :data:`EXIT_PROBLEM` (1) the
  command ran and found a problem or failed (message on stderr); :data:`EXIT_USAGE` (2) the
  command line was wrong (click's usage errors).
- ``--json`` (:data:`json_option`) on every command that lists, shows or checks: one JSON
  document on stdout whose keys are stable English identifiers (never translated), values
  are data (counts, IRIs, ISO 8601 times in UTC). Human output may change; JSON keys only
  with the docs.
- Human tables are aligned columns under a header line (:func:`table_lines`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from yrkesresan_lti.i18n import N_
from yrkesresan_lti.instance import created_note, ensure_instance_path

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., Any])


def json_option(function: F) -> F:
    """The ``--json`` flag, passed to the command as ``as_json``."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help=N_("Print JSON for scripts (keys: docs/operations.md)."),
    )(function)


def ensure_instance_dir(path: Path) -> None:
    """Create the instance directory if missing, and then say where on stderr."""
    if ensure_instance_path(path):
        click.echo(created_note(path), err=True)


def echo_json(data: object) -> None:
    """``data`` as one JSON document on stdout (UTF-8, keys in the order given)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def table_lines(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Iterator[str]:
    """A header line and one line per row, columns padded to their widest cell."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(line[i]) for line in [list(headers), *cells]) for i in range(len(headers))]
    for line in [list(headers), *cells]:
        yield "  ".join(
            cell.ljust(width) for cell, width in zip(line, widths, strict=True)
        ).rstrip()
