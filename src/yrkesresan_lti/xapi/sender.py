"""Sending statements in batches: what to do with each answer, per statement.

The LRS client (:mod:`yrkesresan_lti.xapi.client`) does the HTTP; this module decides.
A batch is split when the LRS refuses its content (400/413/422) until the refused statement
is alone. A **409** (some id is known: Ralph answers it for a *different* statement, ADL's
LRS for any known id, identical or not) is resolved by reading each statement back and
comparing meaning, not bytes (:mod:`yrkesresan_lti.xapi.sameness`). A batch that keeps
failing with **500** is split too, one try per half, to find the statement the LRS cannot
store; it is rejected only if the LRS took others meanwhile (else the LRS looks down and
everything waits).
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from yrkesresan_lti.exceptions import LrsError, LrsRejected
from yrkesresan_lti.logs.redact import without_identities
from yrkesresan_lti.xapi.conflicts import log_conflict
from yrkesresan_lti.xapi.sameness import differing_fields, same_statement
from yrkesresan_lti.xapi.transport import TransportResponse, answer_reason

log = logging.getLogger("yrkesresan.lrs")

# Answers about the content of a batch: split it until the refused statement is alone.
# 400 bad statement, 413 too large, 422 what some LRSs (Ralph) answer for a statement that
# does not validate. (409 is resolved by reading back; 500 after retries is split too.)
_SPLIT = frozenset({400, 413, 422})
# Failed 500 answers with nothing stored in between before the LRS counts as down (not one
# statement it cannot store): the split stops and everything waits for a later attempt.
_DOWN_AFTER = 4


class Outcome(StrEnum):
    """What became of one statement sent to an LRS."""

    DELIVERED = "delivered"
    REJECTED = "rejected"  # for good: retrying will not help
    RETRY_LATER = "retry-later"


@dataclass(frozen=True)
class OutgoingStatement:
    """A statement ready to send: its id and its exact serialized bytes."""

    id: str
    body: bytes

    @classmethod
    def of(cls, body: bytes) -> OutgoingStatement:
        """The bytes as they are, with the statement id read from them."""
        try:
            statement_id = json.loads(body)["id"]
        except (ValueError, KeyError, TypeError) as err:
            raise LrsRejected("statement bytes must be a JSON object with an 'id'") from err
        return cls(str(statement_id), body)


@dataclass(frozen=True, slots=True)  # slots: cheaper to make, 500 per answer
class DeliveryResult:
    """The result for one statement: id, outcome, and reason or status when not delivered."""

    statement_id: str
    outcome: Outcome
    reason: str | None = None
    status: int | None = None


PostPart = Callable[[Sequence[OutgoingStatement], bool], tuple[TransportResponse | None, str]]
"""POST statements as one batch (``True``: one try, no retries); ``None`` if unavailable."""
ReadStored = Callable[[str], "dict[str, Any] | None"]
"""The LRS's copy of a statement (voided ones too), ``None`` if it has none."""


class StatementSender:
    """One :meth:`send` per call of :meth:`LrsClient.send`; collaborators are callables."""

    def __init__(
        self, target_name: str, batch_size: int, *, post: PostPart, read: ReadStored
    ) -> None:
        self.target_name = target_name
        self.batch_size = batch_size
        self._post = post
        self._read = read

    def send(self, statements: Iterable[bytes | OutgoingStatement]) -> list[DeliveryResult]:
        """POST the statements in batches; one result per statement, in the given order."""
        items = [
            s if isinstance(s, OutgoingStatement) else OutgoingStatement.of(s) for s in statements
        ]
        run = _SendRun(items)
        size = self.batch_size
        batches = deque(
            _Part(list(range(i, min(i + size, len(items))))) for i in range(0, len(items), size)
        )
        self._drain(run, batches)
        self._judge_suspects(run)
        return [r for r in run.results if r is not None]

    def _drain(self, run: _SendRun, queue: deque[_Part]) -> bool:
        """Post the parts of ``queue`` (parts a 409 or 400 leaves join its end); False when
        the LRS is unavailable: every undecided statement then waits for a later attempt."""
        while queue:
            part = queue.popleft()
            answer, why = self._post([run.items[i] for i in part.indices], part.probe)
            if answer is None:  # unavailable: this and everything after it waits
                run.stop(why)
                return False
            status = answer.status
            if 200 <= status < 300:
                run.worked = True
                results, items, delivered = run.results, run.items, Outcome.DELIVERED
                for idx in part.indices:  # between an answer and the next POST: positional
                    results[idx] = DeliveryResult(items[idx].id, delivered, None, status)
            elif status == 409:
                self._resolve_conflict(run, part, answer, queue)
            elif status in _SPLIT and len(part.indices) > 1:  # find the refused statement(s)
                queue.extend(part.halves(probe=part.probe))
            elif status in _SPLIT:
                self._reject(run, part.indices[0], answer)
            elif status == 500:  # after its retries: maybe one statement the LRS cannot store
                if not self._isolate(run, part, answer, queue):
                    return False
            else:  # 401/403/404/...: the LRS or our configuration is wrong, not the statement
                run.stop(answer_reason(answer), status)
                return False
        return True

    def _isolate(
        self, run: _SendRun, part: _Part, answer: TransportResponse, queue: deque[_Part]
    ) -> bool:
        """A part that kept failing with 500: split it down to the statement the LRS cannot
        store, halves one try each, level by level, before any later batch. False when the
        LRS looks down instead (nothing stored and more than ``_DOWN_AFTER`` failures)."""
        if not run.worked:
            run.failures_before_success += 1
            if run.failures_before_success > _DOWN_AFTER:
                run.stop(answer_reason(answer), answer.status)
                return False
        if len(part.indices) == 1:  # judged at the end: did the LRS take anything else?
            run.suspects.append((part.indices[0], answer))
            return True
        if part.probe:  # already inside a split: the next level joins its queue
            queue.extend(part.halves(probe=True))
            return True
        return self._drain(run, deque(part.halves(probe=True)))

    def _judge_suspects(self, run: _SendRun) -> None:
        """A statement that failed alone with 500 is dead-lettered only if the LRS stored
        others in this run (it works, this one it cannot take) and does not hold it."""
        for idx, answer in run.suspects:
            if run.results[idx] is not None:
                continue
            if not run.worked:
                why = f"{answer_reason(answer)} (and the LRS took nothing else: retrying later)"
                run.wait([idx], why, answer.status)
            elif not self._read_back(run, idx, answer):
                self._reject(run, idx, answer)

    def _resolve_conflict(
        self, run: _SendRun, part: _Part, answer: TransportResponse, queue: deque[_Part]
    ) -> None:
        """409: some id of the part is known. Read each statement back: the same statement
        (meaning, not bytes) is delivered, another one is a conflict, one the LRS does not
        show is posted again (once; a second 409 for it waits for a later attempt)."""
        missing = [idx for idx in part.indices if not self._read_back(run, idx, answer)]
        if not missing:
            return
        if part.reposted:
            why = (
                f"{answer_reason(answer)} (the LRS answered 409 but does not return the statement)"
            )
            run.wait(missing, why, 409)
        else:
            queue.append(_Part(missing, reposted=True))

    def _read_back(self, run: _SendRun, idx: int, answer: TransportResponse) -> bool:
        """Compare the statement with the LRS's copy and record the outcome: delivered if
        it is the same, a conflict (after a 409) if not. False: no outcome recorded (the
        LRS does not have it, or holds another one after a 500)."""
        item = run.items[idx]
        try:
            stored = self._read(item.id)
        except LrsError as err:
            why = f"{answer_reason(answer)} (reading it back failed: {err})"
            run.results[idx] = DeliveryResult(item.id, Outcome.RETRY_LATER, why, answer.status)
            return True
        if stored is None:
            return False
        sent = json.loads(item.body)
        if same_statement(sent, stored):
            log.info(
                "lrs_already_stored",
                extra={
                    "event": "lrs_already_stored",
                    "target": self.target_name,
                    "statement_id": item.id,
                    "status": answer.status,
                },
            )
            run.results[idx] = DeliveryResult(item.id, Outcome.DELIVERED, status=answer.status)
            return True
        if answer.status != 409:
            return False
        fields = differing_fields(sent, stored)
        why = f"{answer_reason(answer)} (a different statement has this id: {', '.join(fields)})"
        log_conflict(self.target_name, item.id, sent, stored, fields)
        run.results[idx] = DeliveryResult(item.id, Outcome.REJECTED, why, 409)
        return True

    def _reject(self, run: _SendRun, idx: int, answer: TransportResponse) -> None:
        item = run.items[idx]
        why = without_identities(answer_reason(answer), item.body)  # it may quote our request
        run.results[idx] = DeliveryResult(item.id, Outcome.REJECTED, why, answer.status)
        log.warning(
            "lrs_rejected",
            extra={
                "event": "lrs_rejected",
                "target": self.target_name,
                "statement_id": item.id,
                "status": answer.status,
                "reason": why,
            },
        )


@dataclass
class _Part:
    """Indices of statements posted together; ``probe``: a half of a part that kept failing
    (one try, no backoff); ``reposted``: not found on read-back after a 409, posted again."""

    indices: list[int]
    probe: bool = False
    reposted: bool = False

    def halves(self, *, probe: bool = False) -> list[_Part]:
        half = len(self.indices) // 2
        return [_Part(self.indices[:half], probe), _Part(self.indices[half:], probe)]


@dataclass
class _SendRun:
    """The state of one send: results so far, and what the LRS showed of its health."""

    items: list[OutgoingStatement]
    results: list[DeliveryResult | None] = field(default_factory=list)
    worked: bool = False  # the LRS stored something in this run: it is up
    failures_before_success: int = 0
    suspects: list[tuple[int, TransportResponse]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.results = [None] * len(self.items)

    def wait(self, indices: Iterable[int], why: str, status: int | None = None) -> None:
        """These statements wait for a later attempt."""
        for idx in indices:
            self.results[idx] = DeliveryResult(self.items[idx].id, Outcome.RETRY_LATER, why, status)

    def stop(self, why: str, status: int | None = None) -> None:
        """The LRS cannot take more now: every undecided statement waits (except the
        suspects of a 500, judged at the end)."""
        suspects = {idx for idx, _ in self.suspects}
        undecided = [i for i, r in enumerate(self.results) if r is None and i not in suspects]
        self.wait(undecided, why, status)
