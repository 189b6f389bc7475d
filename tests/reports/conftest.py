"""Builders for report tests: a course with a quiz of single-choice questions,
learners in units A1 and B1, and attempts taken through the quiz engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import TestCase

from accounts.models import Unit, User
from accounts.services import create_user
from courses import authoring, services
from courses.models import Course
from quizzes.models import Attempt, AttemptSlot, Quiz, QuizItem
from quizzes.services import create_question, ensure_category_path, save_answer, start_attempt
from quizzes.services import submit_attempt as submit

TAGS = ["Nghị quyết 4 — tư tưởng chính trị", "Chỉ thị 05", "Sinh hoạt chi bộ"]


@dataclass
class Setup:
    course: Course
    quiz: Quiz
    questions: list[Any]


def single(n: int) -> dict[str, Any]:
    return {
        "choices": [
            {"id": "a", "text": f"Đáp án đúng {n}", "fraction": 1},
            {"id": "b", "text": f"Phương án nhiễu B {n}", "fraction": 0},
            {"id": "c", "text": f"Phương án nhiễu C {n}", "fraction": 0},
        ]
    }


@pytest.fixture
def setup(cast) -> Callable[..., Setup]:  # type: ignore[no-untyped-def]
    """setup(questions=5, quizzes=1) -> a published course of unit A whose
    module quizzes hold `questions` single-choice questions (right answer "a")."""

    counter = iter(range(1, 1000))

    def _make(questions: int = 5, quizzes: int = 1, **quiz_fields: Any) -> Setup:
        n = next(counter)
        bank = ensure_category_path(path=f"Nội dung mẫu/Báo cáo {n}", owner_unit=cast.unit_a)
        qs = [
            create_question(
                actor=cast.trainer_a,
                category=bank,
                type="single",
                text=f"Câu hỏi {i + 1} về công tác xây dựng Đảng",
                data=single(i + 1),
                tags=[TAGS[i % len(TAGS)]],
            )
            for i in range(questions)
        ]
        course = authoring.create_course(
            actor=cast.trainer_a,
            code=f"BC{n}",
            title=f"Bồi dưỡng cấp ủy viên mới {n}",
            owner_unit=cast.unit_a,
        )
        made = []
        for m in range(quizzes):
            quiz_fields.setdefault("shuffle_choices", False)
            quiz_fields.setdefault("attempts_allowed", 0)
            quiz = Quiz.objects.create(
                title=f"Kiểm tra học phần {m + 1}",
                owner_unit=cast.unit_a,
                created_by=cast.trainer_a,
                **quiz_fields,
            )
            QuizItem.objects.bulk_create(
                QuizItem(quiz=quiz, position=i, kind=QuizItem.Kind.FIXED, question=q)
                for i, q in enumerate(qs)
            )
            authoring.add_module(
                actor=cast.trainer_a, course=course, title=f"Học phần {m + 1}", quiz=quiz
            )
            made.append(quiz)
        authoring.set_status(actor=cast.trainer_a, course=course, status="published")
        course.refresh_from_db()
        return Setup(course=course, quiz=made[0], questions=qs)

    return _make


@pytest.fixture
def learners(cast) -> Callable[..., list[User]]:  # type: ignore[no-untyped-def]
    """learners(n, unit, prefix) -> n new learners of `unit`."""

    def _make(n: int, unit: Unit, prefix: str = "hv") -> list[User]:
        start = User.objects.count()
        return [
            create_user(
                actor=cast.superuser,
                username=f"{prefix}{start + i}",
                full_name=f"Học viên {prefix.upper()} {start + i}",
                unit=unit,
            )
            for i in range(n)
        ]

    return _make


def enrol(cast, course: Course, people: list[User], **kw: Any) -> None:  # type: ignore[no-untyped-def]
    for person in people:
        services.enrol_user(actor=cast.admin, user=person, course=course, **kw)


def take(user: User, quiz: Quiz, picks: list[str | None], finish: bool = True) -> Attempt:
    """Answer position i with choice picks[i] (None: leave blank), then submit."""
    attempt = start_attempt(user=user, quiz=quiz)
    slots = list(AttemptSlot.objects.filter(attempt=attempt).order_by("position"))
    for slot, pick in zip(slots, picks, strict=False):
        if pick is not None:
            save_answer(
                user=user, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": pick}, seq=1
            )
    if finish:
        # As in production, the grading commits and what it enqueued runs (completion).
        with TestCase.captureOnCommitCallbacks(execute=True):
            attempt = submit(attempt=attempt)
    return attempt


def answers(pattern: str) -> list[str | None]:
    """ "1101-" -> ["a", "a", "b", "a", None]: 1 right, 0 wrong (b), - blank."""
    return [{"1": "a", "0": "b", "-": None}[ch] for ch in pattern]
