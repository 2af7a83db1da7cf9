"""``seed_year``: the planned year (:mod:`.plan`) played into the demo (:mod:`.player`).

Steps, in order: refuse a database that already holds a seeded year; register the demo
LMSs (each with its deployment); attach their municipalities (an LMS of one municipality
as a whole, a regional LMS per context, as ``yrkesresan platform set-municipality``
does); put the trainers in the region's trainer register and plan the occasions (the
``Planning`` of ``yrkesresan occasion`` and the admin page); then every action of the
year in time order: launches, "Markera som klar", the managers' registrations, the
trainers' attendance per course day, the evaluation answers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from flask import Flask

from yrkesresan_adapter.demo.seed.model import (
    REGION,
    SEEDED_HOST,
    Occasion,
    Person,
    Tenant,
    Trainer,
    Year,
)
from yrkesresan_adapter.demo.seed.player import Player, SeedClock
from yrkesresan_adapter.pages import PagesService
from yrkesresan_adapter.pages.attendance import participant_key
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.occasions import Trainer as RegisterEntry
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.municipalities import SqlMunicipalityStore
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.catalog import Course
from yrkesresan_lti.exceptions import DemoAlreadySeeded
from yrkesresan_lti.lti.context import LaunchContext, ToolRole
from yrkesresan_lti.municipalities import municipality
from yrkesresan_lti.occasion_plan import OccasionStatus, PlannedDay, PlannedOccasion

Progress = Callable[[int, int], None]
"""(actions played, actions in all)."""
UTC = dt.UTC


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def already_seeded(app: Flask) -> bool:
    platforms = AdapterState.of(app).services.platforms
    return any(SEEDED_HOST in p.issuer for p in platforms.list())


@dataclass(order=True)
class Action:
    when: dt.datetime
    order: int
    run: Callable[[], None] = field(compare=False)


@dataclass
class YearPlayer:
    """Turns the plan into timed actions and plays them."""

    player: Player
    year: Year
    actions: list[Action] = field(default_factory=list)
    sessions: dict[tuple[str, str], tuple[str, LaunchContext]] = field(default_factory=dict)

    def add(self, when: dt.datetime, run: Callable[[], None]) -> None:
        self.actions.append(Action(when, len(self.actions), run))

    # --- the people's sessions ---------------------------------------------------------------

    def session(self, person: Person | Trainer, course: Course) -> tuple[str, LaunchContext]:
        """The person's launch of the course (launched on first use, kept for the year)."""
        key = (person.tenant.lms.issuer + person.sub, course.iri)
        found = self.sessions.get(key)
        if found is None:
            tenant = person.tenant
            manager = not isinstance(person, Person) or person.manager
            given, _, family = (
                (person.given_name, "", person.family_name)
                if isinstance(person, Person)
                else person.name.partition(" ")
            )
            found = self.sessions[key] = self.player.launch(
                issuer=tenant.lms.issuer,
                client_id=tenant.lms.client_id,
                deployment_id=tenant.lms.deployment_id,
                context_id=tenant.context_id,
                context_title=tenant.context_title,
                platform_name=tenant.lms.name,
                sub=person.sub,
                given_name=given,
                family_name=family,
                email=self.email(person),
                role=ToolRole.MANAGER if manager else ToolRole.LEARNER,
                node=course.iri,
            )
        return found

    def email(self, person: Person | Trainer) -> str:
        """A trainer's e-mail as the trainer register has it now (in demo mode the demo's
        own trainer takes over each occasion's first trainer: see ``demo.views``)."""
        if isinstance(person, Person):
            return person.email
        app = self.player.app
        with app.app_context(), PagesService.of(app).sessions() as db:
            entries = OccasionService.of(app).plans.trainers(db)
        return next((t.email for t in entries if t.key == person.key and t.email), person.email)

    def land(self, person: Person, course: Course) -> None:
        """The person launches the course from their LMS."""
        self.session(person, course)

    def done(self, person: Person, course: Course, task_iri: str) -> None:
        token, context = self.session(person, course)
        self.player.post("/pages/task/done", token, context, {"task": task_iri})

    # --- the year ------------------------------------------------------------------------------

    def plan_occasion(self, occasion: Occasion) -> None:
        course, rng_minute = occasion.course, len(self.actions) % 50
        register_at = at(occasion.deadline - dt.timedelta(days=3), 14, rng_minute)
        for n, take in enumerate(occasion.takes):
            person = take.person
            launch_day = max(
                occasion.deadline - dt.timedelta(days=5 + (n * 7) % 30),
                dt.date(self.year.year, 1, 8),
            )
            self.add(at(launch_day, 9, n % 60), partial(self.land, person, course))
            tasks = course.preparation.tasks[: take.prepared]
            for k, task in enumerate(tasks):
                when = at(occasion.deadline - dt.timedelta(days=2 - k), 10 + k % 6, n % 60)
                self.add(when, partial(self.done, person, course, task.iri))
        by_tenant: dict[Tenant, list[Person]] = {}
        for take in occasion.takes:
            by_tenant.setdefault(take.person.tenant, []).append(take.person)
        managers = {p.tenant: p for p in self.year.people if p.manager}
        for tenant, people in by_tenant.items():
            self.add(register_at, partial(self.register, managers[tenant], occasion, people))
        for number, day in enumerate(occasion.days, start=1):
            self.add(at(day, 16, 30), partial(self.attendance, occasion, number))
        last = occasion.days[-1]
        for n, take in enumerate(occasion.takes):
            if not any(take.attends):
                continue
            follow = course.follow_up.tasks[: take.followed_up]
            for k, task in enumerate(follow):
                when = at(last + dt.timedelta(days=2 + k + n % 10), 13, n % 60)
                self.add(when, partial(self.done, take.person, course, task.iri))
            if take.rating is not None:
                when = at(last + dt.timedelta(days=4 + len(follow) + n % 10), 15, n % 60)
                self.add(when, partial(self.evaluate, take.person, course, take.rating))

    def register(self, manager: Person, occasion: Occasion, people: list[Person]) -> None:
        token, context = self.session(manager, occasion.course)
        form = {
            "course": occasion.course.iri,
            "occasion": f"{occasion.course.iri}/occasions/{occasion.slug}",
            "person": [p.sub for p in people],
        }
        self.player.post("/pages/staff/occasions/register", token, context, form)

    def attendance(self, occasion: Occasion, number: int) -> None:
        """The trainer ticks who came on day ``number`` (earlier days stay as they were)."""
        token, context = self.session(occasion.trainer, occasion.course)
        ticked, shown = [], []
        for take in occasion.takes:
            person = take.person
            scope = Scope.of(self.session(person, occasion.course)[1])
            key = participant_key(scope, person.sub)
            for day in range(1, number + 1):
                if take.attends[day - 1]:
                    ticked.append(f"{day}|{key}")
                    if day < number:
                        shown.append(f"{day}|{key}")
        form = {
            "occasion": f"{occasion.course.iri}/occasions/{occasion.slug}",
            "attended": ticked,
            "was": shown,
        }
        self.player.post("/pages/trainer/occasion", token, context, form)

    def evaluate(self, person: Person, course: Course, rating: int) -> None:
        token, context = self.session(person, course)
        questions = self.player.pages.catalog().evaluation_of(course).questions
        form = {"course": course.iri, **{f"q-{q.slug}": str(rating) for q in questions}}
        self.player.post("/pages/evaluation", token, context, form)

    def browse(self, person: Person, course: Course, tasks: int, when: dt.datetime) -> None:
        self.add(when, partial(self.land, person, course))
        for k, task in enumerate(course.preparation.tasks[:tasks]):
            self.add(when + dt.timedelta(hours=k + 1), partial(self.done, person, course, task.iri))

    def play(self, clock: SeedClock, progress: Progress | None) -> int:
        self.actions.sort()
        total = len(self.actions)
        for n, action in enumerate(self.actions, start=1):
            clock.at = action.when
            action.run()
            if progress is not None:
                progress(n, total)
        return total


def attach_municipalities(app: Flask, year: Year, clock: SeedClock) -> None:
    """What ``yrkesresan platform set-municipality`` stores: a regional LMS's contexts one
    municipality each, an LMS of one municipality as a whole."""
    store = SqlMunicipalityStore(AdapterState.of(app).services.db, clock=clock)
    shared = Counter(t.lms for t in year.tenants)
    for tenant in year.tenants:
        if tenant.municipality.code is None:
            continue
        found = municipality(tenant.municipality.code)
        lms = tenant.lms
        context = tenant.context_id if shared[lms] > 1 else None
        store.attach(lms.issuer, lms.client_id, found, context_id=context)


def _setup(app: Flask, year: Year, player: Player) -> None:
    clock = player.clock
    state = AdapterState.of(app)
    store = SqlPlatformStore(state.services.db, clock=clock)
    lmss = {t.lms for t in year.tenants}
    for lms in sorted(lmss, key=lambda lms: lms.issuer):
        platform = player.platform(
            issuer=lms.issuer,
            client_id=lms.client_id,
            deployment_id=lms.deployment_id,
            name=lms.name,
        )
        store.add(player.registration(platform))
    attach_municipalities(app, year, clock)
    pages, service = PagesService.of(app), OccasionService.of(app)
    planning = service.planning(pages)
    with pages.sessions() as db:
        for trainer in year.trainers:
            entry = RegisterEntry(trainer.key, REGION, trainer.name, trainer.email)
            service.plans.put_trainer(db, entry)
        for occasion in year.occasions:
            course = occasion.course
            clock.at = at(occasion.deadline - dt.timedelta(days=60), 8)
            planned = PlannedOccasion(
                course_iri=course.iri,
                slug=occasion.slug,
                region=REGION,
                days=tuple(PlannedDay(d, dt.time(9), dt.time(16)) for d in occasion.days),
                capacity=occasion.capacity,
                registration_deadline=occasion.deadline,
                place=occasion.trainer.tenant.municipality.name,
                trainers=(occasion.trainer.key,),
                status=OccasionStatus.OPEN,
            )
            planning.add(db, planned, actor="demo-seed", now=clock.at)
    service.changed()


def seed_year(
    app: Flask,
    year: Year,
    player: Player,
    *,
    progress: Progress | None = None,
) -> int:
    """Play ``year`` into ``app`` (outside an app context); the number of actions played.
    Raises :class:`DemoAlreadySeeded` when a seeded year is there already."""
    if already_seeded(app):
        raise DemoAlreadySeeded("the demo database already holds a seeded year")
    with app.app_context():
        _setup(app, year, player)
    players = YearPlayer(player, year)
    for occasion in year.occasions:
        players.plan_occasion(occasion)
    for n, (person, course, tasks) in enumerate(year.browsers):
        day = dt.date(year.year, 1, 15) + dt.timedelta(days=(n * 37) % 320)
        players.browse(person, course, tasks, at(day, 11, n % 60))
    return players.play(player.clock, progress)
