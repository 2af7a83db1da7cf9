"""Every table that can hold something of a person, and how export and erasure find it.

Tables are classified by name on the shared metadata (``yrkesresan_adapter.tables``), so
this module imports no feature. :func:`unclassified` lists a table nobody classified yet,
and :func:`unhandled_person_columns` a column that names a person (``*_sub``, ``*_by``,
``email``) where export and erasure do not look: ``tests/privacy/test_registry.py`` fails
on either, so a new table or column with personal data cannot be forgotten.
"""

from __future__ import annotations

import re

from sqlalchemy import MetaData

PERSON_ROWS: dict[str, tuple[str, ...]] = {
    "page_learners": (),
    "page_task_states": (),
    "page_done_bits": (),
    "page_outcome_statements": (),
    "page_occasion_registrations": ("registered_by",),
    "page_attendance": ("recorded_by",),
    "ags_placements": (),
    "page_occasion_waiting": ("added_by",),
    "page_occasion_notices": (),
    "page_evaluation_answers": (),
}
"""Tables of rows about one person of a tenant (``issuer``, ``client_id``,
``deployment_id``, ``user_sub``): exported and deleted. The columns named hold the ``sub``
of the person who acted on someone else's row (the manager who registered, the trainer who
recorded attendance): exported, and replaced by :data:`ERASED` on erasure."""

LINKED_ROWS: dict[str, tuple[str, str]] = {
    "page_evaluation_comments": ("page_evaluation_answers", "comment_key"),
}
"""Tables whose rows name no person but belong to one through a key that only that person's
rows of another table of :data:`PERSON_ROWS` hold (a course evaluation's comment): table →
(owning table, key column). Exported and deleted with the person's rows."""

LEARNER_KEY_ROWS: dict[str, str] = {"stats_events": "learner", "stats_activity": "learner"}
"""Tables that know a person only by a hash of their xAPI actor (the statistics ledger,
:mod:`yrkesresan_adapter.stats`): table → column of the hash. Found by hashing each of the
person's actors (accounts and e-mails); exported and deleted with the person's rows."""

DERIVED_ROWS: dict[str, str] = {
    "stats_units": "learner",
    "stats_latest": "learner",
}
"""Tables computed from :data:`LEARNER_KEY_ROWS` (the statistics summary,
:mod:`yrkesresan_adapter.stats.summary`; the learner hash, 0 where a row counts no learner):
erasure deletes the ledger rows through the summary, which then holds no row of the person
(``tests/privacy/test_learner_cli.py``); export gives the ledger rows they derive from."""

LAUNCH_STATES = "lti_launch_states"
"""OIDC login states and stored launches (JSON with ``sub``, name and e-mail)."""
OUTBOX = "outbox_entries"
"""Statements (the actor's pseudonym, as instructor too) and AGS scores (``userId``)."""
SCORE_HEADS = "ags_score_heads"
ACTOR_ROWS: dict[str, str] = {"occasion_audit": "actor_sub"}
"""Tables about something else (an occasion) that record who acted, with the actor's tenant
in ``actor_issuer``, ``actor_client_id`` and ``actor_deployment_id``: the person's rows are
exported (``recorded_for_others``) and their ``sub`` replaced by :data:`ERASED` on erasure."""
TRAINER_REGISTER = "occasion_trainers"
"""The region's register of trainers (name, e-mail): not people of an LMS tenant. Rows
whose e-mail is one of the person's are exported; erasure keeps and reports them, because
the region keeps the register (docs/privacy.md)."""
"""Keyed by a hash of (platform, line item, ``sub``): found by computing the hash."""

NO_PERSONAL_DATA: dict[str, str] = {
    "lti_platforms": "the registered LMSs (a municipality's name and URLs)",
    "lti_deployments": "deployment ids of a platform",
    "lti_municipalities": "SCB kommunkod of a platform, deployment or LMS context",
    "tool_keys": "the tool's own keys",
    "lti_nonces": "consumed id_token nonces: issuer and a random value",
    "page_task_numbers": "a number per task IRI of an LMS context (for the done tasks' bits)",
    "page_occasion_locks": "one row per occasion IRI, for seat counting",
    "occasion_plans": "the occasions a region runs (course, place, capacity, dates)",
    "occasion_platform_regions": "which regions a platform (issuer, client_id) coordinates",
    "occasion_plan_days": "the course days of an occasion",
    "occasion_plan_trainers": "which register keys train an occasion",
    "stats_counts": "the statistics' counts per figure and group (no learner)",
}
"""Tables that hold nothing of a person, and why."""

ERASED = "-"
"""What an erased person's ``sub`` becomes in someone else's row (``recorded_by``...)."""

_PERSON_COLUMN = re.compile(r"(^|_)(sub|by|email|e_mail|mbox)$")


def classified() -> set[str]:
    return {
        *PERSON_ROWS,
        *ACTOR_ROWS,
        *LINKED_ROWS,
        *LEARNER_KEY_ROWS,
        *DERIVED_ROWS,
        TRAINER_REGISTER,
        LAUNCH_STATES,
        OUTBOX,
        SCORE_HEADS,
        *NO_PERSONAL_DATA,
    }


def unclassified(metadata: MetaData) -> list[str]:
    """Tables of ``metadata`` that neither export nor erasure knows."""
    return sorted(set(metadata.tables) - classified())


def unhandled_person_columns(metadata: MetaData) -> list[str]:
    """``table.column`` of columns that name a person where export and erasure do not look."""
    found = []
    for name, table in metadata.tables.items():
        handled = {"user_sub", *PERSON_ROWS[name]} if name in PERSON_ROWS else set()
        if name in ACTOR_ROWS:
            handled = {ACTOR_ROWS[name]}
        if name == TRAINER_REGISTER:
            handled = {"trainer_email"}
        if name in (LAUNCH_STATES, OUTBOX, SCORE_HEADS):
            continue  # read whole (JSON, payloads, hashed keys)
        for column in table.columns:
            if _PERSON_COLUMN.search(column.name) and column.name not in handled:
                found.append(f"{name}.{column.name}")
    return sorted(found)
