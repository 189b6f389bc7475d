"""Helpers shared by the course pages."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse

from accounts.models import User


def require_trainer(request: Any) -> User:
    if not request.user.is_trainer:
        raise PermissionDenied
    return request.user


def require_admin(request: Any) -> User:
    if not request.user.is_unit_admin:
        raise PermissionDenied
    return request.user


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


def apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def quiz_url(quiz: Any) -> str:
    """Where a learner takes `quiz` (the quiz engine's page, when it exists)."""
    if quiz is None:
        return ""
    if hasattr(quiz, "get_absolute_url"):
        return quiz.get_absolute_url()
    for name in ("frontend:quiz-detail", "frontend:quiz-start", "quizzes:quiz-detail"):
        try:
            return reverse(name, args=[quiz.pk])
        except NoReverseMatch:
            continue
    return ""


def step_url(step: dict[str, Any] | None) -> str:
    if not step:
        return ""
    if step["kind"] == "lesson":
        return step["object"].get_absolute_url()
    if step["kind"] == "requirement":  # courses.requirements.Step
        return str(step["object"].url)
    return quiz_url(step["object"])
