"""The table of placed links a learner launched (Alembic revision ``scores_0001``).

``ags_placements``
    One row per (tenant, LMS context, LTI ``sub``, resource link) of a learner's launch of
    a placed link: the AGS line item URL the launch offered and the catalog node the link
    places (custom parameter ``yrkesresan_node``). ``gone_at`` is set when the platform
    answered 404 for the line item (deleted in the LMS): no scores are sent to it any more.
    Indexed on (issuer, client_id, line item) to mark a deleted line item gone.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, UniqueConstraint

from yrkesresan_adapter.storage.metadata import metadata
from yrkesresan_adapter.storage.scope import SCOPE, scope_columns
from yrkesresan_lti.lti.advantage.score_heads import define_score_heads_table
from yrkesresan_lti.sqltypes import UtcDateTime

PLACEMENTS = "ags_placements"


def define_placements_table(metadata: MetaData) -> Table:
    """Add ``ags_placements`` to ``metadata`` (idempotent per metadata) and return it."""
    existing = metadata.tables.get(PLACEMENTS)
    if existing is not None:
        return existing
    table = Table(
        PLACEMENTS,
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns(),
        Column("resource_link_id", String(255), nullable=False),
        Column("lineitem_url", String(2048), nullable=False),
        Column("node_iri", String(1024), nullable=False),
        Column("launched_at", UtcDateTime(), nullable=False),
        Column("gone_at", UtcDateTime(), nullable=True),
        UniqueConstraint(*SCOPE, "user_sub", "resource_link_id", name=f"uq_{PLACEMENTS}_link"),
    )
    Index(f"ix_{PLACEMENTS}_lineitem", table.c.issuer, table.c.client_id, table.c.lineitem_url)
    return table


placements_table: Table = define_placements_table(metadata)
"""Placed links learners launched, on the shared metadata."""
score_heads_table: Table = define_score_heads_table(metadata)
"""AGS: the newest queued score per (line item, learner)."""
