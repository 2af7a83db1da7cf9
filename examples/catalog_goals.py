"""Load and validate a catalog, then print one course's knowledge goals.

    python examples/catalog_goals.py                      # the example catalog, first course
    python examples/catalog_goals.py --course barn-i-centrum --lang en
    python examples/catalog_goals.py --catalog my/catalog.yaml --course my-course

A catalog that does not validate prints one line per problem and exits with status 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from yrkesresan_lti.catalog import Catalog, Course, default_catalog_path, load_catalog
from yrkesresan_lti.exceptions import CatalogError


def find_course(catalog: Catalog, slug: str | None) -> Course | None:
    """The course with this slug (the first course of the catalog when ``slug`` is None)."""
    for _journey, _step, course in catalog.courses():
        if slug is None or course.slug == slug:
            return course
    return None


def describe_goals(course: Course, lang: str = "sv") -> list[str]:
    """One line per knowledge goal: its text in ``lang`` (Swedish if missing) and its IRI."""
    return [f"- {goal.title.get(lang, goal.title['sv'])}  <{goal.iri}>" for goal in course.goals]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the knowledge goals of a course; 0 when found, 1 for a bad catalog or course."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=None, help="catalog file or directory")
    parser.add_argument("--course", default=None, help="course slug (default: the first one)")
    parser.add_argument("--lang", choices=["sv", "en"], default="sv")
    args = parser.parse_args(argv)

    try:
        catalog = load_catalog(args.catalog or default_catalog_path())
    except CatalogError as err:
        print(f"the catalog is not valid: {err}", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    for warning in catalog.warnings:
        print(f"warning: {warning}", file=sys.stderr)

    course = find_course(catalog, args.course)
    if course is None:
        slugs = ", ".join(c.slug for _, _, c in catalog.courses())
        print(f"no course {args.course!r} in the catalog; there are: {slugs}", file=sys.stderr)
        return 1
    print(f"{course.title.get(args.lang, course.title['sv'])} <{course.iri}>")
    print("\n".join(describe_goals(course, args.lang)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
