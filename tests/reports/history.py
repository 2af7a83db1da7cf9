"""A small history of the programme as statements, built with the library's
:class:`StatementFactory` (the same builder the tool uses, profile 1.5: SCB's municipality
and county codes, the occasion's seats from the catalog); ``seats`` overrides the seats an
occasion's activity carries (a region that changed them)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.conftest import FakeClock
from yrkesresan_lti.catalog import Catalog, load_catalog
from yrkesresan_lti.evaluations import MIN_GROUP
from yrkesresan_lti.municipalities import find_municipality
from yrkesresan_lti.xapi.evaluation import EvaluationAnswer
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

CATALOG_PATH = Path(__file__).resolve().parents[1] / "xapi" / "catalog.yaml"
BASE = "https://test.yrkesresan.se/id/"
JOURNEY = BASE + "journeys/barn-och-unga"
COURSE = JOURNEY + "/courses/samtal-med-barn"
OCCASION = COURSE + "/occasions/goteborg-ht-2027"
DAY_1 = OCCASION + "/days/1"
DAY_2 = OCCASION + "/days/2"
GOAL = COURSE + "/goals/samtalsmetodik"
TASK = COURSE + "/preparation/tasks/las-handboken"
OTHER_JOURNEY = BASE + "journeys/funktionshinder-utforare"
OTHER_COURSE = OTHER_JOURNEY + "/courses/bemotande"
OTHER_OCCASION = OTHER_COURSE + "/occasions/digitalt-vt-2028"
OTHER_DAY = OTHER_OCCASION + "/days/1"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MIN_EVALUATIONS = MIN_GROUP
Statement = dict[str, Any]


class History:
    """Statements of learners in municipalities, in the order they happened."""

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        seats: dict[str, int] | None = None,
        tag: str = "",
    ) -> None:
        self.catalog = catalog or load_catalog(CATALOG_PATH)
        self.clock = FakeClock(START)
        self.factory = StatementFactory(self.catalog, Pseudonymizer("k" * 32), clock=self.clock)
        self.seats = seats or {}
        self.tag = tag
        """Part of every learner's LTI sub: learners of one test only (a shared LRS)."""
        self.statements: list[Statement] = []

    def learner(self, n: int, municipality: str | None = "1480") -> Learner:
        issuer = f"https://lms-{municipality or 'x'}.example.se"
        return Learner(
            issuer=issuer,
            sub=f"sub-{self.tag}{n}",
            client_id="c",
            deployment_id="d",
            platform_name=f"LMS {municipality}",
            municipality=find_municipality(municipality) if municipality else None,
        )

    def at(self, moment: datetime) -> History:
        self.clock.set(moment)
        return self

    def later(self, **parts: float) -> History:
        self.clock.advance(timedelta(**parts) if parts else timedelta(minutes=1))
        return self

    def add(self, learner: Learner, statement: Statement) -> Statement:
        statement = copy.deepcopy(statement)
        activities = statement["context"]["contextActivities"]
        for activity in (*activities.get("parent", ()), *activities.get("other", ())):
            if activity["id"] in self.seats:
                definition = activity.setdefault("definition", {})
                definition.setdefault("extensions", {})[BASE + "extensions/seats"] = self.seats[
                    activity["id"]
                ]
        self.statements.append(statement)
        self.later()
        return statement

    # --- events ------------------------------------------------------------------------

    def register(self, learner: Learner, occasion: str = OCCASION) -> Statement:
        return self.add(learner, self.factory.registered(learner, occasion))

    def unregister(self, learner: Learner, occasion: str = OCCASION) -> Statement:
        return self.add(learner, self.factory.unregistered(learner, occasion))

    def attend(self, learner: Learner, day: str = DAY_1) -> Statement:
        return self.add(learner, self.factory.course_day_attended(learner, day))

    def withdraw(self, learner: Learner, attended: Statement, day: str = DAY_1) -> Statement:
        made = self.factory.attendance_withdrawn(learner, day, attended["id"])
        return self.add(learner, made)

    def open_task(self, learner: Learner, task: str = TASK) -> Statement:
        return self.add(learner, self.factory.task_opened(learner, task))

    def complete(self, learner: Learner, course: str = COURSE) -> Statement:
        return self.add(learner, self.factory.course_completed(learner, course))

    def reach(self, learner: Learner, goal: str = GOAL) -> Statement:
        return self.add(learner, self.factory.goal_reached(learner, goal))

    def rate(self, learner: Learner, rating: int, course: str = COURSE) -> Statement:
        answer = EvaluationAnswer(
            question="helhet",
            text={"sv": "Hur bra var kursen som helhet?"},
            response=str(rating),
            score=rating,
        )
        return self.add(learner, self.factory.evaluation_answered(learner, course, answer))

    def erase(self, statement: Statement) -> Statement:
        made = self.factory.statement_erased(statement, "https://tool.example.se")
        self.statements.append(made)
        return made
