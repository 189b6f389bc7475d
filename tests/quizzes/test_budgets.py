"""Query budgets of the hot paths, at two quiz sizes (issue 7 depends on them)."""

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.models import QuizItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(cast, bank, make_questions, make_quiz):  # type: ignore[no-untyped-def]
    """A timed exam: one fixed question plus N-1 drawn at random from the bank."""

    def _make(size: int, types: list[str] | None = None):  # type: ignore[no-untyped-def]
        questions = make_questions(types=types, copies=max(1, size // 7 + 1))
        quiz = make_quiz(questions[:1], enrol=[cast.learner], time_limit=1800, shuffle_choices=True)
        QuizItem.objects.create(
            quiz=quiz, position=1, kind=QuizItem.Kind.RANDOM, category=bank, count=size - 1
        )
        # Sequential course: the costliest access check (unlock rules).
        from courses.models import Course

        Course.objects.filter(modules__quiz=quiz).update(sequential=True)
        return quiz

    return _make


# A submit grades and keeps the quiz grade; the course completion a pass brings
# about is a task of its own (a drain of the passes, published on commit), with
# its own budget.
SUBMIT_BUDGET = 10
# + one query per extra completion requirement provider (courses.requirements):
# training's attendance rules and required surveys of the courses involved.
COMPLETION_BUDGET = 11
# The drain of one pass: its read of the undecided passes, the completion, one more look.
DRAIN_BUDGET = 1 + COMPLETION_BUDGET + 1
# Issuing a certificate (its PDF is a task of its own): the completion with its
# course, unit and learner; any certificate already issued; the serial; the row.
CERTIFICATE_BUDGET = 8
# A start: the user, the quiz with the learner's override, the access check (4),
# the learner's attempts, the draw's sources (3), and the attempt with its slots
# in one statement on PostgreSQL (issue 20; two inserts in a transaction on SQLite).
START_BUDGET = 11


def run_tasks(on_commit: list) -> None:  # type: ignore[type-arg]
    """Run, and forget, the callbacks the transaction left (eager tasks run inline)."""
    callbacks = list(on_commit)
    on_commit.clear()
    for callback in callbacks:
        callback()


AUTO_GRADED = ["single", "multiple", "truefalse", "short", "numeric", "matching", "ordering"]


@pytest.mark.parametrize("size", [5, 40])
@pytest.mark.parametrize("types", [None, AUTO_GRADED], ids=["with-essay", "auto-graded"])
def test_hot_paths_run_constant_queries(
    size,
    types,
    cast,
    exam,
    right_answers,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    from courses.certificates.models import Certificate
    from courses.certificates.services import issue_certificate
    from courses.models import Completion
    from quizzes.models import QuizGrade

    quiz = exam(size, types)
    client = APIClient()
    client.force_login(cast.learner)  # session auth: the user lookup counts

    with django_assert_max_num_queries(START_BUDGET + (connection.vendor != "postgresql")):
        body = client.post(f"/api/quizzes/{quiz.pk}/attempts/").json()
    assert len(body["slots"]) == size

    for n, slot in enumerate(body["slots"], 1):
        response = right_answers[slot["type"]] or {"text": "Bài làm tự luận."}
        with django_assert_max_num_queries(4):
            res = client.put(
                f"/api/attempts/{body['id']}/answers/{slot['id']}/",
                {"response": response, "seq": n},
                format="json",
            )
        assert res.status_code == 200 and res.json()["saved"]

    # The submit grades; a pass enqueues the course completion (published on
    # commit, run by a worker), which enqueues the certificate in turn.
    with (
        django_assert_max_num_queries(SUBMIT_BUDGET),
        django_capture_on_commit_callbacks() as on_commit,
    ):
        result = client.post(f"/api/attempts/{body['id']}/submit/").json()
    assert result["state"] == "finished"
    assert not Completion.objects.filter(user=cast.learner).exists()
    grade = QuizGrade.objects.filter(user=cast.learner, quiz=quiz).first()
    if types:
        assert grade is not None
    if grade is not None:  # fully graded: the completion task, then the certificate's
        assert grade.percent == 100
        with (
            django_assert_max_num_queries(DRAIN_BUDGET),
            django_capture_on_commit_callbacks() as completed,
        ):
            run_tasks(on_commit)
        completion = Completion.objects.get(user=cast.learner)
        with django_assert_max_num_queries(CERTIFICATE_BUDGET):
            issued = issue_certificate(completion_id=completion.pk)  # the row, serial and code
        with django_capture_on_commit_callbacks(execute=True):
            run_tasks(completed)  # the completion's own task: finds it issued, renders the PDF
        assert Certificate.objects.get(user=cast.learner) == issued
        assert Certificate.objects.filter(user=cast.learner).count() == 1
    else:  # an essay drawn waits for a trainer: nothing is complete yet
        assert not on_commit
        assert not Completion.objects.filter(user=cast.learner).exists()

    with django_assert_max_num_queries(12):
        resumed = client.post(f"/api/quizzes/{quiz.pk}/attempts/")
    assert resumed.status_code in (201, 409)


def test_resume_runs_constant_queries(cast, exam, django_assert_max_num_queries):
    quiz = exam(40)
    client = APIClient()
    client.force_login(cast.learner)
    first = client.post(f"/api/quizzes/{quiz.pk}/attempts/").json()
    with django_assert_max_num_queries(12):
        again = client.post(f"/api/quizzes/{quiz.pk}/attempts/").json()
    assert again["id"] == first["id"] and len(again["slots"]) == 40


def _take(client, quiz, answers):  # type: ignore[no-untyped-def]
    body = client.post(f"/api/quizzes/{quiz.pk}/attempts/").json()
    for n, slot in enumerate(body["slots"], 1):
        if answers is not None:
            client.put(
                f"/api/attempts/{body['id']}/answers/{slot['id']}/",
                {"response": answers[slot["type"]], "seq": n},
                format="json",
            )
    return body["id"]


@pytest.mark.parametrize("outcome", ["fails", "passes-with-a-lesson-left"])
def test_submit_that_does_not_complete_the_course_runs_constant_queries(
    outcome, cast, exam, right_answers, django_assert_max_num_queries
):
    from courses import authoring
    from courses.models import Completion, Module

    quiz = exam(40, AUTO_GRADED)
    if outcome == "passes-with-a-lesson-left":
        module = Module.objects.get(quiz=quiz)
        authoring.add_lesson(actor=cast.trainer_a, module=module, title="Bài 1")
    client = APIClient()
    client.force_login(cast.learner)
    attempt = _take(client, quiz, right_answers if outcome != "fails" else None)

    with django_assert_max_num_queries(SUBMIT_BUDGET):
        result = client.post(f"/api/attempts/{attempt}/submit/").json()
    assert result["state"] == "finished"
    assert result["passed"] is (outcome != "fails")
    assert not Completion.objects.filter(user=cast.learner).exists()


def test_submit_completing_a_course_with_lessons_and_a_final_exam_runs_constant_queries(
    cast,
    exam,
    make_questions,
    make_quiz,
    right_answers,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    """The costliest completion: lessons done, and another quiz (the final
    exam, already passed) whose grade has to be read."""
    from courses import authoring, services
    from courses.models import Completion, Course, Module
    from quizzes.models import QuizGrade

    quiz = exam(40, AUTO_GRADED)
    module = Module.objects.select_related("course").get(quiz=quiz)
    course = module.course
    lesson = authoring.add_lesson(actor=cast.trainer_a, module=module, title="Bài 1")
    final = make_quiz(make_questions(types=["single"]), title="Kiểm tra cuối khóa")
    Course.objects.filter(pk=course.pk).update(final_exam=final, sequential=False)
    services.mark_lesson_done(user=cast.learner, lesson=lesson)
    passed_at = timezone.now()
    QuizGrade.objects.create(  # an earlier pass, decided by its own drain
        user=cast.learner,
        quiz=final,
        percent=90,
        passed=True,
        passed_at=passed_at,
        completion_checked_at=passed_at,
    )
    client = APIClient()
    client.force_login(cast.learner)
    attempt = _take(client, quiz, right_answers)

    with (
        django_assert_max_num_queries(SUBMIT_BUDGET),
        django_capture_on_commit_callbacks() as on_commit,
    ):
        result = client.post(f"/api/attempts/{attempt}/submit/").json()
    assert result["state"] == "finished"
    with django_assert_max_num_queries(DRAIN_BUDGET):
        run_tasks(on_commit)
    completion = Completion.objects.get(user=cast.learner, course=course)
    assert completion.score == 90  # the final exam's percent
