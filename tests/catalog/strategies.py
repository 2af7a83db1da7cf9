"""Hypothesis strategies that build valid catalogs as plain data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from tests.catalog.factories import Data

slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
texts = st.text(
    alphabet=st.sampled_from("abcåäöÅÄÖ xyz019:#-'\"{}[],&*!|>%@`?.~="),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() != "")
lang_maps = st.fixed_dictionaries({"sv": texts}, optional={"en": texts})
durations = st.sampled_from(["PT5M", "PT45M", "PT1H30M", "P1D", "P1W", "PT0.5S", "PT2H"])


def _unique_slugs(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(slugs, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def tasks(draw: st.DrawFn, slug: str, goal_slugs: list[str]) -> Data:
    return {
        "slug": slug,
        "title": draw(lang_maps),
        "kind": draw(
            st.sampled_from(["regulation", "handbook", "e-learning", "podcast", "video", "text"])
        ),
        "url": draw(st.sampled_from(["https://kunskapsguiden.se/", "http://example.org/a?b=1"])),
        "motivation": draw(lang_maps),
        "estimated_time": draw(durations),
        "goals": draw(st.lists(st.sampled_from(goal_slugs), min_size=1, max_size=3, unique=True)),
    }


@st.composite
def occasions(draw: st.DrawFn, slug: str) -> Data:
    first = draw(st.dates(min_value=date(2027, 1, 10), max_value=date(2027, 12, 1)))
    gaps = draw(st.lists(st.integers(1, 20), max_size=2))
    days = [first]
    for gap in gaps:
        days.append(days[-1] + timedelta(days=gap))
    where = draw(st.sampled_from(["place", "meeting_url", "both"]))
    occasion: Data = {
        "slug": slug,
        "days": [{"date": day.isoformat()} for day in days],
        "trainers": draw(st.lists(texts, max_size=2)),
        "capacity": draw(st.integers(1, 200)),
        "registration_deadline": (first - timedelta(days=draw(st.integers(1, 60)))).isoformat(),
    }
    if where in ("place", "both"):
        occasion["place"] = draw(texts)
    if where in ("meeting_url", "both"):
        occasion["meeting_url"] = "https://example.org/yrkesresan/platshallare/teams"
    return occasion


@st.composite
def courses(draw: st.DrawFn, slug: str) -> Data:
    goal_slugs = draw(_unique_slugs(1, 3))
    task_slugs = draw(_unique_slugs(1, 4))
    split = draw(st.integers(0, len(task_slugs)))
    return {
        "slug": slug,
        "title": draw(lang_maps),
        "description": draw(lang_maps),
        "goals": [{"slug": g, "title": draw(lang_maps)} for g in goal_slugs],
        "preparation": {"tasks": [draw(tasks(t, goal_slugs)) for t in task_slugs[:split]]},
        "course_days": {"description": draw(lang_maps)},
        "follow_up": {"tasks": [draw(tasks(t, goal_slugs)) for t in task_slugs[split:]]},
        "occasions": [draw(occasions(o)) for o in draw(_unique_slugs(0, 2))],
    }


@st.composite
def journeys(draw: st.DrawFn, slug: str) -> Data:
    bounds = sorted(draw(st.lists(st.integers(0, 40), min_size=1, max_size=4, unique=True)))
    open_end = draw(st.booleans())
    phase_slugs = draw(_unique_slugs(len(bounds), len(bounds)))
    phases: list[dict[str, Any]] = []
    for n, phase_slug in enumerate(phase_slugs):
        phase: Data = {"slug": phase_slug, "title": draw(lang_maps), "years_min": bounds[n]}
        if n + 1 < len(bounds):
            phase["years_max"] = bounds[n + 1]
        elif not open_end:
            phase["years_max"] = bounds[n] + 1
        phases.append({**phase, "courses": []})
    stages = [
        {"slug": s, "title": draw(lang_maps), "courses": []} for s in draw(_unique_slugs(0, 2))
    ]
    steps = phases + stages
    for course_slug in draw(_unique_slugs(0, 4)):
        step = draw(st.sampled_from(steps))
        step["courses"].append(draw(courses(course_slug)))
    return {
        "slug": slug,
        "title": draw(lang_maps),
        "area": draw(lang_maps),
        "target_groups": draw(st.lists(lang_maps, min_size=1, max_size=2)),
        "responsible_organisation": draw(texts),
        "description": draw(lang_maps),
        "phases": phases,
        "stages": stages,
    }


@st.composite
def catalogs(draw: st.DrawFn) -> Data:
    base = draw(st.sampled_from(["https://yrkesresan.se/id/", "http://localhost:5000/x/"]))
    return {
        "iri_base": base,
        "version": draw(texts),
        "title": draw(lang_maps),
        "journeys": [draw(journeys(j)) for j in draw(_unique_slugs(1, 2))],
    }
