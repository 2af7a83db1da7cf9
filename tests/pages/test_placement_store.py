"""Placements and score heads: the same contract on SQLite and PostgreSQL (migrated schema)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.pages.conftest import COURSE, launch
from yrkesresan_adapter.advantage.placement_scores import Placement, PlacementStore
from yrkesresan_adapter.advantage.schema import placements_table, score_heads_table
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.lti.advantage.score_heads import SqlScoreHeads, head_key
from yrkesresan_lti.lti.context import LaunchContext

T0 = datetime(2026, 12, 6, 9, 0, 0, 400_000, tzinfo=UTC)
ITEM = "https://moodle.example.se/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1"
SCORE = ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]


def placed(lineitem: str = ITEM, sub: str = "learner-1") -> LaunchContext:
    return launch(
        sub,
        resource_link_id="rl-7",
        custom={"yrkesresan_node": COURSE},
        ags={"lineitem": lineitem, "scope": SCORE},
    )


def test_a_deleted_line_item_stays_gone_until_the_link_gets_a_new_one(database: Database) -> None:
    store = PlacementStore(placements_table)
    here = Scope.of(launch())
    with database.session() as db:
        assert store.record(db, placed(), now=T0)
        assert store.record(db, placed(sub="learner-2"), now=T0)
        assert store.of_learner(db, here, "learner-1") == [Placement("rl-7", ITEM, COURSE)]
        assert store.mark_gone(db, here.issuer, here.client_id, ITEM, now=T0) == 2
        assert store.gone_line_items(db) == 1
        assert store.record(db, placed(), now=T0)  # launched again
        assert store.of_learner(db, here, "learner-1") == []
        store.record(db, placed(ITEM.replace("/7/", "/8/")), now=T0)
        assert [p.lineitem_url for p in store.of_learner(db, here, "learner-1")] == [
            ITEM.replace("/7/", "/8/")
        ]
        assert store.of_learner(db, here, "learner-2") == []


def test_the_newest_score_is_the_head_and_sent_times_only_grow(database: Database) -> None:
    heads = SqlScoreHeads(database.engine, score_heads_table)
    key = head_key("https://moodle.example.se", "client-1", ITEM, "learner-1")
    assert key != head_key("https://moodle.example.se", "client-1", ITEM, "learner-2")
    assert heads.state(key).is_newest("anything")  # nothing recorded: send it
    with database.connection() as conn:
        heads.set_head(conn, key, "score-1")
    with database.connection() as conn:
        heads.set_head(conn, key, "score-2")
    state = heads.state(key)
    assert (state.is_newest("score-1"), state.is_newest("score-2")) == (False, True)
    heads.record_sent(key, T0)
    heads.record_sent(key, T0 - timedelta(seconds=5))  # an older answer changes nothing
    assert heads.state(key).last_sent == T0
    other = head_key("https://moodle.example.se", "client-1", ITEM, "learner-3")
    heads.record_sent(other, T0)  # sent before any head was kept
    assert heads.state(other).last_sent == T0
    assert heads.state(other).is_newest("whatever")
