"""The fake platform's AGS endpoints: line item container, line items, scores, results.

Moodle's behaviour: ``?type_id=1`` on every line item URL, 401 without the scope, 400 for a
score of a user who cannot be graded (not a learner), 415 for a wrong media type.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from yrkesresan_lti.lti.simulator_services.wire import AGS_SCOPES, Reply, WsgiEnviron

if TYPE_CHECKING:
    from yrkesresan_lti.lti.simulator_services.platform import FakePlatformServices


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
        platform.scores.append((int(number_text), score))
        return Reply(200, {})
    if tail == "/results" and method == "GET":
        if not platform.authorised(environ, AGS_SCOPES[2]):
            return Reply(401, {"status": 401})
        return Reply(200, results_of(platform, int(number_text), query.get("user_id", [None])[0]))
    return Reply(404, {"status": 404})


def results_of(
    platform: FakePlatformServices, number: int, user_id: str | None
) -> list[dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for item_number, score in platform.scores:
        if item_number == number and user_id in (None, score["userId"]):
            latest[score["userId"]] = score
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
