"""The manager's dashboard figures: per course at a glance, stalled, registered but
unprepared (pure functions over what the staff page loaded)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from yrkesresan_adapter.pages.progress.dashboard import (
    RegistrationSeen,
    course_glance,
    stalled,
    stalled_first,
    unprepared,
)
from yrkesresan_adapter.pages.progress.group_counts import GroupIndex
from yrkesresan_adapter.pages.progress.staff import Person
from yrkesresan_lti.catalog import default_catalog_path, load_catalog
from yrkesresan_lti.progress import ProgressState

NOW = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
CATALOG = load_catalog(default_catalog_path())
COURSE = next(c for _, _, c in CATALOG.courses() if c.occasions and c.preparation.tasks)


def people(*subs: str, days_ago: int = 1) -> list[Person]:
    return [Person(s, s.title(), NOW - timedelta(days=days_ago)) for s in subs]


def test_glance_counts_not_started_in_progress_and_done_per_course() -> None:
    index = GroupIndex([COURSE])
    tasks = [t.iri for t in COURSE.tasks]
    done = {"anna": tasks, "bo": tasks[:1], "cia": []}
    counts = {sub: index.count(done[sub]) for sub in done}
    (glance,) = course_glance(people("anna", "bo", "cia"), [COURSE], index, counts)
    assert (glance.not_started, glance.in_progress, glance.done) == (1, 1, 1)


def test_stalled_is_started_not_done_and_quiet_for_the_weeks_set() -> None:
    quiet = people("quiet", days_ago=22)
    fresh = people("fresh", days_ago=20)
    never = people("never", days_ago=60)
    states = {
        "quiet": ProgressState.IN_PROGRESS,
        "fresh": ProgressState.IN_PROGRESS,
        "never": ProgressState.NOT_STARTED,
    }
    found = stalled(quiet + fresh + never, states, NOW, weeks=3)
    assert [(s.person.sub, s.weeks) for s in found] == [("quiet", 3)]
    assert stalled(quiet + fresh, states, NOW, weeks=4) == []


def test_stalled_first_names_the_longest_quiet_and_counts_everyone() -> None:
    # Weeks quiet first (most first), then the name without case; only ``shown`` are built.
    group = [
        Person("s1", "bertil", NOW - timedelta(days=30)),
        Person("s2", "Anna", NOW - timedelta(days=29)),
        Person("s3", "cecilia", NOW - timedelta(days=50)),
        Person("s4", "Doris", NOW - timedelta(days=22)),
        Person("s5", None, NOW - timedelta(days=35)),
        Person("s6", "Done", NOW - timedelta(days=90)),
    ]
    states = {p.sub: ProgressState.IN_PROGRESS for p in group} | {"s6": ProgressState.DONE}
    first, count = stalled_first(group, states, NOW, 3, 3)
    assert [(s.person.sub, s.weeks) for s in first] == [("s3", 7), ("s5", 5), ("s2", 4)]
    assert count == 5
    everyone = stalled(group, states, NOW, 3)
    assert [s.person.sub for s in everyone] == ["s3", "s5", "s2", "s1", "s4"]
    assert stalled_first(group, states, NOW, 3, 0) == ([], 5)


def test_unprepared_lists_registered_people_with_preparation_left_before_the_occasion() -> None:
    occasion = COURSE.occasions[0]
    prep = [t.iri for t in COURSE.preparation.tasks]
    registrations = [
        RegistrationSeen(sub, COURSE.iri, occasion.iri) for sub in ("ready", "behind", "gone")
    ]
    completed = {"ready": prep, "behind": prep[:1]}
    found = unprepared(
        people("ready", "behind"), [COURSE], registrations, completed, occasion.days[0].date
    )
    assert [(u.person.sub, u.done, u.total) for u in found] == [("behind", 1, len(prep))]
    after = occasion.days[0].date + timedelta(days=1)
    assert unprepared(people("behind"), [COURSE], registrations, completed, after) == []
    assert isinstance(after, date)
