"""The whole path of the issue's "done when", through pages and the real quiz engine."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import User
from courses.models import Completion, Course, Enrollment
from quizzes.models import QuestionType, Quiz, QuizItem
from quizzes.services import create_question, ensure_category_path
from quizzes.services.attempts import save_answer, start_attempt, submit_attempt

pytestmark = pytest.mark.django_db


def make_quiz(cast) -> Quiz:  # type: ignore[no-untyped-def]
    bank = ensure_category_path(path="Nội dung mẫu/Sinh hoạt chi bộ", owner_unit=cast.unit_a)
    question = create_question(
        actor=cast.trainer_a,
        category=bank,
        type=QuestionType.TRUE_FALSE,
        text="Chi bộ cần tổ chức sinh hoạt chuyên đề.",
        data={"answer": True},
    )
    quiz = Quiz.objects.create(
        title="Kiểm tra học phần 1", owner_unit=cast.unit_a, created_by=cast.trainer_a
    )
    QuizItem.objects.create(quiz=quiz, position=0, kind=QuizItem.Kind.FIXED, question=question)
    return quiz


def test_trainer_builds_admin_assigns_learner_completes(
    cast, login, django_capture_on_commit_callbacks
):
    quiz = make_quiz(cast)
    User.objects.filter(pk=cast.learner.pk).update(appointment_date=date(2026, 11, 1))

    trainer = login(cast.trainer_a)
    trainer.post(
        reverse("frontend:authoring-course-create"),
        {"code": "SHCB", "title": "Sinh hoạt chi bộ", "owner_unit": cast.unit_a.pk},
    )
    course = Course.objects.get(code="SHCB")
    trainer.post(
        reverse("frontend:authoring-module-add", args=[course.pk]),
        {"title": "Sinh hoạt định kỳ", "quiz": quiz.pk},
    )
    module = course.modules.get()
    assert module.quiz == quiz
    trainer.post(
        reverse("frontend:authoring-lesson-create", args=[course.pk, module.pk]),
        {"title": "Quy trình sinh hoạt", "body": "Nội dung **mẫu**."},
    )
    trainer.post(
        reverse("frontend:authoring-course-status", args=[course.pk]), {"status": "published"}
    )

    admin = login(cast.admin)
    response = admin.post(
        reverse("frontend:course-enrolments", args=[course.pk]),
        {"action": "assign", "unit": cast.cell_a1.pk, "deadline_kind": "relative", "due_days": 30},
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(user=cast.learner, course=course)
    assert enrollment.due_date == date(2026, 11, 1) + timedelta(days=30)

    learner = login(cast.learner)
    dashboard = learner.get(reverse("frontend:dashboard")).content.decode()
    assert "Sinh hoạt chi bộ" in dashboard and "01/12/2026" in dashboard
    lesson = module.lessons.get()
    assert lesson.get_absolute_url() in learner.get(course.get_absolute_url()).content.decode()
    learner.post(reverse("frontend:lesson-done", args=[lesson.pk]))
    assert not Completion.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        attempt = start_attempt(user=cast.learner, quiz=quiz)
        slot = attempt.slots.get()
        save_answer(
            user=cast.learner,
            attempt_id=attempt.pk,
            slot_id=slot.pk,
            response={"value": True},
            seq=1,
        )
        submit_attempt(attempt=attempt, user=cast.learner)

    completion = Completion.objects.get(user=cast.learner, course=course)
    assert completion.score == 100
    page = learner.get(course.get_absolute_url()).content.decode()
    assert "Hoàn thành ngày" in page
