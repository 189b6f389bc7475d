"""Signal receivers: course completion issues, a failing regrade flags or revokes."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from . import services


def on_course_completed(
    sender: Any, enrollment: Any, completion: Any = None, **kwargs: Any
) -> None:
    """Inside the completing transaction: enqueue only if and when it commits."""
    if completion is None:  # the contract's short form: the enrolment's latest completion
        completion = enrollment.completions.order_by("-completed_at", "-pk").first()
        if completion is None:
            return
    pk = completion.pk
    transaction.on_commit(lambda: services.issue_after_commit(pk))


def on_quiz_grade_changed(sender: Any, grade: Any, **kwargs: Any) -> None:
    if grade.passed:
        return
    services.on_failed_regrade(user_id=grade.user_id, quiz_id=grade.quiz_id)
