"""Submitting: grade exactly once under the attempt's row lock; the expiry sweeper.

The attempt row is the lock that orders saves against submits: a save
updates it conditionally (state open, before the deadline), a submit
selects it FOR UPDATE, so a save either lands before the grading or is
refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User

from .. import scoring
from ..models import (
    Attempt,
    AttemptSlot,
)
from .grades import recompute_attempt, refresh_grade
from .pg import server_binding_cursor

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


def _grade(attempt: Attempt, finished_at: datetime) -> None:
    marks = []
    for pk, max_points, response, qtype, data in AttemptSlot.objects.filter(
        attempt=attempt
    ).values_list("id", "max_points", "response", "version__type", "version__data"):
        share = scoring.fraction(qtype, data, response)
        score = None if share is None else scoring.points(max_points, share)
        marks.append(Mark(pk, max_points, score, share is None))
    _write_scores(marks)
    attempt.state = Attempt.State.FINISHED
    attempt.finished_at = finished_at
    recompute_attempt(attempt, marks)
    attempt.save(
        update_fields=[
            "state",
            "finished_at",
            "auto_submitted",
            "score",
            "max_score",
            "percent",
            "passed",
            "needs_grading",
        ]
    )
    if not attempt.needs_grading:
        refresh_grade(user_id=attempt.user_id, quiz=attempt.quiz, now=finished_at)


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
        rows = Attempt.objects.select_for_update(of=("self",)).select_related("quiz")
        if user is not None:
            rows = rows.filter(user=user)
        locked = rows.filter(pk=attempt.pk).first()
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
