"""One case per StatementFactory method, with what a reader of the LRS expects to see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from yrkesresan_lti.xapi.evaluation import EvaluationAnswer
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner

BASE = "https://test.yrkesresan.se/id/"
JOURNEY = f"{BASE}journeys/barn-och-unga"
PHASE = f"{JOURNEY}/phases/ny"
COURSE = f"{JOURNEY}/courses/samtal-med-barn"
PREPARATION = f"{COURSE}/preparation"
COURSE_DAYS = f"{COURSE}/course-days"
FOLLOW_UP = f"{COURSE}/follow-up"
TASK = f"{PREPARATION}/tasks/las-handboken"
FOLLOW_UP_TASK = f"{FOLLOW_UP}/tasks/reflektera"
GOAL_METHOD = f"{COURSE}/goals/samtalsmetodik"
GOAL_BEST = f"{COURSE}/goals/barnets-basta"
OCCASION = f"{COURSE}/occasions/goteborg-ht-2027"
DAY = f"{OCCASION}/days/2"
QUESTION = f"{COURSE}/evaluation/questions/nytta-i-arbetet"
WAITING_LIST = f"{OCCASION}/waiting-list"
SWEDISH = ZoneInfo("Europe/Stockholm")
JOINED_AT = datetime(2027, 8, 20, 7, 30, tzinfo=UTC)
DAY_BEFORE = (
    datetime(2027, 9, 28, 9, 0, tzinfo=SWEDISH),
    datetime(2027, 9, 28, 16, 0, tzinfo=SWEDISH),
)
DAY_AFTER = (
    datetime(2027, 10, 5, 9, 30, tzinfo=SWEDISH),
    datetime(2027, 10, 5, 15, 30, tzinfo=SWEDISH),
)

STAGE_JOURNEY = f"{BASE}journeys/funktionshinder-utforare"
STAGE = f"{STAGE_JOURNEY}/stages/bas"
STAGE_COURSE = f"{STAGE_JOURNEY}/courses/bemotande"

COMPLETION_ID = "0f8a3c51-7d2e-4b8a-9c61-2a4e5b6c7d8e"
ATTENDED_ID = "5d2b7e10-3c4f-4a6b-8d9e-1f2a3b4c5d6e"
PASSED_ID = "7c1e9a42-5b3d-4f6e-8a7b-9c0d1e2f3a4b"
COURSE_COMPLETED_ID = "2b4d6f80-1a3c-4e5f-9b7d-8c6e4a2f0b1d"

ANSWER = EvaluationAnswer(
    question="nytta-i-arbetet",
    text={"sv": "Hur användbar är kursen i ditt arbete?", "en": "How useful is the course?"},
    response="4",
    score=4,
)

Build = Callable[[StatementFactory, Learner], dict[str, Any]]


@dataclass(frozen=True)
class EventCase:
    """A builder call and the placement it must produce."""

    method: str
    build: Build
    object_id: str
    parents: tuple[str, ...]
    grouping: tuple[str, ...]
    other: tuple[str, ...] = ()
    course: str = COURSE
    occasion: str | None = None
    label: str = ""
    extensions: dict[str, Any] = field(default_factory=dict)
    """More context extensions (path under the base → value) than municipality and
    deployment."""

    @property
    def id(self) -> str:
        return self.label or self.method


EVENT_CASES = (
    EventCase(
        "task_opened",
        lambda f, who: f.task_opened(who, TASK),
        TASK,
        (PREPARATION,),
        (COURSE, PHASE, JOURNEY),
        (GOAL_METHOD, GOAL_BEST),
    ),
    EventCase(
        "task_completed",
        lambda f, who: f.task_completed(who, FOLLOW_UP_TASK),
        FOLLOW_UP_TASK,
        (FOLLOW_UP,),
        (COURSE, PHASE, JOURNEY),
        (GOAL_BEST,),
    ),
    EventCase(
        "task_undone",
        lambda f, who: f.task_undone(who, TASK, COMPLETION_ID),
        COMPLETION_ID,
        (),
        (),
        (TASK,),
    ),
    EventCase(
        "progress_changed",
        lambda f, who: f.progress_changed(who, PREPARATION, 50),
        PREPARATION,
        (COURSE,),
        (PHASE, JOURNEY),
        label="progress_changed-checklist",
    ),
    EventCase(
        "progress_changed",
        lambda f, who: f.progress_changed(who, COURSE, 100),
        COURSE,
        (PHASE,),
        (JOURNEY,),
        label="progress_changed-course",
    ),
    EventCase(
        "part_launched",
        lambda f, who: f.part_launched(who, COURSE_DAYS),
        COURSE_DAYS,
        (COURSE,),
        (PHASE, JOURNEY),
    ),
    EventCase(
        "course_launched",
        lambda f, who: f.course_launched(who, COURSE),
        COURSE,
        (PHASE,),
        (JOURNEY,),
    ),
    EventCase(
        "course_day_attended",
        lambda f, who: f.course_day_attended(who, DAY),
        DAY,
        (OCCASION,),
        (COURSE, PHASE, JOURNEY),
        occasion=OCCASION,
    ),
    EventCase(
        "attendance_withdrawn",
        lambda f, who: f.attendance_withdrawn(who, DAY, ATTENDED_ID),
        ATTENDED_ID,
        (),
        (),
        (DAY,),
        occasion=OCCASION,
    ),
    EventCase(
        "registered",
        lambda f, who: f.registered(who, OCCASION),
        COURSE,
        (PHASE,),
        (JOURNEY,),
        (OCCASION,),
        occasion=OCCASION,
    ),
    EventCase(
        "unregistered",
        lambda f, who: f.unregistered(who, OCCASION),
        COURSE,
        (PHASE,),
        (JOURNEY,),
        (OCCASION,),
        occasion=OCCASION,
    ),
    EventCase(
        "registered_from_waiting_list",
        lambda f, who: f.registered_from_waiting_list(who, OCCASION, JOINED_AT),
        COURSE,
        (PHASE,),
        (JOURNEY,),
        (OCCASION,),
        occasion=OCCASION,
        extensions={"extensions/from-waiting-list": {"joinedAt": "2027-08-20T07:30:00.000Z"}},
    ),
    EventCase(
        "occasion_cancelled",
        lambda f, who: f.occasion_cancelled(who, OCCASION),
        COURSE,
        (PHASE,),
        (JOURNEY,),
        (OCCASION,),
        occasion=OCCASION,
        extensions={"extensions/reason": "occasion-cancelled"},
    ),
    EventCase(
        "waiting_list_joined",
        lambda f, who: f.waiting_list_joined(who, OCCASION, 3),
        WAITING_LIST,
        (OCCASION,),
        (COURSE, PHASE, JOURNEY),
        occasion=OCCASION,
        extensions={"extensions/waiting-list-position": 3},
    ),
    EventCase(
        "waiting_list_left",
        lambda f, who: f.waiting_list_left(who, OCCASION, "withdrawn"),
        WAITING_LIST,
        (OCCASION,),
        (COURSE, PHASE, JOURNEY),
        occasion=OCCASION,
        extensions={"extensions/reason": "withdrawn"},
    ),
    EventCase(
        "course_day_moved",
        lambda f, who: f.course_day_moved(who, DAY, DAY_BEFORE, DAY_AFTER),
        DAY,
        (OCCASION,),
        (COURSE, PHASE, JOURNEY),
        occasion=OCCASION,
        extensions={
            "extensions/schedule-change": {
                "before": {
                    "start": "2027-09-28T09:00:00+02:00",
                    "end": "2027-09-28T16:00:00+02:00",
                },
                "after": {"start": "2027-10-05T09:30:00+02:00", "end": "2027-10-05T15:30:00+02:00"},
            }
        },
    ),
    EventCase(
        "goal_reached",
        lambda f, who: f.goal_reached(who, GOAL_METHOD),
        GOAL_METHOD,
        (COURSE,),
        (PHASE, JOURNEY),
    ),
    EventCase(
        "course_completed",
        lambda f, who: f.course_completed(who, STAGE_COURSE),
        STAGE_COURSE,
        (STAGE,),
        (STAGE_JOURNEY,),
        course=STAGE_COURSE,
    ),
    EventCase(
        "goal_revoked",
        lambda f, who: f.goal_revoked(who, GOAL_METHOD, PASSED_ID),
        PASSED_ID,
        (),
        (),
        (GOAL_METHOD,),
    ),
    EventCase(
        "course_completion_revoked",
        lambda f, who: f.course_completion_revoked(who, STAGE_COURSE, COURSE_COMPLETED_ID),
        COURSE_COMPLETED_ID,
        (),
        (),
        (STAGE_COURSE,),
        course=STAGE_COURSE,
    ),
    EventCase(
        "evaluation_answered",
        lambda f, who: f.evaluation_answered(who, COURSE, ANSWER),
        QUESTION,
        (COURSE,),
        (PHASE, JOURNEY),
    ),
)

TOOL_EVENTS = frozenset({"statement_erased"})
"""Builder methods whose actor is the tool, not a learner (tests/xapi/test_erasure.py)."""
