"""Where LMSs leak (Moodle/Open edX advisories): hidden grades exposed by an API,
and web services that let a learner skip sequential navigation."""

import json

import pytest

from courses import authoring
from courses import services as course_services
from courses.models import Course, Lesson
from quizzes.models import Quiz, QuizItem, ReviewWhen

pytestmark = pytest.mark.django_db


def test_hidden_scores_and_answers_are_not_in_any_learner_api_answer(world, api):
    Quiz.objects.filter(pk=world.quiz.pk).update(
        review_score=ReviewWhen.NEVER,
        review_correctness=ReviewWhen.NEVER,
        review_answers=ReviewWhen.NEVER,
        review_feedback=ReviewWhen.NEVER,
    )
    attempt = world.attempts["learner"]
    attempt.refresh_from_db()
    client = api(world.cast.learner)
    leaked = []
    for url in (
        f"/api/attempts/{attempt.pk}/",
        f"/api/attempts/{attempt.pk}/review/",
        f"/api/quizzes/{world.quiz.pk}/",
        f"/api/courses/{world.course.pk}/progress/",
    ):
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = json.dumps(response.json(), ensure_ascii=False)
        if '"fraction"' in text:
            leaked.append(f"{url}: answer key (fraction)")
        if "Đúng." in text:  # the right choice's feedback
            leaked.append(f"{url}: feedback")
        body = response.json()
        for field in ("score", "percent", "passed"):
            if (
                "/attempts/" in url
                and isinstance(body, dict)
                and body.get(field) not in (None, "", [])
            ):
                leaked.append(f"{url}: {field}={body[field]!r}")
    assert not leaked, leaked


def test_a_learner_cannot_skip_a_locked_module_through_the_api(world, api):
    cast = world.cast
    course = authoring.create_course(
        actor=cast.trainer_a, code="TT01", title="Tuần tự", owner_unit=cast.unit_a, sequential=True
    )
    first = authoring.add_module(actor=cast.trainer_a, course=course, title="Phần 1")
    authoring.add_lesson(actor=cast.trainer_a, module=first, title="Bài 1", body="x")
    quiz = Quiz.objects.create(title="Kiểm tra phần 2", owner_unit=cast.unit_a)
    QuizItem.objects.create(quiz=quiz, position=0, kind=QuizItem.Kind.FIXED, question=world.single)
    second = authoring.add_module(actor=cast.trainer_a, course=course, title="Phần 2", quiz=quiz)
    locked = authoring.add_lesson(actor=cast.trainer_a, module=second, title="Bài 2", body="x")
    authoring.set_status(
        actor=cast.trainer_a, course=Course.objects.get(pk=course.pk), status="published"
    )
    course_services.enrol_user(actor=cast.admin, user=cast.other_learner, course=course)
    client = api(cast.other_learner)

    assert client.post(f"/api/lessons/{locked.pk}/complete/").status_code in (403, 404, 409)
    assert client.post(f"/api/quizzes/{quiz.pk}/attempts/").status_code in (403, 404, 409)
    assert not Lesson.objects.filter(pk=locked.pk, progress__isnull=False).exists()
    assert not quiz.attempts.exists()
