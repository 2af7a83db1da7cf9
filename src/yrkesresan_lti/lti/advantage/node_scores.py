"""What a placed catalog node scores: the tasks inside it, and a learner's score on it.

A placement (a resource link with a line item, deep-linked to a node) scores *tasks done
within that node / tasks in that node*: a journey counts every task of its courses (each
course once, whichever phase or stage lists it), a phase or stage its courses' tasks, a
course its preparation and follow-up tasks, a course part its tasks, a task itself.

A course with course days scores them too (:func:`course_score`): each day of the
learner's occasion counts like a task, so a course placement reaches its full score only
when the course is completed by the rule of :mod:`yrkesresan_lti.completion`, and a
withdrawn attendance lowers it again.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from yrkesresan_lti.catalog import AnyNode, Checklist, Course, Journey, Phase, Stage, Task
from yrkesresan_lti.completion import CourseDaysState
from yrkesresan_lti.lti.advantage.ags_models import Score


def node_task_iris(node: AnyNode) -> frozenset[str]:
    """The IRIs of the tasks inside ``node`` (empty for goals, occasions, course days)."""
    if isinstance(node, Task):
        return frozenset((node.iri,))
    if isinstance(node, Checklist | Course):
        return frozenset(t.iri for t in node.tasks)
    if isinstance(node, Phase | Stage):
        return frozenset(t.iri for c in node.courses for t in c.tasks)
    if isinstance(node, Journey):
        return frozenset(t.iri for step in node.steps for c in step.courses for t in c.tasks)
    return frozenset()


def node_score(
    user_id: str, tasks: frozenset[str], completed: Collection[str], at: datetime
) -> Score:
    """The score of ``user_id`` on a node with ``tasks`` (at least one), given what is done."""
    done = sum(1 for iri in tasks if iri in completed)
    return Score.for_progress(user_id, done, len(tasks), at)


def course_score(
    user_id: str,
    tasks: frozenset[str],
    completed: Collection[str],
    days: CourseDaysState,
    at: datetime,
) -> Score:
    """The score of ``user_id`` on a course placement: its tasks and, when the course has
    course days, the days of the learner's occasion (attended ones done). A learner not
    registered for an occasion yet has one course-day item, not done, so the score stays
    below full until the course is completed."""
    done = sum(1 for iri in tasks if iri in completed)
    part = days.tally
    return Score.for_progress(user_id, done + part.done, len(tasks) + part.total, at)
