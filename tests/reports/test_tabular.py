"""The text table and CSV of the figures: what a reader of ``stats``/``report`` output sees."""

from __future__ import annotations

import csv
import io

from yrkesresan_lti.reports import EvaluationResult, Figures, Filters, GoalRow, Row
from yrkesresan_lti.reports.tabular import CSV_COLUMNS, csv_text, text_table

COURSE = "https://x/id/journeys/j/courses/c"
GOAL = COURSE + "/goals/g"


def _figures() -> Figures:
    return Figures(
        Filters(year=2026),
        Row(
            None,
            occasions_held=2,
            seats=40,
            participants=31,
            evaluation=EvaluationResult((1, 0, 1, 4, 6)),
        ),
        {
            "municipality": (
                Row("1480", participants=30, evaluation=EvaluationResult((0, 0, 0, 1, 2))),
                Row(None, participants=1),
            ),
            "course": (Row(COURSE, participants=31),),
        },
        goals=(GoalRow(GOAL, COURSE, 12),),
        labels={"1480": "Göteborg", COURSE: "Samtal med barn", GOAL: "Samtalsmetodik"},
    )


def test_text_table_names_groups_and_hides_small_evaluations() -> None:
    text = text_table(_figures())
    assert "Göteborg" in text
    assert "Samtal med barn" in text
    assert "Samtalsmetodik" in text
    assert "unknown municipality" in text
    göteborg = next(line for line in text.splitlines() if line.startswith("Göteborg"))
    assert göteborg.endswith("too few answers")
    total = next(line for line in text.splitlines() if line.startswith("Total"))
    assert total.endswith("83 %")  # 10 of 12 rated 4 or 5
    assert "1: 1  2: 0  3: 1  4: 4  5: 6" in text


def test_csv_has_stable_columns_and_leaves_small_evaluations_empty() -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(_figures()))))
    assert all(len(r) == len(CSV_COLUMNS) for r in rows)
    total, göteborg, unknown, course, goal = rows
    assert total["dimension"] == "total"
    assert total["good_share"] == "0.8333"
    assert total["rating_5"] == "6"
    assert göteborg["label"] == "Göteborg"
    assert göteborg["responses"] == "3"
    assert göteborg["rating_5"] == ""
    assert göteborg["good_share"] == ""
    assert unknown["key"] == ""
    assert unknown["participants"] == "1"
    assert course["label"] == "Samtal med barn"
    assert goal["dimension"] == "goal"
    assert goal["goals_reached"] == "12"
    assert goal["participants"] == ""


def test_a_year_is_never_named_like_the_municipality_with_that_code() -> None:
    figures = Figures(
        Filters(),
        Row(None),
        {"year": (Row("2026", participants=3),), "municipality": (Row("2026", participants=3),)},
        labels={"2026": "Gagnef"},
    )
    lines = text_table(figures).splitlines()
    assert any(line.startswith("2026 ") for line in lines)
    assert any(line.startswith("Gagnef ") for line in lines)
    rows = list(csv.DictReader(io.StringIO(csv_text(figures))))
    assert [(r["dimension"], r["label"]) for r in rows[1:]] == [
        ("year", ""),
        ("municipality", "Gagnef"),
    ]


def test_a_label_a_spreadsheet_would_run_is_written_as_text() -> None:
    """Labels come from statements' activity names, which an LMS's data can reach."""
    figures = _figures()
    figures = Figures(
        figures.filters,
        figures.total,
        figures.breakdowns,
        goals=figures.goals,
        labels={**figures.labels, "1480": '=HYPERLINK("https://evil.example";"Göteborg")'},
    )
    rows = list(csv.DictReader(io.StringIO(csv_text(figures))))
    assert rows[1]["label"] == '\'=HYPERLINK("https://evil.example";"Göteborg")'
    assert rows[0]["participants"] == "31"  # numbers are numbers
