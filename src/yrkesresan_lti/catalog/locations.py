"""Paths inside a catalog document: ``("courses", 3, "goals", 0)`` <-> ``courses[3].goals[0]``."""

from __future__ import annotations

import re

Loc = tuple[str | int, ...]

_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def format_loc(loc: Loc) -> str:
    """Format a location the way problems show it: ``courses[3].preparation.tasks[2]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_path(path: str) -> Loc:
    """Inverse of :func:`format_loc` for paths made of names and indices."""
    loc: list[str | int] = []
    for index, name in _PART.findall(path):
        loc.append(int(index) if index else name)
    return tuple(loc)
