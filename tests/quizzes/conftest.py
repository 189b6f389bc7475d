"""Builders for quiz tests: a bank with every question type, quizzes, enrolment."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from accounts.models import User
from quizzes.models import Question, QuestionCategory, QuestionType, Quiz, QuizItem
from quizzes.services import create_question, ensure_category_path

# One question of each type, with the response that earns full marks.
EVERY_TYPE: list[tuple[str, str, dict[str, Any], dict[str, Any] | None]] = [
    (
        QuestionType.SINGLE,
        "Nghị quyết Trung ương 4 khóa XII được ban hành ngày nào?",
        {
            "choices": [
                {"id": "a", "text": "30/10/2016", "fraction": 1, "feedback": "Chính xác."},
                {
                    "id": "b",
                    "text": "15/5/2016",
                    "fraction": 0,
                    "feedback": "Đó là ngày của Chỉ thị 05.",
                },
                {"id": "c", "text": "01/01/2017", "fraction": 0},
            ]
        },
        {"choice": "a"},
    ),
    (
        QuestionType.MULTIPLE,
        "Những nhóm nào thuộc 27 biểu hiện suy thoái?",
        {
            "choices": [
                {"id": "a", "text": "Tư tưởng chính trị", "fraction": 0.5},
                {"id": "b", "text": "Đạo đức, lối sống", "fraction": 0.5},
                {"id": "c", "text": "Thể thao", "fraction": -0.5},
            ]
        },
        {"choices": ["a", "b"]},
    ),
    (
        QuestionType.TRUE_FALSE,
        "Nghị quyết 4 nêu 27 biểu hiện suy thoái.",
        {"answer": True},
        {"value": True},
    ),
    (
        QuestionType.SHORT,
        "Chỉ thị 05-CT/TW là về học tập và làm theo tư tưởng, đạo đức, phong cách của ai?",
        {"answers": [{"text": "Hồ Chí Minh", "fraction": 1}], "accent_insensitive": True},
        {"text": "ho chi minh"},
    ),
    (
        QuestionType.NUMERIC,
        "Nghị quyết 4 nêu bao nhiêu biểu hiện suy thoái?",
        {"answers": [{"value": 27, "tolerance": 0, "fraction": 1}]},
        {"value": 27},
    ),
    (
        QuestionType.MATCHING,
        "Ghép văn bản với ngày ban hành.",
        {
            "rights": [{"id": "r1", "text": "30/10/2016"}, {"id": "r2", "text": "15/5/2016"}],
            "pairs": [
                {"id": "m1", "left": "Nghị quyết 04-NQ/TW", "right_id": "r1"},
                {"id": "m2", "left": "Chỉ thị 05-CT/TW", "right_id": "r2"},
            ],
        },
        {"pairs": {"m1": "r1", "m2": "r2"}},
    ),
    (
        QuestionType.ORDERING,
        "Sắp xếp theo thời gian ban hành.",
        {
            "items": [
                {"id": "o1", "text": "Chỉ thị 05-CT/TW"},
                {"id": "o2", "text": "Nghị quyết 04-NQ/TW"},
            ]
        },
        {"order": ["o1", "o2"]},
    ),
    (
        QuestionType.ESSAY,
        "Nêu một biện pháp nâng cao chất lượng sinh hoạt chi bộ.",
        {"rubric": "Nêu được biện pháp cụ thể."},
        None,
    ),
]


@pytest.fixture
def bank(cast) -> QuestionCategory:  # type: ignore[no-untyped-def]
    return ensure_category_path(path="Nội dung mẫu/Nghị quyết 4", owner_unit=cast.unit_a)


@pytest.fixture
def make_questions(cast, bank) -> Callable[..., list[Question]]:  # type: ignore[no-untyped-def]
    def _make(types: list[str] | None = None, copies: int = 1) -> list[Question]:
        out = []
        for n in range(copies):
            for qtype, text, data, _right in EVERY_TYPE:
                if types is None or qtype in types:
                    out.append(
                        create_question(
                            actor=cast.trainer_a,
                            category=bank,
                            type=qtype,
                            text=f"{text} ({n + 1})" if copies > 1 else text,
                            data=data,
                        )
                    )
        return out

    return _make


@pytest.fixture
def make_quiz(cast) -> Callable[..., Quiz]:  # type: ignore[no-untyped-def]
    def _make(
        questions: list[Question] = (), enrol: list[User] | None = None, **fields: Any
    ) -> Quiz:
        fields.setdefault("title", "Kiểm tra học phần 1")
        fields.setdefault("shuffle_choices", False)
        quiz = Quiz.objects.create(owner_unit=cast.unit_a, created_by=cast.trainer_a, **fields)
        QuizItem.objects.bulk_create(
            QuizItem(quiz=quiz, position=i, kind=QuizItem.Kind.FIXED, question=q)
            for i, q in enumerate(questions)
        )
        for learner in enrol or []:
            enrol_in(cast, quiz, learner)
        return quiz

    return _make


_courses = iter(range(1, 10**6))


def enrol_in(cast, quiz: Quiz, learner: User) -> None:  # type: ignore[no-untyped-def]
    """Attach `quiz` to a published course module (once) and enrol `learner`."""
    from courses import authoring, services
    from courses.models import Module

    module = Module.objects.filter(quiz=quiz).select_related("course").first()
    if module is None:
        course = authoring.create_course(
            actor=cast.trainer_a,
            code=f"KT{next(_courses)}",
            title="Khóa học thử",
            owner_unit=cast.unit_a,
        )
        module = authoring.add_module(
            actor=cast.trainer_a, course=course, title="Học phần 1", quiz=quiz
        )
        authoring.set_status(actor=cast.trainer_a, course=course, status="published")
    services.enrol_user(actor=cast.admin, user=learner, course=module.course)


@pytest.fixture
def right_answers() -> dict[str, dict[str, Any] | None]:
    return {qtype: right for qtype, _t, _d, right in EVERY_TYPE}


ONE = Decimal(1)
