"""Small worlds for the browser flows, built through the projects' own services.

A course "Sinh hoạt chi bộ" of unit A with one module (one lesson and a
quiz holding one question of every auto-graded type) and the cast's
learner enrolled with a due date. Building it takes well under a second,
so every test gets a fresh one (live_server needs transactional tests, and
module-scoped rows would not survive their flush).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from courses import authoring, services
from courses.models import Course, Lesson
from quizzes.models import Question, QuestionType, Quiz, QuizItem, ReviewWhen
from quizzes.services import create_question, ensure_category_path

from ..quizzes.conftest import EVERY_TYPE

AUTO_GRADED = [t for t in EVERY_TYPE if t[0] != QuestionType.ESSAY]
ESSAY = next(t for t in EVERY_TYPE if t[0] == QuestionType.ESSAY)

# The full-marks response of each auto-graded type in EVERY_TYPE, in quiz order.
RIGHT = {
    "single": {"choice": "a"},
    "multiple": {"choices": ["a", "b"]},
    "truefalse": {"value": True},
    "short": {"text": "Hồ Chí Minh"},
    "numeric": {"value": 27},
    "matching": {"pairs": {"m1": "r1", "m2": "r2"}},
    "ordering": {"order": ["o1", "o2"]},
}


@dataclass
class World:
    course: Course
    lesson: Lesson
    quiz: Quiz
    questions: list[Question]
    due_date: date


def questions(cast: Any, types: list[tuple[Any, ...]]) -> list[Question]:
    bank = ensure_category_path(path="Nội dung mẫu/Nghị quyết 4", owner_unit=cast.unit_a)
    return [
        create_question(actor=cast.trainer_a, category=bank, type=qtype, text=text, data=data)
        for qtype, text, data, _right in types
    ]


def make_quiz(cast: Any, items: list[Question], **fields: Any) -> Quiz:
    fields.setdefault("title", "Kiểm tra học phần 1")
    fields.setdefault("shuffle_choices", False)
    quiz = Quiz.objects.create(owner_unit=cast.unit_a, created_by=cast.trainer_a, **fields)
    QuizItem.objects.bulk_create(
        QuizItem(quiz=quiz, position=i, kind=QuizItem.Kind.FIXED, question=q)
        for i, q in enumerate(items)
    )
    return quiz


def learner_world(
    cast: Any,
    *,
    types: list[tuple[Any, ...]] = AUTO_GRADED,
    code: str = "SHCB",
    **quiz_fields: Any,
) -> World:
    """The learner is enrolled in a published one-module course whose quiz has `types`."""
    items = questions(cast, types)
    quiz_fields.setdefault("review_answers", ReviewWhen.AFTER_SUBMIT)
    quiz = make_quiz(cast, items, **quiz_fields)
    course = authoring.create_course(
        actor=cast.trainer_a, code=code, title="Sinh hoạt chi bộ", owner_unit=cast.unit_a
    )
    module = authoring.add_module(
        actor=cast.trainer_a, course=course, title="Nghị quyết Trung ương 4", quiz=quiz
    )
    lesson = authoring.add_lesson(
        actor=cast.trainer_a,
        module=module,
        title="27 biểu hiện suy thoái",
        body="Nghị quyết Trung ương 4 khóa XII nêu **27 biểu hiện** suy thoái.",
    )
    authoring.set_status(actor=cast.trainer_a, course=course, status="published")
    due = date.today() + timedelta(days=30)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course, due_date=due)
    course.refresh_from_db()
    lesson = Lesson.objects.select_related("module__course").get(pk=lesson.pk)
    return World(course=course, lesson=lesson, quiz=quiz, questions=items, due_date=due)


def complete(world: World, user: Any) -> None:
    """`user` reads the lesson and passes the quiz through the real engine: the course
    completes and (eager tasks) the certificate is issued."""
    from quizzes.services import save_answer, start_attempt, submit_attempt

    services.mark_lesson_done(user=user, lesson=world.lesson)
    attempt = start_attempt(user=user, quiz=world.quiz)
    for slot in attempt.slots.select_related("version").order_by("position"):
        right = RIGHT.get(slot.version.type)
        if right is not None:
            save_answer(user=user, attempt_id=attempt.pk, slot_id=slot.pk, response=right, seq=1)
    submit_attempt(attempt=attempt, user=user)
