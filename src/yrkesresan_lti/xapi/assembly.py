"""From an event's draft to the wire statement: actor, verb, context, id, timestamp, checks.

tincan builds the objects; its ``"version"`` is stripped (the LRS sets it) and the timestamp
is ours (UTC, milliseconds, ``Z``). The result has passed :func:`validate_statement`.

What does not change between statements is built with tincan once and then copied: each
catalog node's activity and the profile activity (:class:`NodeActivities`), each verb, and
the actor of recently seen learners. The statement around them is plain JSON of the same
shape tincan gives (``tests/xapi/test_golden.py`` pins the bytes).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tincan import Activity, LanguageMap, Result, StatementRef
from tincan import Verb as TinCanVerb

from yrkesresan_lti.catalog import AnyNode, CourseOccasion
from yrkesresan_lti.clock import Clock
from yrkesresan_lti.municipalities import UNKNOWN_NAME_SV
from yrkesresan_lti.xapi.activities import NodeActivities
from yrkesresan_lti.xapi.actor import learner_actor_json
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.placement import Placement
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer
from yrkesresan_lti.xapi.registration import registration_uuid
from yrkesresan_lti.xapi.serialization import copy_json
from yrkesresan_lti.xapi.templates import EventTemplate
from yrkesresan_lti.xapi.timestamps import format_timestamp
from yrkesresan_lti.xapi.validation import validate_statement
from yrkesresan_lti.xapi.vocabulary import (
    COUNTY_CODE,
    LTI_DEPLOYMENT,
    MUNICIPALITY,
    MUNICIPALITY_CODE,
    MUNICIPALITY_NAME,
)

JsonStatement = dict[str, Any]
"""A statement as JSON-ready data."""

RECENT_ACTORS = 256
"""How many learners' actor JSON the assembler keeps (a click makes 2–4 statements)."""
RECENT_REGISTRATIONS = 1024
"""How many (learner, course, occasion) registrations the assembler keeps."""


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
    result: Result | dict[str, Any] | None = None
    """A tincan Result, or its JSON (fresh for this statement)."""
    instructor: Learner | None = None
    context_extensions: dict[str, Any] | None = None
    """More context extensions (IRI → JSON value), beside municipality and deployment."""
    statement_id: str | None = None
    """The statement's id when the caller chose it (e.g. stored with the action in the same
    statement); else the assembler's id factory makes one."""


class StatementAssembler:
    """Puts drafts into statements for one catalog base, platform, clock and id factory."""

    def __init__(
        self,
        iri_base: str,
        pseudonymizer: Pseudonymizer,
        *,
        platform: str,
        clock: Clock,
        id_factory: Callable[[], str | uuid.UUID],
    ) -> None:
        self._base = iri_base
        self._pseudonymizer = pseudonymizer
        self._platform = platform
        self._clock = clock
        self._id_factory = id_factory
        self._activities = NodeActivities(iri_base)
        self._verbs: dict[str, dict[str, Any]] = {}
        self._actors: OrderedDict[Learner, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._registration = lru_cache(maxsize=RECENT_REGISTRATIONS)(self._registration_of)
        """The registrations of recently seen learners (a click's 2–4 statements share one)."""
        self._municipality = MUNICIPALITY.iri(iri_base)
        self._deployment = LTI_DEPLOYMENT.iri(iri_base)
        self._municipality_code = MUNICIPALITY_CODE.iri(iri_base)
        self._municipality_name = MUNICIPALITY_NAME.iri(iri_base)
        self._county_code = COUNTY_CODE.iri(iri_base)

    def assemble(self, draft: Draft) -> JsonStatement:
        if draft.target is None:
            target = self._activities.of(draft.placement.node)
            is_activity = True
        else:
            target = draft.target.as_version()
            is_activity = isinstance(draft.target, Activity)
        context = self._context(draft)
        if draft.context_extensions:
            context["extensions"].update(copy_json(draft.context_extensions))
        if is_activity:
            context["platform"] = self._platform  # xAPI: only when the object is an activity
        if draft.instructor is not None:
            context["instructor"] = self._actor(draft.instructor)
        data: JsonStatement = {
            "id": draft.statement_id or str(self._id_factory()),
            "actor": self._actor(draft.learner),
            "verb": self._verb(draft.template),
            "object": target,
            "context": context,
        }
        if isinstance(draft.result, Result):
            data["result"] = draft.result.as_version()
        elif draft.result is not None:
            data["result"] = draft.result
        data["timestamp"] = format_timestamp(self._clock.now())
        validate_statement(data, valid_activities=self._activities.validated)
        return data

    def assemble_erasure(
        self, template: EventTemplate, voided: JsonStatement, tool: dict[str, Any]
    ) -> JsonStatement:
        """A *voided* statement of ``voided`` (one of ours) by the ``tool`` agent: the
        learner's erasure must not put their actor in a new statement. Registration,
        language and extensions are the voided statement's, so the voiding statement stays
        within its tenant and registration; no catalog node is needed (it may be gone)."""
        before = voided.get("context") or {}
        context: dict[str, Any] = {
            key: copy_json(before[key])
            for key in ("registration", "language", "extensions")
            if key in before
        }
        context["contextActivities"] = {"category": self._activities.categories()}
        data: JsonStatement = {
            "id": str(self._id_factory()),
            "actor": copy_json(tool),
            "verb": self._verb(template),
            "object": {"objectType": "StatementRef", "id": str(voided["id"])},
            "context": context,
            "timestamp": format_timestamp(self._clock.now()),
        }
        validate_statement(data, valid_activities=self._activities.validated)
        return data

    def _actor(self, learner: Learner) -> dict[str, Any]:
        """The actor JSON of a recently seen learner (built once), copied."""
        with self._lock:  # threads of one worker share the assembler
            actor = self._actors.get(learner)
            if actor is not None:
                self._actors.move_to_end(learner)
        if actor is None:
            actor = learner_actor_json(learner, self._pseudonymizer)
            with self._lock:
                self._actors[learner] = actor
                while len(self._actors) > RECENT_ACTORS:
                    self._actors.popitem(last=False)
        copied: dict[str, Any] = copy_json(actor)
        return copied

    def _verb(self, template: EventTemplate) -> dict[str, Any]:
        verb = self._verbs.get(template.name)
        if verb is None:
            display = LanguageMap(template.verb.display)
            verb = TinCanVerb(id=template.verb.iri(self._base), display=display).as_version()
            self._verbs[template.name] = verb
        copied: dict[str, Any] = copy_json(verb)
        return copied

    def _context(self, draft: Draft) -> dict[str, Any]:
        placement, learner = draft.placement, draft.learner
        assert placement.course is not None, "every event happens within a course"
        occasion = draft.occasion
        if occasion is None and draft.template.occasion_registration:
            occasion = placement.occasion
        iri = self._activities.iri
        registration = self._registration(
            learner.issuer, learner.sub, iri(placement.course), iri(occasion) if occasion else None
        )
        parents = placement.parents if draft.parents is None else draft.parents
        grouping = placement.grouping if draft.grouping is None else draft.grouping
        activities: dict[str, Any] = {}
        for key, nodes in (("parent", parents), ("grouping", grouping)):
            if nodes:
                activities[key] = [self._activities.of(node) for node in nodes]
        activities["category"] = self._activities.categories()
        if draft.other:
            activities["other"] = [self._activities.of(node) for node in draft.other]
        return {
            "registration": registration,
            "contextActivities": activities,
            "language": learner.language,
            "extensions": {
                self._municipality: learner.platform_name,
                self._deployment: {
                    "issuer": learner.issuer,
                    "clientId": learner.client_id,
                    "deploymentId": learner.deployment_id,
                },
                **self._official_municipality(learner),
            },
        }

    def _registration_of(
        self, issuer: str, sub: str, course_iri: str, occasion_iri: str | None
    ) -> str:
        """The registration UUID (cached per instance in :attr:`_registration`)."""
        # The full HMAC, not the (shorter) actor name: registrations stay those of profile 1.1.
        full = self._pseudonymizer.digest(issuer, sub)
        return registration_uuid(self._base, full, course_iri, occasion_iri)

    def _official_municipality(self, learner: Learner) -> dict[str, str | None]:
        """SCB's codes and name of the learner's municipality; explicit when unknown."""
        found = learner.municipality
        return {
            self._municipality_code: found.code if found else None,
            self._municipality_name: found.name if found else UNKNOWN_NAME_SV,
            self._county_code: found.county.code if found else None,
        }
