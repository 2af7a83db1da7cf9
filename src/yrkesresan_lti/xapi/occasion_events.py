"""The statements of the waiting list and of changed occasions (profile 1.5), as a part of
:class:`~yrkesresan_lti.xapi.factory.StatementFactory`.

A promotion is *registered* and a cancellation *unregistered* about the course with the
occasion in ``other`` (like a manager's registration), each with its context extension;
joining and leaving the line are *joined* / *left* the occasion's waiting list
(``<occasion IRI>/waiting-list``); a moved course day is *rescheduled* of the day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tincan import Activity, ActivityDefinition, LanguageMap, StatementRef

from yrkesresan_lti.catalog import AnyNode, Catalog, CourseDay, CourseOccasion
from yrkesresan_lti.exceptions import InvalidStatement
from yrkesresan_lti.xapi.assembly import JsonStatement
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.placement import Placement, place
from yrkesresan_lti.xapi.timestamps import format_timestamp
from yrkesresan_lti.xapi.vocabulary import (
    FROM_WAITING_LIST,
    REASON,
    REASONS,
    SCHEDULE_CHANGE,
    WAITING_LIST,
    WAITING_LIST_POSITION,
    Extension,
)


class OccasionChangeEvents:
    """The occasion events of the factory; the factory provides the two hooks below."""

    catalog: Catalog

    def _place(self, iri: str, *kinds: type[AnyNode]) -> Placement:
        raise NotImplementedError

    def _statement(
        self,
        name: str,
        learner: Learner,
        target: Activity | StatementRef | None,
        placement: Placement,
        **details: Any,
    ) -> JsonStatement:
        raise NotImplementedError

    def registered_from_waiting_list(
        self, learner: Learner, occasion_iri: str, joined_at: datetime
    ) -> JsonStatement:
        """A seat came free and the learner, first in line, was registered (``joined_at``:
        when they joined the waiting list)."""
        extensions = {self._ext(FROM_WAITING_LIST): {"joinedAt": format_timestamp(joined_at)}}
        return self._occasion_event(
            "registered_from_waiting_list", learner, occasion_iri, extensions
        )

    def occasion_cancelled(self, learner: Learner, occasion_iri: str) -> JsonStatement:
        """The occasion the learner was registered for was cancelled (*unregistered* with
        the reason ``occasion-cancelled``)."""
        extensions = {self._ext(REASON): "occasion-cancelled"}
        return self._occasion_event("occasion_cancelled", learner, occasion_iri, extensions)

    def waiting_list_joined(
        self, learner: Learner, occasion_iri: str, position: int
    ) -> JsonStatement:
        """The learner was put on the occasion's waiting list at ``position`` (1 = first)."""
        if isinstance(position, bool) or not isinstance(position, int) or position < 1:
            raise InvalidStatement(
                f"a waiting list position is a whole number from 1, got {position!r}",
                field="context.extensions",
            )
        extensions = {self._ext(WAITING_LIST_POSITION): position}
        return self._waiting_event("waiting_list_joined", learner, occasion_iri, extensions)

    def waiting_list_left(self, learner: Learner, occasion_iri: str, reason: str) -> JsonStatement:
        """The learner left the occasion's waiting list without a seat from it; ``reason``
        is one of :data:`~yrkesresan_lti.xapi.vocabulary.REASONS`."""
        if reason not in REASONS:
            raise InvalidStatement(
                f"{reason!r} is not a reason for leaving a waiting list: one of {REASONS}",
                field="context.extensions",
            )
        extensions = {self._ext(REASON): reason}
        return self._waiting_event("waiting_list_left", learner, occasion_iri, extensions)

    def course_day_moved(
        self,
        learner: Learner,
        day_iri: str,
        before: tuple[datetime, datetime],
        after: tuple[datetime, datetime],
    ) -> JsonStatement:
        """A course day of the learner's occasion moved: ``before`` and ``after`` are its
        (start, end), aware datetimes (sent as given, ISO 8601 with their offset)."""
        spans = {"before": before, "after": after}
        for name, (start, end) in spans.items():
            if start.tzinfo is None or end.tzinfo is None or end <= start:
                raise InvalidStatement(
                    f"the course day's {name} must be an aware start before its end",
                    field="context.extensions",
                )
        change = {
            name: {"start": start.isoformat(), "end": end.isoformat()}
            for name, (start, end) in spans.items()
        }
        place_ = self._place(day_iri, CourseDay)
        return self._statement(
            "course_day_moved",
            learner,
            None,
            place_,
            context_extensions={self._ext(SCHEDULE_CHANGE): change},
        )

    def _ext(self, extension: Extension) -> str:
        return extension.iri(self.catalog.iri_base)

    def _occasion_event(
        self,
        name: str,
        learner: Learner,
        occasion_iri: str,
        extensions: dict[str, Any] | None = None,
    ) -> JsonStatement:
        occasion = self._place(occasion_iri, CourseOccasion)
        assert occasion.course is not None
        course = place(self.catalog, occasion.course.iri)
        return self._statement(
            name,
            learner,
            None,
            course,
            occasion=occasion.occasion,
            other=(occasion.node,),
            context_extensions=extensions,
        )

    def _waiting_event(
        self, name: str, learner: Learner, occasion_iri: str, extensions: dict[str, Any]
    ) -> JsonStatement:
        """A statement about the occasion's waiting list (``<occasion IRI>/waiting-list``)."""
        occasion = self._place(occasion_iri, CourseOccasion)
        line = Activity(
            id=f"{occasion_iri}/waiting-list",
            definition=ActivityDefinition(
                name=LanguageMap({"sv": "Väntelista", "en-US": "Waiting list"}),
                type=WAITING_LIST.iri(self.catalog.iri_base),
            ),
        )
        return self._statement(
            name,
            learner,
            line,
            occasion,
            parents=(occasion.node,),
            grouping=(*occasion.parents, *occasion.grouping),
            context_extensions=extensions,
        )
