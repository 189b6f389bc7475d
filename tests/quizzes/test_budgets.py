"""Query budgets of the hot paths, at two quiz sizes (issue 7 depends on them)."""

import pytest
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


@pytest.fixture
def without_course_completion():  # type: ignore[no-untyped-def]
    """Measure the quiz engine alone: course completion (courses' listener on
    quiz_grade_changed) has its own budget, asserted in tests/courses."""
    from courses import services
    from quizzes.signals import quiz_grade_changed

    quiz_grade_changed.disconnect(dispatch_uid="courses-grade-changed")
    yield
    quiz_grade_changed.connect(services.on_quiz_grade_changed, dispatch_uid="courses-grade-changed")


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
    without_course_completion,
):
    from quizzes.models import QuizGrade

    quiz = exam(size, types)
    client = APIClient()
    client.force_login(cast.learner)  # session auth: the user lookup counts

    with django_assert_max_num_queries(12):
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

    with django_assert_max_num_queries(15):
        result = client.post(f"/api/attempts/{body['id']}/submit/").json()
    assert result["state"] == "finished"
    if types:  # fully graded: the QuizGrade row was written within the budget
        assert QuizGrade.objects.get(user=cast.learner, quiz=quiz).percent == 100

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
