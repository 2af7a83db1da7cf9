"""Read statements from an LRS and chart knowledge-goal coverage per municipality.

    python examples/coverage_report.py                              # text chart on stdout
    python examples/coverage_report.py --since 2027-01-01 --svg coverage.svg

An LRS consumer needs nothing of ours but the vocabulary: a goal is reached by a ``passed``
statement whose object is the goal's IRI, and the municipality is a context extension
(docs/xapi.md). Coverage of a municipality is the share of the catalog's knowledge goals
that at least one of its learners has reached. Voided (revoked) statements are not returned
by an LRS, so they do not count. The LRS is the first target of the settings
(``YRKESRESAN_LRS__ENDPOINT`` ...).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from yrkesresan_lti.catalog import Catalog, KnowledgeGoal, default_catalog_path, load_catalog
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.xapi.client import LrsClient
from yrkesresan_lti.xapi.vocabulary import MUNICIPALITY, PASSED


@dataclass(frozen=True)
class Coverage:
    """What the learners of one municipality have reached."""

    municipality: str
    learners: int
    goals_reached: int
    goals_total: int

    @property
    def share(self) -> float:
        """Reached goals as a share of all goals, 0.0–1.0."""
        return self.goals_reached / self.goals_total if self.goals_total else 0.0


def coverage(statements: Iterable[Mapping[str, Any]], catalog: Catalog) -> list[Coverage]:
    """Coverage per municipality of the ``passed`` statements for the catalog's goals."""
    goals = {node.iri for node in catalog.walk() if isinstance(node, KnowledgeGoal)}
    extension = MUNICIPALITY.iri(catalog.iri_base)
    reached: dict[str, set[str]] = defaultdict(set)
    learners: dict[str, set[str]] = defaultdict(set)
    for statement in statements:
        goal = statement.get("object", {}).get("id")
        municipality = statement.get("context", {}).get("extensions", {}).get(extension)
        if statement.get("verb", {}).get("id") != PASSED.id or goal not in goals:
            continue
        name = str(municipality or "(okänd kommun)")
        reached[name].add(goal)
        learners[name].add(str(statement.get("actor", {}).get("account", {}).get("name")))
    return [
        Coverage(name, len(learners[name]), len(reached[name]), len(goals))
        for name in sorted(reached)
    ]


def text_chart(rows: Sequence[Coverage], width: int = 40) -> str:
    """One bar per municipality, e.g. ``Exempelkommun  ######....  25 %  (3/12, 2 learners)``."""
    label = max((len(row.municipality) for row in rows), default=0)
    lines = []
    for row in rows:
        filled = round(row.share * width)
        bar = "#" * filled + "." * (width - filled)
        lines.append(
            f"{row.municipality:<{label}}  {bar}  {row.share:4.0%}  "
            f"({row.goals_reached}/{row.goals_total}, {row.learners} learners)"
        )
    return "\n".join(lines)


def svg_chart(rows: Sequence[Coverage], title: str = "Kunskapsmål per kommun") -> str:
    """A self-contained SVG bar chart (no scripts, no external fonts)."""
    bar_width, row_height, left = 300, 28, 180
    height = 40 + row_height * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + bar_width + 80}" '
        f'height="{height}" font-family="sans-serif" font-size="13" role="img">',
        f"<title>{escape(title)}</title>",
        f'<text x="8" y="20" font-weight="bold">{escape(title)}</text>',
    ]
    for index, row in enumerate(rows):
        y = 34 + index * row_height
        parts += [
            f'<text x="8" y="{y + 15}">{escape(row.municipality)}</text>',
            f'<rect x="{left}" y="{y}" width="{bar_width}" height="20" fill="#e6e6e6"/>',
            f'<rect x="{left}" y="{y}" width="{round(row.share * bar_width)}" height="20" '
            f'fill="#1f5f8b"><title>{row.goals_reached}/{row.goals_total}</title></rect>',
            f'<text x="{left + bar_width + 8}" y="{y + 15}">{row.share:.0%}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print (and optionally draw) the coverage; 1 when the LRS has no matching statements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--since", type=datetime.fromisoformat, default=None)
    parser.add_argument("--until", type=datetime.fromisoformat, default=None)
    parser.add_argument("--svg", type=Path, default=None, help="also write an SVG chart")
    args = parser.parse_args(argv)

    settings = Settings()
    if not settings.all_lrs_targets:
        print("set the LRS to read first (YRKESRESAN_LRS__ENDPOINT ...)", file=sys.stderr)
        return 2
    catalog = load_catalog(settings.catalog_path or default_catalog_path())
    with LrsClient(settings.all_lrs_targets[0]) as lrs:
        statements = lrs.query(verb=PASSED.id, since=args.since, until=args.until, limit=100)
        rows = coverage(statements, catalog)
    if not rows:
        print("the LRS has no goal reached in that period", file=sys.stderr)
        return 1
    print(text_chart(rows))
    if args.svg is not None:
        args.svg.write_text(svg_chart(rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
