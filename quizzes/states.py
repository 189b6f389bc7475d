"""Where a learner stands with each quiz, in the words the pages show.

One rule for every page: passed beats everything; then an attempt in progress,
one waiting for an essay grader, a grade that has not passed; a quiz never taken
is "not open" while locked (an earlier module, its open time) and "not taken"
otherwise. Never "not passed" for a quiz nobody has taken.
"""

from collections.abc import Collection, Iterable
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import Attempt, Quiz, QuizGrade


class QuizState(models.TextChoices):
    NOT_OPEN = "not_open", _("Chưa mở")
    NOT_STARTED = "not_started", _("Chưa làm")
    IN_PROGRESS = "in_progress", _("Đang làm")
    AWAITING_GRADING = "awaiting_grading", _("Chờ chấm")
    NOT_PASSED = "not_passed", _("Chưa đạt")
    PASSED = "passed", _("Đạt")

    @property
    def badge(self) -> str:
        """The badge's CSS class: green for passed, red for not passed, amber for waiting."""
        return {
            "passed": "ok",
            "not_passed": "bad",
            "in_progress": "warn",
            "awaiting_grading": "warn",
        }.get(self.value, "")


def learner_quiz_states(
    *, user: User, quizzes: Iterable[Quiz], now: datetime, locked: Collection[int] = ()
) -> dict[int, QuizState]:
    """quiz id -> state for `user`, in two queries whatever the number of quizzes."""
    quizzes = [q for q in quizzes if q is not None]
    ids = [q.pk for q in quizzes]
    passed = {
        quiz_id: ok
        for quiz_id, ok in QuizGrade.objects.filter(user=user, quiz_id__in=ids).values_list(
            "quiz_id", "passed"
        )
    }
    attempts: dict[int, set[str]] = {}
    for quiz_id, state, needs_grading in Attempt.objects.filter(
        user=user, quiz_id__in=ids, is_preview=False
    ).values_list("quiz_id", "state", "needs_grading"):
        attempts.setdefault(quiz_id, set()).add(
            "open" if state == Attempt.State.OPEN else ("grading" if needs_grading else "done")
        )
    states = {}
    for quiz in quizzes:
        seen = attempts.get(quiz.pk, set())
        if passed.get(quiz.pk):
            states[quiz.pk] = QuizState.PASSED
        elif "open" in seen:
            states[quiz.pk] = QuizState.IN_PROGRESS
        elif "grading" in seen:
            states[quiz.pk] = QuizState.AWAITING_GRADING
        elif seen or quiz.pk in passed:
            states[quiz.pk] = QuizState.NOT_PASSED
        elif quiz.pk in locked or (quiz.open_at is not None and now < quiz.open_at):
            states[quiz.pk] = QuizState.NOT_OPEN
        else:
            states[quiz.pk] = QuizState.NOT_STARTED
    return states
