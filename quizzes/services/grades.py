"""The learner's grade on a quiz (QuizGrade), kept by the quiz's grading method."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditLog, User
from accounts.services import record
from accounts.text import format_number
from config.sql import columns, fetch, for_update, write

from .. import scoring
from ..models import Attempt, AttemptSlot, QuestionType, Quiz, QuizGrade
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
                user_id=user_id,
                quiz=quiz,
                state=Attempt.State.FINISHED,
                needs_grading=False,
                is_preview=False,
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
        if grade.passed:  # a changed pass is decided again (courses' drain of the passes)
            grade.completion_checked_at = None
        write(grade)  # grade.save() without compiling it (a submit's hot path)
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


def _lock_for_marking(actor: User, slot: AttemptSlot) -> tuple[Attempt, list[AttemptSlot]]:
    """The slot's attempt, locked, with its slots (versions loaded); refuses
    graders outside the learner's units and attempts not yet submitted."""
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz", "user__unit")
        .get(pk=slot.attempt_id)
    )
    _check_grader(actor, attempt.user.unit.path if attempt.user.unit else None, attempt.quiz)
    if attempt.is_open:
        raise ValidationError(_("Lượt làm bài chưa nộp, chưa thể chấm."))
    return attempt, list(attempt.slots.select_related("version"))


def _check_points(points: Decimal, slot: AttemptSlot) -> None:
    if points < 0 or points > slot.max_points:
        raise ValidationError(
            _("Điểm phải từ 0 đến %(max)s.") % {"max": format_number(slot.max_points)}
        )


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _save_marks(
    *,
    actor: User,
    attempt: Attempt,
    slots: list[AttemptSlot],
    target: AttemptSlot,
    before: tuple[Decimal | None, Decimal | None, bool | None],
    reason: str,
    extra: dict[str, Any],
) -> Attempt:
    """Store the target's new mark, the attempt's totals, the audit entry, the grade."""
    target.save(
        update_fields=[
            "score",
            "comment",
            "needs_manual",
            "graded_by",
            "graded_at",
            "override_reason",
        ]
    )
    recompute_attempt(attempt, slots)
    attempt.save(update_fields=["score", "max_score", "percent", "passed", "needs_grading"])
    old_score, old_percent, old_passed = before
    record(
        actor=actor,
        action=AuditLog.Action.GRADE_CHANGED,
        unit=attempt.user.unit,
        target=attempt,
        data={
            "attempt": attempt.pk,
            "slot": target.pk,
            "question": target.position + 1,
            "old_points": _str(old_score),
            "new_points": _str(target.score),
            "old_percent": _str(old_percent),
            "new_percent": _str(attempt.percent),
            "old_passed": old_passed,
            "new_passed": attempt.passed,
            **extra,
        },
        reason=reason,
    )
    if not attempt.needs_grading:
        refresh_grade(user_id=attempt.user_id, quiz=attempt.quiz)
    return attempt


@transaction.atomic
def grade_slot(
    *, actor: User, slot: AttemptSlot, points: Decimal, comment: str = "", reason: str = ""
) -> Attempt:
    """Mark one question by hand (essays, or correcting an automatic mark)."""
    attempt, slots = _lock_for_marking(actor, slot)
    target = next(s for s in slots if s.pk == slot.pk)
    _check_points(points, target)
    before = (target.score, attempt.percent, attempt.passed)
    if target.score is not None and not target.needs_manual and not reason.strip():
        raise ValidationError(_("Cần nêu lý do khi sửa điểm đã chấm."))
    automatic = target.version.type != QuestionType.ESSAY
    target.score = points
    target.comment = comment
    target.needs_manual = False
    target.graded_by = actor
    target.graded_at = timezone.now()
    if automatic:
        target.override_reason = reason.strip()
    return _save_marks(
        actor=actor,
        attempt=attempt,
        slots=slots,
        target=target,
        before=before,
        reason=reason.strip() or _("Chấm tay"),
        extra={"override": "set"} if automatic else {},
    )


@transaction.atomic
def override_slot(
    *,
    actor: User,
    slot: AttemptSlot,
    points: Decimal | None,
    reason: str,
    comment: str | None = None,
) -> Attempt:
    """Replace the automatic mark of a question with the grader's (`points`), or
    give it back to the key (`points=None`). The reason is required and, with
    who, when, the old and the new mark, goes to the audit log; the attempt's
    total and pass/fail and the learner's quiz grade follow, and through it the
    course completion and certificate (courses and certificates listen).

    A replaced mark stays when the key is fixed later (services.regrade keeps
    it and records that it did); giving it back to the key is this call with
    `points=None`.
    """
    attempt, slots = _lock_for_marking(actor, slot)
    target = next(s for s in slots if s.pk == slot.pk)
    if target.version.type == QuestionType.ESSAY:
        raise ValidationError(_("Câu tự luận không có điểm tự động để sửa; hãy chấm điểm câu này."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Cần nêu lý do khi sửa điểm tự động.")})
    automatic = target.automatic_points()
    before = (target.score, attempt.percent, attempt.passed)
    if points is None and not target.is_overridden:
        raise ValidationError(_("Điểm câu này đang là điểm tự động."))
    if points is None:
        target.score = automatic
        target.graded_by = None
        target.graded_at = None
        target.override_reason = ""
    else:
        _check_points(points, target)
        target.score = points
        target.graded_by = actor
        target.graded_at = timezone.now()
        target.override_reason = reason
    if comment is not None:
        target.comment = comment
    return _save_marks(
        actor=actor,
        attempt=attempt,
        slots=slots,
        target=target,
        before=before,
        reason=reason,
        extra={
            "override": "cleared" if points is None else "set",
            "automatic_points": _str(automatic),
        },
    )


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
