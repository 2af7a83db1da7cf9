"""The shape of a seeded demo year, drawn from one seeded random generator.

:func:`plan_year` decides, without touching any database: the demo LMSs (each
municipality's own, and regional ones shared by several municipalities, one LMS context
per municipality), the people of each municipality (learners, one manager), the
occasions of the catalog's courses spread over the year, who takes part in which, which
tasks they mark done, which course days they attend and what they answer in the course
evaluation. :mod:`.year` then plays the plan through the tool's own pages and services.
The same seed and year give the same plan.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from yrkesresan_adapter.demo.seed.model import (
    SEEDED_HOST,
    Lms,
    Municipality,
    Occasion,
    Person,
    Shape,
    Take,
    Tenant,
    Trainer,
    Year,
)
from yrkesresan_lti.catalog import Catalog, Course

GIVEN = (
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Ida",
    "Johan",
    "Erik",
    "Lars",
    "Anders",
    "Per",
    "Mikael",
    "Sofia",
    "Elin",
    "Ahmed",
    "Fatima",
    "Noor",
    "Leo",
)
FAMILY = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindberg",
    "Hassan",
    "Ali",
    "Berg",
    "Holm",
)
RATINGS = (5, 4, 3, 2, 1)
RATING_WEIGHTS = (55, 37, 5, 2, 1)
"""Shares in percent: 92 % answer 4 or 5 ("bra" / "mycket bra"), as the programme
reports; :func:`_rated` deals them out exactly over those who answer."""


def demo_municipalities(count: int, *, seed: int = 0) -> list[Municipality]:
    """``count`` of SCB's 290 municipalities (``yrkesresan_lti.municipalities``), drawn with
    ``seed`` and listed by kommunkod, so a regional LMS shares neighbours of one county."""
    from yrkesresan_lti.municipalities import municipalities

    every = sorted(municipalities(), key=lambda m: m.code)
    rng = random.Random(f"yrkesresan-demo-places-{seed}")  # noqa: S311 - a demo's choice
    chosen = sorted(rng.sample(every, min(count, len(every))), key=lambda m: m.code)
    return [Municipality(m.code, m.name) for m in chosen]


def _tenants(rng: random.Random, shape: Shape, places: list[Municipality]) -> list[Tenant]:
    tenants: list[Tenant] = []
    shared = min(shape.regional_lms * shape.municipalities_per_regional_lms, len(places) - 1)
    per = max(1, shape.municipalities_per_regional_lms)
    for n, place in enumerate(places):
        if n < shared:
            number = n // per + 1
            lms = Lms(
                f"https://region{number}.{SEEDED_HOST}",
                f"regional-{number}",
                "dep-1",
                f"Region {number} (Moodle)",
            )
            context = f"kommun-{n + 1:03d}"
        else:
            slug = f"kommun{n + 1:03d}"
            lms = Lms(f"https://{slug}.{SEEDED_HOST}", f"{slug}-client", "dep-1", place.name)
            context = "yrkesresan"
        tenants.append(Tenant(place, lms, context, f"Yrkesresan {place.name}"))
    return tenants


def _people(rng: random.Random, shape: Shape, tenants: list[Tenant]) -> list[Person]:
    weights = [rng.uniform(0.3, 3.0) for _ in tenants]
    counts = [1] * len(tenants)  # at least one learner in every municipality
    for _ in range(max(0, shape.users - len(tenants))):
        counts[rng.choices(range(len(tenants)), weights)[0]] += 1
    people: list[Person] = []
    for n, (tenant, count) in enumerate(zip(tenants, counts, strict=True)):
        people.append(
            Person(
                f"m{n + 1:03d}-chef", rng.choice(GIVEN), rng.choice(FAMILY), tenant, manager=True
            )
        )
        people += [
            Person(f"m{n + 1:03d}-p{k + 1:04d}", rng.choice(GIVEN), rng.choice(FAMILY), tenant)
            for k in range(count)
        ]
    return people


def _dates(rng: random.Random, year: int, days: int) -> tuple[dt.date, ...]:
    """Course days on weekdays between February and November, two weeks apart."""
    spring = rng.random() < 0.5
    start = dt.date(year, 2, 10) if spring else dt.date(year, 8, 25)
    first = start + dt.timedelta(days=rng.randrange(0, 100 if spring else 80))
    while first.weekday() > 3:
        first += dt.timedelta(days=1)
    return tuple(first + dt.timedelta(weeks=2 * n) for n in range(days))


def _take(rng: random.Random, person: Person, course: Course, days: int, *, shows: bool) -> Take:
    prepared = (
        len(course.preparation.tasks)
        if rng.random() < 0.85
        else rng.randrange(len(course.preparation.tasks) + 1)
    )
    came = [rng.random() < 0.95 for _ in range(days)]
    if not any(came):
        came[rng.randrange(days)] = True
    attends = tuple(came) if shows else (False,) * days
    follow = len(course.follow_up.tasks)
    followed = follow if rng.random() < 0.8 else rng.randrange(follow + 1)
    answers = any(attends) and followed == follow and rng.random() < 0.9
    rating = rng.choices(RATINGS, RATING_WEIGHTS)[0] if answers else None
    return Take(person, prepared, attends, followed, rating)


def plan_year(
    catalog: Catalog, *, seed: int, year: int, shape: Shape, places: list[Municipality]
) -> Year:
    """The whole year, drawn from ``random.Random(seed)``."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo, not a secret
    tenants = _tenants(rng, shape, places[: shape.municipalities])
    people = _people(rng, shape, tenants)
    learners = [p for p in people if not p.manager]
    rng.shuffle(learners)
    registered = shape.participants + shape.no_shows
    participants, lookers = learners[:registered], learners[registered:]
    no_shows = set(rng.sample(range(registered), shape.no_shows))
    courses = [course for _, _, course in catalog.courses()]
    trainers = [
        Trainer(
            f"demo-utbildare-{n + 1}",
            f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            f"utbildare-{n + 1}",
            tenants[n % len(tenants)],
        )
        for n in range(max(1, min(10, shape.occasions)))
    ]
    sizes = [registered // shape.occasions] * shape.occasions
    for n in range(registered % shape.occasions):
        sizes[n] += 1
    occasions: list[Occasion] = []
    start = 0
    for n, size in enumerate(sizes):
        course = courses[n % len(courses)]
        days = _dates(rng, year, max(1, len(course.occasions[0].days)) if course.occasions else 1)
        group = participants[start : start + size]
        first, start = start, start + size
        occasions.append(
            Occasion(
                course=course,
                slug=f"demo-{year}-{n + 1:02d}",
                days=days,
                deadline=days[0] - dt.timedelta(days=14),
                capacity=size + rng.randrange(0, 8),
                trainer=trainers[n % len(trainers)],
                takes=tuple(
                    _take(rng, p, course, len(days), shows=first + k not in no_shows)
                    for k, p in enumerate(group)
                ),
            )
        )
    browsers = [(p, rng.choice(courses), rng.randrange(0, 3)) for p in lookers]
    return Year(year, tenants, people, trainers, _rated(rng, occasions), browsers)


def _rated(rng: random.Random, occasions: list[Occasion]) -> list[Occasion]:
    """The occasions with the ratings of those who answer dealt out in the shares of
    :data:`RATING_WEIGHTS` (shuffled), so the year shows the programme's 92 %."""
    answering = sum(1 for o in occasions for t in o.takes if t.rating is not None)
    pool = [
        rating
        for rating, share in zip(RATINGS, RATING_WEIGHTS, strict=True)
        for _ in range(round(answering * share / sum(RATING_WEIGHTS)))
    ]
    pool = (pool + [RATINGS[1]] * answering)[:answering]
    rng.shuffle(pool)
    dealt = iter(pool)
    return [
        replace(
            o,
            takes=tuple(t if t.rating is None else replace(t, rating=next(dealt)) for t in o.takes),
        )
        for o in occasions
    ]
