"""``yrkesresan learner export`` and ``erase`` on a course with real data, on SQLite and
PostgreSQL: everything of the person is exported, nothing of them remains after erasure,
nobody else's data changes, and their statements are voided through the outbox."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.privacy.conftest import (
    ANNA,
    ANNA_COMMENT,
    ANNA_EMAIL,
    ANNA_NAME,
    BO,
    BOSS,
    CANVAS,
    CLIENT,
    ISSUER,
    Scenario,
    pseudonym,
)

PERSON = ("--issuer", ISSUER, "--sub", ANNA)
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def _rows_mentioning(dump: dict[str, list[dict[str, Any]]], needle: str) -> list[str]:
    return [
        f"{table}: {row}"
        for table, rows in dump.items()
        for row in rows
        if any(isinstance(v, str) and needle in v for v in row.values())
    ]


def _others(dump: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Rows about Bo or about the other platform's person with Anna's sub."""
    return {
        table: [
            row
            for row in rows
            if any(isinstance(v, str) and (BO in v or CANVAS.issuer in v) for v in row.values())
            and not any(isinstance(v, str) and pseudonym() in v for v in row.values())
        ]
        for table, rows in dump.items()
    }


def test_export_has_everything_about_the_person_and_nothing_of_others(
    scenario: Scenario,
) -> None:
    result = scenario.cli("learner", "export", *PERSON)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["person"] == {
        "issuer": ISSUER,
        "client_id": CLIENT,
        "deployment_id": None,
        "sub": ANNA,
    }
    assert data["xapi_actor"]["account"] == {"homePage": ISSUER, "name": pseudonym()}
    tables = data["tables"]
    assert [r["name"] for r in tables["page_learners"]] == [ANNA_NAME]
    assert {r["task_iri"].rsplit("/", 1)[1] for r in tables["page_task_states"]} == {
        "las-bbic",
        "film-samtal",
    }
    for name in (
        "page_occasion_registrations",
        "page_attendance",
        "ags_placements",
        "page_occasion_waiting",
        "page_occasion_notices",
    ):
        assert [r["user_sub"] for r in tables[name]] == [ANNA], name
    assert [r["rating"] for r in tables["page_evaluation_answers"]] == [4]
    assert [r["comment"] for r in tables["page_evaluation_comments"]] == [ANNA_COMMENT]
    assert "Bos kommentar" not in result.output
    assert [r["value"]["email"] for r in data["lti_launch_states"]] == [ANNA_EMAIL]
    statements = data["outbox_entries"]["statements"]
    verbs = {s["statement"]["verb"]["id"].rsplit("/", 1)[1] for s in statements}
    assert {"completed", "progressed", "voided", "registered", "attended"} <= verbs
    assert all(s["statement"]["actor"]["account"]["name"] == pseudonym() for s in statements)
    assert [
        json.loads(s["payload"])["score"]["userId"] for s in data["outbox_entries"]["ags_scores"]
    ] == [ANNA]
    assert len(data["ags_score_heads"]) == 1
    assert BO not in result.output
    assert "Anna på Canvas" not in result.output


def test_erase_leaves_nothing_of_the_person_and_everyone_else_untouched(
    scenario: Scenario,
) -> None:
    scenario.deliver_everything()
    before = scenario.dump()
    sent = [
        s for s in scenario.statements() if s["actor"].get("account", {}).get("name") == pseudonym()
    ]
    assert sent
    result = scenario.cli("learner", "erase", *PERSON, "--yes")
    assert result.exit_code == 0, result.output
    after = scenario.dump()
    for needle in (ANNA_NAME, ANNA_EMAIL, ANNA_COMMENT, pseudonym(), Pseudonymizer_digest()):
        assert _rows_mentioning(after, needle) == [], needle
    # the sub is left only in rows of the other platform's person with the same sub
    assert all(CANVAS.issuer in row for row in _rows_mentioning(after, ANNA))
    assert _others(after) == _others(before)
    # a voiding statement by the tool for each sent statement that is not a voiding one
    voidings = [
        s
        for s in scenario.statements()
        if s["verb"]["id"] == VOIDED and s["actor"]["account"]["name"] == "yrkesresan-lti"
    ]
    not_voiding = {s["id"] for s in sent if s["verb"]["id"] != VOIDED}
    already = {s["object"]["id"] for s in sent if s["verb"]["id"] == VOIDED}
    assert {v["object"]["id"] for v in voidings} == not_voiding - already
    # the LRS operator learns the actor, registrations and statement ids
    assert pseudonym() in result.output
    assert all(s["id"] in result.output for s in sent)
    assert all(s["context"]["registration"] in result.output for s in sent)


def Pseudonymizer_digest() -> str:
    from tests.privacy.conftest import PSEUDONYM_KEY
    from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

    return Pseudonymizer(PSEUDONYM_KEY).digest(ISSUER, ANNA)


def test_erase_asks_first_and_a_no_changes_nothing(scenario: Scenario) -> None:
    before = scenario.dump()
    result = scenario.cli("learner", "erase", *PERSON, input="n\n")
    assert result.exit_code == 1
    assert "Radera" in result.output
    assert scenario.dump() == before


@pytest.mark.parametrize("command", ["erase", "export"])
def test_an_unknown_person_exits_1_with_a_swedish_message(scenario: Scenario, command: str) -> None:
    before = scenario.dump()
    result = scenario.cli(
        "learner",
        command,
        "--issuer",
        ISSUER,
        "--sub",
        "nobody",
        "--yes" if command == "erase" else "--deployment=dep-1",
    )
    assert result.exit_code == 1
    assert "Inga uppgifter om nobody" in result.output
    assert scenario.dump() == before


def test_erasing_the_manager_keeps_the_learners_rows_without_the_managers_sub(
    scenario: Scenario,
) -> None:
    scenario.deliver_everything()
    result = scenario.cli("learner", "erase", "--issuer", ISSUER, "--sub", BOSS, "--yes")
    assert result.exit_code == 0, result.output
    after = scenario.dump()
    assert _rows_mentioning(after, BOSS) == []
    assert _rows_mentioning(after, pseudonym(BOSS)) == []
    assert len(after["page_attendance"]) == 2
    assert {r["recorded_by"] for r in after["page_attendance"]} == {"-"}
    assert {r["registered_by"] for r in after["page_occasion_registrations"]} == {"-"}
    assert {r["added_by"] for r in after["page_occasion_waiting"]} == {"-"}
    # the boss's change on the admin page stays in the audit trail, without the boss
    edits = [r for r in after["occasion_audit"] if r["action"] == "edited"]
    assert sorted(r["actor_sub"] for r in edits) == ["-", ANNA, "cli"]


def test_the_managers_export_lists_their_waiting_list_entries_and_audit_rows(
    scenario: Scenario,
) -> None:
    result = scenario.cli("learner", "export", "--issuer", ISSUER, "--sub", BOSS)
    assert result.exit_code == 0, result.output
    acted = json.loads(result.output)["recorded_for_others"]
    assert sorted(r["user_sub"] for r in acted["page_occasion_waiting.added_by"]) == [ANNA, BO]
    assert [r["action"] for r in acted["occasion_audit.actor_sub"]] == ["edited"]


def test_a_trainer_register_entry_with_the_persons_email_is_exported_and_kept(
    scenario: Scenario,
) -> None:
    from yrkesresan_adapter.pages.occasions.plan_schema import plan_tables

    with scenario.engine.begin() as conn:
        conn.execute(
            plan_tables.trainers.insert(),
            {
                "trainer_key": "anna-a",
                "region": "GR",
                "trainer_name": ANNA_NAME,
                "trainer_email": ANNA_EMAIL,
            },
        )
    exported = json.loads(scenario.cli("learner", "export", *PERSON).output)
    assert [r["trainer_key"] for r in exported["occasion_trainers"]] == ["anna-a"]
    result = scenario.cli("learner", "erase", *PERSON, "--yes")
    assert result.exit_code == 0, result.output
    assert "utbildarregister" in result.output
    assert "anna-a" in result.output
    kept = scenario.dump()["occasion_trainers"]
    assert [r["trainer_key"] for r in kept if r["trainer_email"] == ANNA_EMAIL] == ["anna-a"]


def test_the_statistics_ledger_is_exported_and_erased_with_the_person(
    scenario: Scenario,
) -> None:
    from yrkesresan_adapter.stats.events import learner_key
    from yrkesresan_adapter.stats.query import FigureQueries
    from yrkesresan_lti.reports import Filters

    anna = learner_key({"account": {"homePage": ISSUER, "name": pseudonym()}})
    bo = learner_key({"account": {"homePage": ISSUER, "name": pseudonym(BO)}})
    exported = json.loads(scenario.cli("learner", "export", *PERSON).output)["tables"]
    assert {r["kind"] for r in exported["stats_events"]} >= {"registered", "attended"}
    assert {r["learner"] for r in exported["stats_events"] + exported["stats_activity"]} == {anna}
    before = scenario.dump()
    assert any(r["learner"] == bo for r in before["stats_activity"])
    assert scenario.cli("learner", "erase", *PERSON, "--yes").exit_code == 0
    after = scenario.dump()
    for name in ("stats_events", "stats_activity"):
        assert [r for r in after[name] if r["learner"] == anna] == [], name
        assert [r for r in after[name] if r["learner"] != anna] == [
            r for r in before[name] if r["learner"] != anna
        ], name
    for name in ("stats_units", "stats_latest"):  # the summary follows the ledger
        assert any(r["learner"] == anna for r in before[name]), name
        assert [r for r in after[name] if r["learner"] == anna] == [], name
    with scenario.engine.connect() as conn:
        kept = FigureQueries().figures(conn, Filters())
        assert kept == FigureQueries().figures(conn, Filters(), exact=True)
