"""Course fixtures built through the courses services."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from courses import authoring, services
from courses.models import Course, Lesson, Module
from quizzes.models import Quiz, QuizGrade


@pytest.fixture
def make_course(cast):  # type: ignore[no-untyped-def]
    """make_course(modules=2, lessons=2, quiz=True, **fields) -> a published course of unit A."""

    def _make(
        modules: int = 2,
        lessons: int = 2,
        quiz: bool = False,
        publish: bool = True,
        code: str | None = None,
        **fields: Any,
    ) -> Course:
        n = Course.objects.count() + 1
        fields.setdefault("title", f"Khóa học {n}")
        fields.setdefault("owner_unit", cast.unit_a)
        course = authoring.create_course(
            actor=fields.pop("actor", cast.trainer_a), code=code or f"KH{n:03d}", **fields
        )
        for m in range(modules):
            q = (
                Quiz.objects.create(title=f"Kiểm tra {n}.{m}", owner_unit=cast.unit_a)
                if quiz
                else None
            )
            module = authoring.add_module(
                actor=cast.trainer_a, course=course, title=f"Học phần {m + 1}", quiz=q
            )
            for i in range(lessons):
                authoring.add_lesson(
                    actor=cast.trainer_a,
                    module=module,
                    title=f"Bài {m + 1}.{i + 1}",
                    body="Nội dung **mẫu**",
                )
        if publish:
            authoring.set_status(actor=cast.trainer_a, course=course, status="published")
        course.refresh_from_db()
        return course

    return _make


@pytest.fixture
def pass_quiz():  # type: ignore[no-untyped-def]
    """pass_quiz(user, quiz, percent=80) -> a passing QuizGrade, announced like the engine
    does; the grading commits, so what it enqueued (the completion) runs."""
    from django.test import TestCase

    from quizzes.signals import quiz_grade_changed

    def _pass(user, quiz, percent: int = 80, passed: bool = True, at=None):  # type: ignore[no-untyped-def]
        at = at or timezone.now()
        with TestCase.captureOnCommitCallbacks(execute=True):
            grade, _ = QuizGrade.objects.update_or_create(
                user=user,
                quiz=quiz,
                defaults={
                    "percent": Decimal(percent),
                    "passed": passed,
                    "passed_at": at if passed else None,
                },
            )
            quiz_grade_changed.send(sender=QuizGrade, grade=grade)
        return grade

    return _pass


def lessons_of(course: Course) -> list[Lesson]:
    return list(Lesson.objects.filter(module__course=course).order_by("module__order", "order"))


def modules_of(course: Course) -> list[Module]:
    return list(course.modules.order_by("order"))


def finish_lessons(user, course: Course) -> None:  # type: ignore[no-untyped-def]
    for lesson in lessons_of(course):
        services.mark_lesson_done(user=user, lesson=lesson)


def days(n: int) -> timedelta:
    return timedelta(days=n)
