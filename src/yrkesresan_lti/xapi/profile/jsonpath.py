"""The small JSONPath subset that profile rule locations use.

Supported: ``$``, ``.name``, ``.*``, ``['name']`` / ``["name"]`` (several, comma-separated),
``[*]``, ``[n]``, and ``|`` between whole paths (their results are joined).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from yrkesresan_lti.exceptions import XapiError

_STEP = re.compile(
    r"""\.(?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
      | \.(?P<dotstar>\*)
      | \[(?P<star>\*)\]
      | \[(?P<index>\d+)\]
      | \[(?P<keys>(?:\s*(?:'[^']*'|"[^"]*")\s*,?)+)\]""",
    re.VERBOSE,
)
_KEY = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def evaluate(location: str, document: Any) -> list[Any]:
    """All values ``location`` selects in ``document`` (empty if none)."""
    values: list[Any] = []
    for path in _split_alternatives(location):
        values.extend(_evaluate_one(path.strip(), document))
    return values


def _split_alternatives(location: str) -> Iterator[str]:
    start, quote = 0, ""
    for index, char in enumerate(location):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "|":
            yield location[start:index]
            start = index + 1
    yield location[start:]


def _evaluate_one(path: str, document: Any) -> list[Any]:
    if not path.startswith("$"):
        raise XapiError(f"JSONPath {path!r} must start with '$'")
    current = [document]
    position = 1
    while position < len(path):
        match = _STEP.match(path, position)
        if match is None:
            raise XapiError(f"unsupported JSONPath {path!r} at {path[position:]!r}")
        current = [value for item in current for value in _step(match, item)]
        position = match.end()
    return current


def _step(match: re.Match[str], item: Any) -> Iterator[Any]:
    if match["name"] is not None:
        if isinstance(item, dict) and match["name"] in item:
            yield item[match["name"]]
    elif match["star"] is not None or match["dotstar"] is not None:
        if isinstance(item, list):
            yield from item
        elif isinstance(item, dict):
            yield from item.values()
    elif match["index"] is not None:
        index = int(match["index"])
        if isinstance(item, list) and index < len(item):
            yield item[index]
    else:
        for single, double in _KEY.findall(match["keys"]):
            key = single or double
            if isinstance(item, dict) and key in item:
                yield item[key]
