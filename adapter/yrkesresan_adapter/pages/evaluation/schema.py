"""The tables of course evaluations (kursutvärderingar).

Defined on the shared metadata (Alembic revision ``reports_0001`` creates them).

``page_evaluation_answers``
    One row per (tenant, context, LTI ``sub``, course IRI, question): the rating 1–5, the
    occasion answered for (empty for a course without occasions), when the person first
    answered and last changed it, the id of the *answered* statement, and the key of the
    comment given with the answer (if any). Changing the answer replaces the rows.
``page_evaluation_comments``
    Free-text comments, **without a person**: tenant, context, course, occasion, the text,
    the date and a random key. Only the person's own answer rows hold that key, so export
    and erasure find the comment through them (``privacy.registry.LINKED_ROWS``), while
    nothing that lists comments can tell whose they are.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Text, UniqueConstraint

from yrkesresan_adapter.storage.metadata import metadata
from yrkesresan_adapter.storage.scope import SCOPE, scope_columns
from yrkesresan_lti.sqltypes import UtcDateTime

ANSWERS = "page_evaluation_answers"
COMMENTS = "page_evaluation_comments"


def define_evaluation_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Add both tables to ``metadata`` (idempotent per metadata) and return them."""
    if ANSWERS in metadata.tables:
        return metadata.tables[ANSWERS], metadata.tables[COMMENTS]
    answers = Table(
        ANSWERS,
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns(),
        Column("course_iri", String(1024), nullable=False),
        Column("occasion_iri", String(1024), nullable=False),
        Column("question", String(64), nullable=False),
        Column("rating", Integer, nullable=False),
        Column("first_answered_at", UtcDateTime(), nullable=False),
        Column("answered_at", UtcDateTime(), nullable=False),
        Column("statement_id", String(36), nullable=False),
        Column("comment_key", String(36), nullable=True),
        UniqueConstraint(
            *SCOPE, "user_sub", "course_iri", "question", name=f"uq_{ANSWERS}_person_question"
        ),
    )
    comments = Table(
        COMMENTS,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("issuer", String(1024), nullable=False),
        Column("client_id", String(255), nullable=False),
        Column("deployment_id", String(255), nullable=False),
        Column("context_id", String(255), nullable=False),
        Column("course_iri", String(1024), nullable=False),
        Column("occasion_iri", String(1024), nullable=False),
        Column("comment_key", String(36), nullable=False, unique=True),
        Column("comment", Text(), nullable=False),
        Column("written_on", Date(), nullable=False),
    )
    return answers, comments


answers_table, comments_table = define_evaluation_tables(metadata)
"""Evaluation answers and comments, on the shared metadata."""
