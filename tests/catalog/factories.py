"""Factories for valid catalogs as plain data, and helpers to find lines in YAML text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from yrkesresan_lti.catalog.yaml_lines import CatalogYamlDumper

BASE = "https://yrkesresan.example/id/"
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "catalog"

Data = dict[str, Any]


def make_task(slug: str = "las-bbic", goals: list[str] | None = None, **extra: Any) -> Data:
    """A valid task linking to ``goals`` (default: the course factory's first goal)."""
    return {
        "slug": slug,
        "title": {"sv": f"Uppgift {slug}", "en": f"Task {slug}"},
        "kind": "handbook",
        "url": "https://kunskapsguiden.se/",
        "motivation": {"sv": "För att kunna handlägga rättssäkert."},
        "estimated_time": "PT30M",
        "goals": goals if goals is not None else ["mal-1"],
        **extra,
    }


def make_occasion(slug: str = "vt-2027", **extra: Any) -> Data:
    """A valid occasion: two days in order, deadline before, a place."""
    return {
        "slug": slug,
        "days": [
            {"date": "2027-03-09", "start": "09:00", "end": "16:00"},
            {"date": "2027-03-10"},
        ],
        "place": "Göteborg",
        "trainers": ["Kursledare 1"],
        "capacity": 20,
        "registration_deadline": "2027-02-16",
        **extra,
    }


def make_course(slug: str = "kurs-1", goals: int = 2, **extra: Any) -> Data:
    """A valid course whose tasks together link to every one of its ``goals`` goals."""
    goal_slugs = [f"mal-{n}" for n in range(1, goals + 1)]
    return {
        "slug": slug,
        "title": {"sv": f"Kurs {slug}", "en": f"Course {slug}"},
        "description": {"sv": "Om kursen."},
        "goals": [{"slug": g, "title": {"sv": f"Mål {g}"}} for g in goal_slugs],
        "preparation": {"tasks": [make_task("forbered", goals=goal_slugs[:1])]},
        "course_days": {"description": {"sv": "En kursdag."}},
        "follow_up": {"tasks": [make_task("efterarbete", goals=goal_slugs)]},
        "occasions": [make_occasion()],
        **extra,
    }


def make_journey(slug: str = "barn-och-unga", courses: int = 2, **extra: Any) -> Data:
    """A valid journey with phases ny (0-2, holding the courses) and van (2-5)."""
    return {
        "slug": slug,
        "title": {"sv": f"Resa {slug}"},
        "area": {"sv": "Social barn- och ungdomsvård"},
        "target_groups": [{"sv": "Socialsekreterare"}],
        "responsible_organisation": "Göteborgsregionen (GR)",
        "description": {"sv": "Om resan."},
        "phases": [
            {
                "slug": "ny",
                "title": {"sv": "Ny"},
                "years_min": 0,
                "years_max": 2,
                "courses": [make_course(f"kurs-{n}") for n in range(1, courses + 1)],
            },
            {"slug": "van", "title": {"sv": "Van"}, "years_min": 2, "years_max": 5},
        ],
        **extra,
    }


def make_catalog(journeys: list[Data] | None = None, **extra: Any) -> Data:
    """A valid catalog as plain data (the single-file format)."""
    return {
        "iri_base": BASE,
        "version": "2027.1",
        "title": {"sv": "Testkatalog"},
        "journeys": journeys if journeys is not None else [make_journey()],
        **extra,
    }


def first_course(data: Data) -> Data:
    """The first course of the first phase of the first journey (to edit in a test)."""
    course: Data = data["journeys"][0]["phases"][0]["courses"][0]
    return course


def to_yaml(data: Data) -> str:
    """``data`` as YAML that the catalog loader reads back as ``data`` (text that looks like
    a YAML 1.2 number, e.g. ``-.5``, quoted)."""
    return yaml.dump(data, Dumper=CatalogYamlDumper, sort_keys=False, allow_unicode=True)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the ``occurrence``-th ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]
