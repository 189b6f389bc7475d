"""Who may do what with quizzes and attempts (objects outside scope are 404)."""

from __future__ import annotations

from django.http import Http404

from accounts.models import User

from .models import Attempt, Quiz


def may_take(user: User, quiz: Quiz) -> bool:
    """Learners: an active enrolment (courses decides, sequential unlock included).
    Trainers may try any quiz they can read (preview)."""
    if not user.is_authenticated:
        return False
    if user.is_trainer:
        return Quiz.objects.visible_to(user).filter(pk=quiz.pk).exists()
    from courses.services import learner_may_take

    return learner_may_take(user, quiz)


def may_edit_quiz(user: User, quiz: Quiz) -> bool:
    return user.is_superuser or (user.is_trainer and user.can_see_unit(quiz.owner_unit))


def attempt_for(user: User, pk: int) -> Attempt:
    """The user's own attempt, or 404 (another learner's id looks like a missing one)."""
    attempt = Attempt.objects.select_related("quiz").filter(pk=pk, user=user).first()
    if attempt is None:
        raise Http404
    return attempt


def learner_quizzes(user: User) -> list[Quiz]:
    """Quizzes a learner may take now: module quizzes and final exams of their courses."""
    from django.db.models import Q

    candidates = Quiz.objects.filter(
        Q(module__course__enrollments__user=user) | Q(final_exam_of__enrollments__user=user),
        is_published=True,
    ).distinct()
    return [q for q in candidates if may_take(user, q)]
