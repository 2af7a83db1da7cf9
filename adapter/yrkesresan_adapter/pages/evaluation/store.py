"""Reading and writing evaluation answers and comments, inside the caller's transaction.

A person's own answer is read by scope and ``sub``; everything else is read as
aggregates (:class:`Summary`), never row by row with a person.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Table, delete, distinct, func, select

from yrkesresan_adapter.storage.scope import Executor, Scope
from yrkesresan_lti.catalog.evaluation import OVERALL
from yrkesresan_lti.evaluations import MIN_GROUP, good_share


@dataclass(frozen=True)
class StoredAnswer:
    """One person's answer to one course's evaluation."""

    occasion_iri: str
    ratings: dict[str, int]
    comment: str | None
    first_answered_at: datetime
    answered_at: datetime


@dataclass(frozen=True)
class Summary:
    """Aggregates of one course's answers: question → rating → count, and the comments;
    :attr:`shown` is False below :data:`~yrkesresan_lti.evaluations.MIN_GROUP` people."""

    respondents: int
    distribution: dict[str, dict[int, int]] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.respondents >= MIN_GROUP

    def good_share(self, question: str = OVERALL) -> float | None:
        """Share rating 4–5 ("bra"/"mycket bra") of ``question``."""
        return good_share(self.distribution.get(question, {}))


class EvaluationStore:
    """Over ``page_evaluation_answers`` and ``page_evaluation_comments``."""

    def __init__(self, answers: Table, comments: Table) -> None:
        self.answers = answers
        self.comments = comments

    def mine(self, db: Executor, scope: Scope, sub: str, course_iri: str) -> StoredAnswer | None:
        a = self.answers
        rows = db.execute(
            select(
                a.c.question,
                a.c.rating,
                a.c.occasion_iri,
                a.c.first_answered_at,
                a.c.answered_at,
                a.c.comment_key,
            ).where(scope.where(a), a.c.user_sub == sub, a.c.course_iri == course_iri)
        ).all()
        if not rows:
            return None
        key = rows[0].comment_key
        comment = None
        if key is not None:
            c = self.comments
            comment = db.execute(select(c.c.comment).where(c.c.comment_key == key)).scalar()
        return StoredAnswer(
            occasion_iri=rows[0].occasion_iri,
            ratings={r.question: r.rating for r in rows},
            comment=comment,
            first_answered_at=min(r.first_answered_at for r in rows),
            answered_at=max(r.answered_at for r in rows),
        )

    def save(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        *,
        course_iri: str,
        occasion_iri: str,
        ratings: Mapping[str, int],
        statement_ids: Mapping[str, str],
        comment: str | None,
        first_answered_at: datetime,
        now: datetime,
    ) -> None:
        """Replace the person's answer (and comment) to the course's evaluation."""
        a, c = self.answers, self.comments
        mine = (scope.where(a), a.c.user_sub == sub, a.c.course_iri == course_iri)
        found = db.execute(select(a.c.comment_key).where(*mine).distinct()).scalars().all()
        old_keys = [k for k in found if k is not None]
        if old_keys:
            db.execute(delete(c).where(c.c.comment_key.in_(old_keys)))
        db.execute(delete(a).where(*mine))
        key = None
        if comment is not None:
            key = str(uuid.uuid4())
            db.execute(
                c.insert().values(
                    **scope.values(),
                    course_iri=course_iri,
                    occasion_iri=occasion_iri,
                    comment_key=key,
                    comment=comment,
                    written_on=now.date(),
                )
            )
        rows = [
            {
                **scope.values(),
                "user_sub": sub,
                "course_iri": course_iri,
                "occasion_iri": occasion_iri,
                "question": question,
                "rating": rating,
                "first_answered_at": first_answered_at,
                "answered_at": now,
                "statement_id": statement_ids[question],
                "comment_key": key,
            }
            for question, rating in ratings.items()
        ]
        if rows:
            db.execute(a.insert(), rows)

    def summary(self, db: Executor, scope: Scope | None, course_iri: str) -> Summary:
        """Aggregates of the course's answers in ``scope`` (None: every tenant); counts and
        comments only when at least MIN_GROUP people answered."""
        a, c = self.answers, self.comments
        where = [a.c.course_iri == course_iri]
        if scope is not None:
            where.append(scope.where(a))
        people = db.execute(
            select(func.count(distinct(a.c.user_sub))).where(*where, a.c.question == OVERALL)
        ).scalar_one()
        if people < MIN_GROUP:
            return Summary(people)
        distribution: dict[str, dict[int, int]] = {}
        counted = select(a.c.question, a.c.rating, func.count()).where(*where)
        for question, rating, n in db.execute(counted.group_by(a.c.question, a.c.rating)):
            distribution.setdefault(question, {})[int(rating)] = int(n)
        cwhere = [c.c.course_iri == course_iri]
        if scope is not None:
            cwhere.append(scope.where(c))
        comments = db.execute(select(c.c.comment).where(*cwhere).order_by(c.c.comment)).scalars()
        return Summary(people, distribution, list(comments))
