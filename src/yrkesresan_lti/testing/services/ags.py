"""The fake platform's AGS endpoints: line item container, line items, scores, results.

Moodle's behaviour: ``?type_id=1`` on every line item URL, 401 without the scope, 400 for a
score of a user who cannot be graded (not a learner), 415 for a wrong media type; and, as
Moodle 4.5.6 does (``scores.php``): ``scoreGiven`` is discarded unless ``gradingProgress`` is
``FullyGraded`` (the grade becomes empty), and a score whose timestamp is not later, in
whole seconds, than the one on record for that user and line item is answered 409.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from yrkesresan_lti.testing.services.wire import AGS_SCOPES, Reply, WsgiEnviron

if TYPE_CHECKING:
    from yrkesresan_lti.testing.services.platform import FakePlatformServices


def line_item_container(
    platform: FakePlatformServices,
    method: str,
    query: dict[str, list[str]],
    raw: bytes,
    environ: WsgiEnviron,
) -> Reply:
    if method == "GET":
        if not platform.authorised(environ, AGS_SCOPES[0], AGS_SCOPES[1]):
            return Reply(401, {"status": 401})
        wanted = query.get("resource_id", [None])[0]
        items = [i for i in platform.line_items.values() if wanted in (None, i.get("resourceId"))]
        return Reply(200, items)
    if not platform.authorised(environ, AGS_SCOPES[0]):
        return Reply(401, {"status": 401})
    if environ.get("CONTENT_TYPE") != "application/vnd.ims.lis.v2.lineitem+json":
        return Reply(415, {"status": 415})
    body = json.loads(raw)
    url = platform.add_line_item(body.pop("label"), body.pop("scoreMaximum"), **body)
    return Reply(201, platform.line_items[int(url.split("/lineitems/")[1].split("/")[0])])


def line_item(
    platform: FakePlatformServices,
    method: str,
    rest: str,
    query: dict[str, list[str]],
    raw: bytes,
    environ: WsgiEnviron,
) -> Reply:
    number_text, _, tail = rest.partition("/lineitem")
    item = platform.line_items.get(int(number_text)) if number_text.isdigit() else None
    if item is None or query.get("type_id") != ["1"]:
        return Reply(404, {"status": 404, "reason": "Not Found"})
    if tail == "" and method == "GET":
        return Reply(200, item)
    if tail == "/scores" and method == "POST":
        if not platform.authorised(environ, AGS_SCOPES[3]):
            return Reply(401, {"status": 401})
        if environ.get("CONTENT_TYPE") != "application/vnd.ims.lis.v1.score+json":
            return Reply(415, {"status": 415})
        score = json.loads(raw)
        gradable = {
            m["user_id"] for m in platform.members if any("Learner" in r for r in m["roles"])
        }
        if score.get("userId") not in gradable:
            return Reply(400, {"status": 400, "reason": "Incorrect score received"})
        return record_score(platform, int(number_text), score)
    if tail == "/results" and method == "GET":
        if not platform.authorised(environ, AGS_SCOPES[2]):
            return Reply(401, {"status": 401})
        return Reply(200, results_of(platform, int(number_text), query.get("user_id", [None])[0]))
    return Reply(404, {"status": 404})


def whole_seconds(timestamp: object) -> int | None:
    """Seconds since the epoch of an RFC 3339 timestamp, fractions cut (PHP ``strtotime``)."""
    try:
        moment = datetime.fromisoformat(str(timestamp))
    except ValueError:
        return None
    return int(moment.timestamp()) if moment.tzinfo is not None else None


def record_score(platform: FakePlatformServices, number: int, score: dict[str, Any]) -> Reply:
    """Keep ``score`` as the grade of (line item, user), strictly like Moodle 4.5."""
    seconds = whole_seconds(score.get("timestamp"))
    if seconds is None or not isinstance(score.get("activityProgress"), str):
        return Reply(400, {"status": 400, "reason": "Incorrect score received"})
    key = (number, str(score["userId"]))
    with platform.lock:
        old = platform.grades.get(key)
        if old is not None and old["seconds"] >= seconds:
            return Reply(409, {"status": 409, "reason": "Refusing score with an earlier timestamp"})
        given = score.get("scoreGiven") if score.get("gradingProgress") == "FullyGraded" else None
        platform.grades[key] = {
            "scoreGiven": given,
            "scoreMaximum": score.get("scoreMaximum", 1),
            "timestamp": score["timestamp"],
            "seconds": seconds,
        }
        platform.scores.append((number, score))
    return Reply(200, {})


def grade_of(platform: FakePlatformServices, lineitem_url: str, user_id: str) -> float | None:
    """The grade on record as a teacher sees it (None when empty): like Moodle 4.5,
    ``scoreGiven`` rescaled to the line item's maximum when the score's ``scoreMaximum``
    differs from it (``gradebookservices::save_grade_item``: 3 of 6 on an item of maximum
    5 shows as 2.5)."""
    number = int(lineitem_url.split("/lineitems/")[1].split("/")[0])
    grade = platform.grades.get((number, user_id))
    if grade is None or grade["scoreGiven"] is None:
        return None
    return moodle_grade(
        grade["scoreGiven"], grade["scoreMaximum"], platform.line_items[number]["scoreMaximum"]
    )


def moodle_grade(given: float, score_maximum: float, item_maximum: float) -> float:
    """What Moodle 4.5 records for ``given`` of ``score_maximum`` on a grade item of
    ``item_maximum``: rescaled when the two maxima differ (to five decimals, as
    ``grade_floats_different`` compares) and the score's is not 0."""
    if round(score_maximum, 5) != round(item_maximum, 5) and round(score_maximum, 5) != 0:
        return round(given * item_maximum / score_maximum, 5)
    return float(given)


def results_of(
    platform: FakePlatformServices, number: int, user_id: str | None
) -> list[dict[str, Any]]:
    latest = {
        uid: grade
        for (item_number, uid), grade in platform.grades.items()
        if item_number == number and user_id in (None, uid) and grade["scoreGiven"] is not None
    }
    item = platform.line_items[number]
    return [
        {
            "id": f"{item['id']}&user_id={uid}",
            "userId": uid,
            "scoreOf": item["id"],
            "resultScore": 100 * s["scoreGiven"] / s["scoreMaximum"],
            "resultMaximum": 100,
            "timestamp": s["timestamp"],
        }
        for uid, s in latest.items()
    ]


# --- used by the routes ---------------------------------------------------------------
