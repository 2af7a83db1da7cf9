"""From an event's draft to the wire statement: actor, verb, context, id, timestamp, checks.

tincan builds the objects; its ``"version"`` is stripped (the LRS sets it) and the timestamp
is ours (UTC, milliseconds, ``Z``). The result has passed :func:`validate_statement`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tincan import (
    Activity,
    Context,
    ContextActivities,
    LanguageMap,
    Result,
    Statement,
    StatementRef,
)
from tincan import Verb as TinCanVerb

from yrkesresan_lti.catalog import AnyNode, CourseOccasion
from yrkesresan_lti.xapi.activities import node_activity, profile_activity
from yrkesresan_lti.xapi.actor import learner_actor
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.placement import Placement
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer
from yrkesresan_lti.xapi.registration import registration_uuid
from yrkesresan_lti.xapi.templates import EventTemplate
from yrkesresan_lti.xapi.timestamps import Clock, format_timestamp
from yrkesresan_lti.xapi.validation import validate_statement
from yrkesresan_lti.xapi.vocabulary import LTI_DEPLOYMENT, MUNICIPALITY

JsonStatement = dict[str, Any]
"""A statement as JSON-ready data."""


@dataclass(frozen=True)
class Draft:
    """What an event decided: template, learner, the node and its placement, the result.

    ``target`` replaces the node's own activity (a StatementRef, an evaluation question);
    ``parents``/``grouping`` replace the placement's; ``occasion`` forces an occasion
    registration.
    """

    template: EventTemplate
    learner: Learner
    placement: Placement
    target: Activity | StatementRef | None = None
    parents: Sequence[AnyNode] | None = None
    grouping: Sequence[AnyNode] | None = None
    other: Sequence[AnyNode] = ()
    occasion: CourseOccasion | None = None
    result: Result | None = None
    instructor: Learner | None = None


class StatementAssembler:
    """Puts drafts into statements for one catalog base, platform, clock and id factory."""

    def __init__(
        self,
        iri_base: str,
        pseudonymizer: Pseudonymizer,
        *,
        platform: str,
        clock: Clock,
        id_factory: Callable[[], uuid.UUID],
    ) -> None:
        self._base = iri_base
        self._pseudonymizer = pseudonymizer
        self._platform = platform
        self._clock = clock
        self._id_factory = id_factory

    def assemble(self, draft: Draft) -> JsonStatement:
        target = draft.target or node_activity(draft.placement.node, self._base)
        context = self._context(draft)
        if isinstance(target, Activity):
            context.platform = self._platform  # xAPI: only when the object is an activity
        if draft.instructor is not None:
            context.instructor = learner_actor(draft.instructor, self._pseudonymizer)
        verb = draft.template.verb
        statement = Statement(
            id=str(self._id_factory()),
            actor=learner_actor(draft.learner, self._pseudonymizer),
            verb=TinCanVerb(id=verb.id, display=LanguageMap(verb.display)),
            object=target,
            result=draft.result,
            context=context,
        )
        data: JsonStatement = statement.as_version()
        data.pop("version", None)
        data["timestamp"] = format_timestamp(self._clock())
        validate_statement(data)
        return data

    def _context(self, draft: Draft) -> Context:
        placement, learner = draft.placement, draft.learner
        assert placement.course is not None, "every event happens within a course"
        occasion = draft.occasion
        if occasion is None and draft.template.occasion_registration:
            occasion = placement.occasion
        pseudonym = self._pseudonymizer.pseudonym(learner.issuer, learner.sub)
        registration = registration_uuid(
            self._base, pseudonym, placement.course.iri, occasion.iri if occasion else None
        )
        parents = placement.parents if draft.parents is None else draft.parents
        grouping = placement.grouping if draft.grouping is None else draft.grouping
        return Context(
            registration=registration,
            context_activities=ContextActivities(
                parent=self._activities(parents),
                grouping=self._activities(grouping),
                category=[profile_activity(self._base)],
                other=self._activities(draft.other),
            ),
            language=learner.language,
            extensions={
                MUNICIPALITY.iri(self._base): learner.platform_name,
                LTI_DEPLOYMENT.iri(self._base): {
                    "issuer": learner.issuer,
                    "clientId": learner.client_id,
                    "deploymentId": learner.deployment_id,
                },
            },
        )

    def _activities(self, nodes: Sequence[AnyNode]) -> list[Activity] | None:
        return [node_activity(node, self._base) for node in nodes] or None
