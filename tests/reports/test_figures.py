"""The figures model: what a reader of a report sees of the evaluation and the breakdowns."""

from __future__ import annotations

import json

from yrkesresan_lti.reports import EvaluationResult, Figures, Filters, Row
from yrkesresan_lti.reports.figures import sort_rows


def test_evaluation_hidden_below_five_answers() -> None:
    four = EvaluationResult((0, 0, 0, 1, 3))
    assert not four.shown
    assert four.good_share is None
    five = EvaluationResult((1, 0, 0, 1, 3))
    assert five.shown
    assert five.good_share == 0.8


def test_unknown_municipality_sorts_last_and_stays_off_the_map() -> None:
    rows = sort_rows(
        {
            None: Row(None, participants=4),
            "1480": Row("1480", participants=2),
            "0180": Row("0180", participants=1),
        }
    )
    assert [r.key for r in rows] == ["0180", "1480", None]
    figures = Figures(Filters(), Row(None), {"municipality": rows})
    assert figures.participants_by_municipality() == {"0180": 1, "1480": 2}


def test_json_is_plain_and_labels_do_not_decide_equality() -> None:
    a = Figures(
        Filters(year=2026),
        Row(None, evaluation=EvaluationResult((0, 0, 1, 2, 3))),
        {"course": (Row("https://x/c"),)},
        labels={"https://x/c": "Kurs"},
    )
    b = Figures(
        Filters(year=2026),
        Row(None, evaluation=EvaluationResult((0, 0, 1, 2, 3))),
        {"course": (Row("https://x/c"),)},
        labels={"https://x/c": "Course"},
    )
    assert a == b
    data = json.loads(json.dumps(a.to_json()))
    assert data["total"]["evaluation"] == {
        "responses": 6,
        "distribution": {"1": 0, "2": 0, "3": 1, "4": 2, "5": 3},
        "shown": True,
        "good_share": 5 / 6,
    }
    assert data["breakdowns"]["year"] == []
