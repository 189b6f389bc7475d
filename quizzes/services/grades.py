"""The learner's grade on a quiz (QuizGrade), kept by the quiz's grading method."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditLog, User
from accounts.services import record
from config.sql import columns, fetch, for_update

from .. import scoring
from ..models import Attempt, AttemptSlot, Quiz, QuizGrade
from ..signals import quiz_grade_changed

if TYPE_CHECKING:
    from .submit import Mark


def _by_method(quiz: Quiz, attempts: Sequence[Attempt]) -> tuple[Decimal, Attempt]:
    method = quiz.grading_method
    if method == Quiz.Grading.FIRST:
        return attempts[0].percent or Decimal(0), attempts[0]
    if method == Quiz.Grading.LATEST:
        return attempts[-1].percent or Decimal(0), attempts[-1]
    if method == Quiz.Grading.AVERAGE:
        total = sum((a.percent or Decimal(0) for a in attempts), Decimal(0))
        return (total / len(attempts)).quantize(Decimal("0.0001")), attempts[-1]
    best = max(attempts, key=lambda a: (a.percent or Decimal(0), -a.number))
    return best.percent or Decimal(0), best


GRADE_SQL = "SELECT {} FROM quizzes_quizgrade g WHERE g.user_id = %s AND g.quiz_id = %s"


def refresh_grade(
    *,
    user_id: int,
    quiz: Quiz,
    now: datetime | None = None,
    attempts: Sequence[Attempt] | None = None,
) -> QuizGrade | None:
    """Recompute the (user, quiz) grade from graded attempts; send the signal if it changed.

    Must run inside the transaction that changed an attempt (three queries; two
    when the caller passes the graded `attempts`, in order of number).
    """
    now = now or timezone.now()
    if attempts is None:
        attempts = list(
            Attempt.objects.filter(
                user_id=user_id, quiz=quiz, state=Attempt.State.FINISHED, needs_grading=False
            )
            .only("id", "number", "percent")
            .order_by("number")
        )
    sql = GRADE_SQL.format(columns(QuizGrade, "g")) + for_update()
    found = fetch(sql, [user_id, quiz.pk], QuizGrade)
    grade = found[0][0] if found else None
    if not attempts and grade is None:
        return None
    created = grade is None
    if grade is None:
        grade = QuizGrade(user_id=user_id, quiz=quiz)
    before = (grade.percent, grade.passed, grade.attempt_id)
    if attempts:
        percent, attempt = _by_method(quiz, attempts)
        grade.attempt = attempt
    else:
        percent = Decimal(0)
        grade.attempt = None
    if grade.override_percent is not None:
        percent = grade.override_percent
    grade.percent = percent
    grade.passed = bool(attempts or grade.override_percent is not None) and (
        percent >= quiz.pass_percent
    )
    if grade.passed and grade.passed_at is None:
        grade.passed_at = now
    elif not grade.passed:
        grade.passed_at = None
    if created or before != (grade.percent, grade.passed, grade.attempt_id):
        grade.save()
        quiz_grade_changed.send(sender=QuizGrade, grade=grade)
    return grade


def _check_grader(actor: User, learner_unit_path: str | None, quiz: Quiz) -> None:
    if actor.is_superuser:
        return
    if not actor.is_trainer or not any(
        (learner_unit_path or "").startswith(p) for p in actor.granted_paths()
    ):
        raise PermissionDenied(_("Học viên nằm ngoài phạm vi quản lý của bạn."))


def recompute_attempt(attempt: Attempt, slots: Sequence[AttemptSlot | Mark]) -> None:
    """Totals of a finished attempt from its slots or their marks (no query)."""
    attempt.max_score = sum((s.max_points for s in slots), Decimal(0))
    attempt.score = sum((s.score or Decimal(0) for s in slots), Decimal(0))
    attempt.needs_grading = any(s.needs_manual for s in slots)
    if attempt.needs_grading:
        attempt.percent = None
        attempt.passed = None
    else:
        attempt.percent = scoring.percent(attempt.score, attempt.max_score)
        attempt.passed = attempt.percent >= attempt.quiz.pass_percent


@transaction.atomic
def grade_slot(
    *, actor: User, slot: AttemptSlot, points: Decimal, comment: str = "", reason: str = ""
) -> Attempt:
    """Mark one question by hand (essays, or correcting an automatic mark)."""
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz", "user__unit")
        .get(pk=slot.attempt_id)
    )
    _check_grader(actor, attempt.user.unit.path if attempt.user.unit else None, attempt.quiz)
    if attempt.is_open:
        raise ValidationError(_("Lượt làm bài chưa nộp, chưa thể chấm."))
    if points < 0 or points > slot.max_points:
        raise ValidationError(
            _("Điểm phải từ 0 đến %(max)s.") % {"max": slot.max_points.normalize()}
        )
    slots = list(attempt.slots.all())
    target = next(s for s in slots if s.pk == slot.pk)
    old_score, old_percent = target.score, attempt.percent
    if old_score is not None and not target.needs_manual and not reason.strip():
        raise ValidationError(_("Cần nêu lý do khi sửa điểm đã chấm."))
    target.score = points
    target.comment = comment
    target.needs_manual = False
    target.graded_by = actor
    target.graded_at = timezone.now()
    target.save(update_fields=["score", "comment", "needs_manual", "graded_by", "graded_at"])
    recompute_attempt(attempt, slots)
    attempt.save(update_fields=["score", "max_score", "percent", "passed", "needs_grading"])
    record(
        actor=actor,
        action=AuditLog.Action.GRADE_CHANGED,
        unit=attempt.user.unit,
        target=attempt,
        data={
            "attempt": attempt.pk,
            "slot": target.pk,
            "old_points": str(old_score) if old_score is not None else None,
            "new_points": str(points),
            "old_percent": str(old_percent) if old_percent is not None else None,
            "new_percent": str(attempt.percent) if attempt.percent is not None else None,
        },
        reason=reason or _("Chấm tay"),
    )
    if not attempt.needs_grading:
        refresh_grade(user_id=attempt.user_id, quiz=attempt.quiz)
    return attempt


@transaction.atomic
def override_grade(
    *, actor: User, learner: User, quiz: Quiz, percent: Decimal | None, reason: str
) -> QuizGrade | None:
    """Set (or clear, with None) a learner's quiz grade by hand; reason required."""
    _check_grader(actor, learner.unit.path if learner.unit else None, quiz)
    if not reason.strip():
        raise ValidationError(_("Cần nêu lý do khi sửa điểm."))
    if percent is not None and not (0 <= percent <= 100):
        raise ValidationError(_("Điểm phải từ 0 đến 100."))
    row, _created = QuizGrade.objects.select_for_update().get_or_create(user=learner, quiz=quiz)
    old = row.percent
    row.override_percent = percent
    row.save(update_fields=["override_percent"])
    grade = refresh_grade(user_id=learner.pk, quiz=quiz)
    record(
        actor=actor,
        action=AuditLog.Action.GRADE_CHANGED,
        unit=learner.unit,
        target=learner,
        data={"quiz": quiz.pk, "old_percent": str(old), "new_percent": str(percent)},
        reason=reason,
    )
    return grade
