"""The demo course's gradebook: AGS line items, scores and results, kept in the demo store.

Like Moodle 4.5: a score is accepted only for a learner of the course (400 otherwise), a
score whose timestamp is not later, in whole seconds, than the one on record is answered
409, ``scoreGiven`` is discarded unless ``gradingProgress`` is ``FullyGraded`` (the grade
becomes empty), results are the latest grade per user on a 0–100 scale.
:meth:`DemoGradebook.rows` is what ``/demo/platform/gradebook`` shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from yrkesresan_adapter.demo.lms_state import DemoPlatformStore, DemoState
from yrkesresan_lti.testing.claims import USERS
from yrkesresan_lti.testing.services import Reply

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
ACTIVITY = {"Initialized", "Started", "InProgress", "Submitted", "Completed"}
GRADING = {"FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"}
LEARNERS = {u.sub for u in USERS.values() if any(r.endswith("#Learner") for r in u.roles)}


@dataclass(frozen=True)
class GradebookRow:
    learner: str
    title: str
    score_given: float | None
    score_maximum: float | None
    activity_progress: str
    grading_progress: str
    timestamp: str


class DemoGradebook:
    """AGS on the demo store; ``url_of(number)`` is a line item's URL (its ``id``)."""

    def __init__(self, store: DemoPlatformStore, url_of: Callable[[int], str]) -> None:
        self.store = store
        self.url_of = url_of

    def item_json(self, item: Mapping[str, Any]) -> dict[str, Any]:
        body = {
            "id": self.url_of(item["number"]),
            "label": item["label"],
            "scoreMaximum": item["scoreMaximum"],
        }
        keys = ("resourceId", "resourceLinkId", "tag")
        body.update({k: item[k] for k in keys if item.get(k)})
        return body

    def line_items(self, filters: Mapping[str, str]) -> Reply:
        wanted = {
            "resourceId": filters.get("resource_id"),
            "resourceLinkId": filters.get("resource_link_id"),
            "tag": filters.get("tag"),
        }
        items = [
            self.item_json(i)
            for i in self.store.read()["line_items"]
            if all(v is None or i.get(k) == v for k, v in wanted.items())
        ]
        return Reply(
            200, items, {"Content-Type": "application/vnd.ims.lis.v2.lineitemcontainer+json"}
        )

    def line_item(self, number: int) -> Reply:
        item = self.store.line_item(number)
        if item is None:
            return Reply(404, {"status": 404, "reason": "unknown line item"})
        return Reply(200, self.item_json(item), {"Content-Type": LINEITEM_TYPE})

    def create_line_item(self, raw: bytes) -> Reply:
        try:
            body = json.loads(raw)
        except ValueError:
            return Reply(400, {"status": 400, "reason": "invalid JSON"})
        maximum = body.get("scoreMaximum") if isinstance(body, dict) else None
        if not isinstance(body, dict) or not isinstance(body.get("label"), str):
            return Reply(400, {"status": 400, "reason": "label is missing"})
        if not isinstance(maximum, int | float) or isinstance(maximum, bool) or maximum <= 0:
            return Reply(400, {"status": 400, "reason": "scoreMaximum must be > 0"})

        def add(state: DemoState) -> dict[str, Any]:
            number = state["next_id"]
            state["next_id"] += 1
            item = {"number": number, "label": body["label"][:255], "scoreMaximum": maximum}
            for key in ("resourceId", "resourceLinkId", "tag"):
                if isinstance(body.get(key), str):
                    item[key] = body[key]
            state["line_items"].append(item)
            return item

        return Reply(201, self.item_json(self.store.update(add)), {"Content-Type": LINEITEM_TYPE})

    def post_score(self, number: int, raw: bytes) -> Reply:
        try:
            score = json.loads(raw)
        except ValueError:
            return Reply(400, {"status": 400, "reason": "invalid JSON"})
        problem = score_problem(score)
        if problem:
            return Reply(400, {"status": 400, "reason": problem})
        if score["userId"] not in LEARNERS:
            return Reply(400, {"status": 400, "reason": "Incorrect score received"})
        if not self.store.update(lambda state: keep_latest(state, number, score)):
            return Reply(409, {"status": 409, "reason": "Refusing score with an earlier timestamp"})
        return Reply(200, {})

    def results(self, number: int, user_id: str | None) -> Reply:
        item_url = self.url_of(number)
        results = [
            {
                "id": f"{item_url}&user_id={s['userId']}",
                "userId": s["userId"],
                "scoreOf": item_url,
                "resultScore": 100 * s["scoreGiven"] / s["scoreMaximum"],
                "resultMaximum": 100,
                "timestamp": s["timestamp"],
            }
            for s in self.store.read()["scores"].values()
            if s["lineItem"] == number
            and user_id in (None, s["userId"])
            and s.get("scoreGiven") is not None
        ]
        return Reply(
            200, results, {"Content-Type": "application/vnd.ims.lis.v2.resultcontainer+json"}
        )

    def rows(self) -> list[GradebookRow]:
        state = self.store.read()
        labels = {i["number"]: i["label"] for i in state["line_items"]}
        names = {u.sub: u.name for u in USERS.values()}
        rows = [
            GradebookRow(
                learner=names.get(s["userId"], s["userId"]),
                title=labels.get(s["lineItem"], str(s["lineItem"])),
                score_given=s.get("scoreGiven"),
                score_maximum=s.get("scoreMaximum"),
                activity_progress=s["activityProgress"],
                grading_progress=s["gradingProgress"],
                timestamp=s["timestamp"],
            )
            for s in state["scores"].values()
        ]
        return sorted(rows, key=lambda r: (r.title, r.learner))


def score_problem(score: object) -> str | None:
    """What is wrong with a score body, or None."""
    if not isinstance(score, dict) or not isinstance(score.get("userId"), str):
        return "userId saknas"
    if score.get("activityProgress") not in ACTIVITY:
        return "invalid activityProgress"
    if score.get("gradingProgress") not in GRADING:
        return "invalid gradingProgress"
    given, maximum = score.get("scoreGiven"), score.get("scoreMaximum")
    if given is not None and (
        not isinstance(given, int | float)
        or not isinstance(maximum, int | float)
        or maximum <= 0
        or given < 0
    ):
        return "scoreGiven requires scoreMaximum > 0"
    try:
        moment = datetime.fromisoformat(str(score.get("timestamp")))
    except ValueError:
        return "timestamp must be RFC 3339"
    return "timestamp saknar tidszon" if moment.tzinfo is None else None


def keep_latest(state: DemoState, number: int, score: dict[str, Any]) -> bool:
    """Record ``score`` unless the one on record for (line item, user) is as new, in whole
    seconds (False: Moodle answers 409). ``scoreGiven`` counts only when ``FullyGraded``."""
    key = f"{number}|{score['userId']}"
    old = state["scores"].get(key)
    seconds = int(datetime.fromisoformat(score["timestamp"]).timestamp())
    if old is not None and int(datetime.fromisoformat(old["timestamp"]).timestamp()) >= seconds:
        return False
    recorded = {**score, "lineItem": number}
    if score.get("gradingProgress") != "FullyGraded":
        recorded["scoreGiven"] = None
    state["scores"][key] = recorded
    return True
