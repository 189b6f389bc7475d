"""Submitting: grade exactly once under the attempt's row lock; the expiry sweeper.

The attempt row is the lock that orders saves against submits: a save
updates it conditionally (state open, before the deadline), a submit
selects it FOR UPDATE, so a save either lands before the grading or is
refused.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from config.sql import columns, fetch, for_update, server_binding_cursor, write

from .. import scoring
from ..models import (
    Attempt,
    AttemptSlot,
    QuestionType,
    Quiz,
)
from .grades import recompute_attempt, refresh_grade

# PostgreSQL: every slot's score in one statement. Django's bulk_update builds a
# CASE WHEN per row and field, which cost more CPU than the whole rest of a submit.
SCORES_SQL = """
UPDATE quizzes_attemptslot AS s SET score = v.score, needs_manual = v.needs_manual
FROM unnest(%s::bigint[], %s::numeric[], %s::boolean[]) AS v(id, score, needs_manual)
WHERE s.id = v.id
"""


@dataclass
class Mark:
    """A slot's mark, computed at submit (not a model instance: 40 of those cost more
    CPU than the whole rest of the grading)."""

    pk: int
    max_points: Decimal
    score: Decimal | None
    needs_manual: bool


def _write_scores(marks: list[Mark]) -> None:
    if connection.vendor != "postgresql":
        slots = [AttemptSlot(pk=m.pk, score=m.score, needs_manual=m.needs_manual) for m in marks]
        AttemptSlot.objects.bulk_update(slots, ["score", "needs_manual"], batch_size=1000)
        return
    with server_binding_cursor() as cursor:
        cursor.execute(
            SCORES_SQL,
            [[m.pk for m in marks], [m.score for m in marks], [m.needs_manual for m in marks]],
        )


# The slots' marks as plain rows: 40 model instances (or the ORM's values_list
# query) cost more CPU than the rest of the grading.
SLOTS_SQL = """
SELECT s.id, s.max_points, s.response, v.type, v.data
FROM quizzes_attemptslot s JOIN quizzes_questionversion v ON v.id = s.version_id
WHERE s.attempt_id = %s
"""


def _slot_rows(attempt_id: int) -> list[tuple[int, Decimal, Any, str, Any]]:
    """(slot id, max points, response, question type, question data), the JSON
    columns as their text: Django has psycopg return them undecoded."""
    with connection.cursor() as cursor:
        cursor.execute(SLOTS_SQL, [attempt_id])
        rows = cursor.fetchall()
    return [
        (pk, Decimal(str(max_points)), response, qtype, data)  # SQLite: points as a float
        for pk, max_points, response, qtype, data in rows
    ]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


# What a response earns, by (type, the question's data, the response) as the
# database gives them. A wave's learners give the same few responses to the same
# questions: decoding both JSON texts and scoring them was most of a submit's
# grading (80 json.loads for 40 slots). Keyed by the texts themselves, a key fix
# (regrade) is a new key, never a stale share. Each question's text is kept once
# (`_texts`), so an entry costs its response, not its question.
_shares: dict[tuple[str, str, str | None], Decimal | None] = {}
_texts: dict[str, str] = {}
SHARES_MAX = 20_000


def _share(qtype: str, data: Any, response: Any) -> Decimal | None:
    if qtype == QuestionType.ESSAY or not isinstance(data, str):
        return scoring.fraction(qtype, _json(data), _json(response))  # nothing worth keeping
    key = (qtype, data, response)
    try:
        return _shares[key]
    except KeyError:
        pass
    except TypeError:  # a response decoded already: nothing to key by
        return scoring.fraction(qtype, _json(data), _json(response))
    share = scoring.fraction(qtype, _json(data), _json(response))
    if len(_shares) >= SHARES_MAX:  # any can go: the oldest quarter
        for oldest in list(itertools.islice(_shares, SHARES_MAX // 4)):
            _shares.pop(oldest, None)
        if len(_texts) >= SHARES_MAX // 4:
            _texts.clear()
    _shares[(qtype, _texts.setdefault(data, data), response)] = share
    return share


GRADED_FIELDS = (
    "state",
    "finished_at",
    "auto_submitted",
    "score",
    "max_score",
    "percent",
    "passed",
    "needs_grading",
)


def _grade(attempt: Attempt, finished_at: datetime) -> None:
    marks = []
    for pk, max_points, response, qtype, data in _slot_rows(attempt.pk):
        share = _share(qtype, data, response)
        score = None if share is None else scoring.points(max_points, share)
        marks.append(Mark(pk, max_points, score, share is None))
    _write_scores(marks)
    attempt.state = Attempt.State.FINISHED
    attempt.finished_at = finished_at
    recompute_attempt(attempt, marks)
    write(attempt, GRADED_FIELDS)
    if not attempt.needs_grading and not attempt.is_preview:
        # A first attempt is the only one there is: nothing else to read.
        others = [attempt] if attempt.number == 1 else None
        refresh_grade(user_id=attempt.user_id, quiz=attempt.quiz, now=finished_at, attempts=others)


def _locked(attempt_id: int, user: User | None) -> Attempt | None:
    """The attempt with its quiz, its row locked for the grading (one statement)."""
    sql = (
        f"SELECT {columns(Attempt, 'a')}, {columns(Quiz, 'q')} "
        "FROM quizzes_attempt a JOIN quizzes_quiz q ON q.id = a.quiz_id WHERE a.id = %s"
    )
    params: list[Any] = [attempt_id]
    if user is not None:
        sql += " AND a.user_id = %s"
        params.append(user.pk)
    rows = fetch(sql + for_update(of="a"), params, Attempt, Quiz)
    if not rows:
        return None
    locked, quiz = rows[0]
    locked.quiz = quiz
    return locked


def submit_attempt(
    *, attempt: Attempt, user: User | None = None, now: datetime | None = None, auto: bool = False
) -> Attempt:
    """Finish and grade an attempt exactly once, however many times it is called.

    Past `submit_by` the attempt is finalised as of its deadline. With `user`,
    another user's attempt raises Attempt.DoesNotExist.
    """
    now = now or timezone.now()
    # savepoint=False: outermost in every caller (views, tasks); saves two queries when nested.
    with transaction.atomic(savepoint=False):
        locked = _locked(attempt.pk, user)
        if locked is not None and locked.is_open:
            finished_at = now
            if locked.submit_by is not None and now >= locked.submit_by:
                finished_at = locked.deadline or locked.submit_by
                auto = True
            locked.auto_submitted = auto
            _grade(locked, finished_at)
    if locked is None:
        raise Attempt.DoesNotExist
    return locked


def finalise_overdue(*, now: datetime | None = None, limit: int = 500) -> int:
    """Finish open attempts past their last moment (the periodic sweeper)."""
    now = now or timezone.now()
    ids = list(
        Attempt.objects.filter(state=Attempt.State.OPEN, submit_by__lte=now)
        .order_by("submit_by")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        submit_attempt(attempt=Attempt(pk=pk), now=now, auto=True)
    return len(ids)
