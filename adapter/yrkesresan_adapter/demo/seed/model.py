"""What a seeded demo year is made of: its size (:class:`Shape`), the LMSs and their
municipalities, the people, the occasions and each participant's part (:class:`Take`).
:mod:`.plan` draws them, :mod:`.year` plays them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from yrkesresan_lti.catalog import Course

SEEDED_HOST = "lms.demo-seed.example"
"""Every seeded LMS issuer lives under this host: how a seeded year is recognised."""
REGION = "Demoregionen"


@dataclass(frozen=True)
class Shape:
    """How big the year is; the defaults are the programme's own yearly figures."""

    occasions: int = 55
    participants: int = 910
    """People who attend at least one course day."""
    no_shows: int = 30
    """People registered for an occasion who never come."""
    users: int = 1500
    """People who use the tool as learners (each municipality's manager comes on top)."""
    municipalities: int = 56
    regional_lms: int = 3
    """LMSs shared by several municipalities (one LMS context each)."""
    municipalities_per_regional_lms: int = 8

    @classmethod
    def small(cls) -> Shape:
        return cls(
            occasions=3,
            participants=24,
            no_shows=1,
            users=30,
            municipalities=5,
            regional_lms=1,
            municipalities_per_regional_lms=3,
        )


@dataclass(frozen=True)
class Municipality:
    code: str | None
    """SCB's kommunkod when known."""
    name: str


@dataclass(frozen=True)
class Lms:
    issuer: str
    client_id: str
    deployment_id: str
    name: str


@dataclass(frozen=True)
class Tenant:
    """Where one municipality's people launch: an LMS and a context in it."""

    municipality: Municipality
    lms: Lms
    context_id: str
    context_title: str


@dataclass(frozen=True)
class Person:
    sub: str
    given_name: str
    family_name: str
    tenant: Tenant
    manager: bool = False

    @property
    def email(self) -> str:
        return f"{self.sub}@{SEEDED_HOST}"


@dataclass(frozen=True)
class Trainer:
    key: str
    name: str
    sub: str
    tenant: Tenant

    @property
    def email(self) -> str:
        return f"{self.key}@{SEEDED_HOST}"


@dataclass(frozen=True)
class Take:
    """One participant's year on one occasion."""

    person: Person
    prepared: int
    """How many preparation tasks they mark done (in order)."""
    attends: tuple[bool, ...]
    """Per course day."""
    followed_up: int
    rating: int | None
    """Their overall rating 1–5, None when they do not answer."""


@dataclass(frozen=True)
class Occasion:
    course: Course
    slug: str
    days: tuple[dt.date, ...]
    deadline: dt.date
    capacity: int
    trainer: Trainer
    takes: tuple[Take, ...] = ()


@dataclass
class Year:
    year: int
    tenants: list[Tenant]
    people: list[Person]
    trainers: list[Trainer]
    occasions: list[Occasion]
    browsers: list[tuple[Person, Course, int]] = field(default_factory=list)
    """Users who only look: (person, course they launch, preparation tasks done)."""
