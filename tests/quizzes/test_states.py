"""A learner's state for each quiz: never "Chưa đạt" for a quiz nobody has taken."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import QuestionType
from quizzes.services import save_answer, start_attempt, submit_attempt
from quizzes.states import QuizState, learner_quiz_states

pytestmark = pytest.mark.django_db


def _state(cast, quiz, **kw):  # type: ignore[no-untyped-def]
    return learner_quiz_states(user=cast.learner, quizzes=[quiz], now=timezone.now(), **kw)[quiz.pk]


def test_each_step_of_a_quiz_has_its_own_state(cast, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner], attempts_allowed=2
    )
    assert _state(cast, quiz) == QuizState.NOT_STARTED
    assert _state(cast, quiz, locked={quiz.pk}) == QuizState.NOT_OPEN
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    assert _state(cast, quiz) == QuizState.IN_PROGRESS
    slot = attempt.slots.get()
    save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": "b"}, seq=1
    )
    submit_attempt(attempt=attempt, user=cast.learner)
    assert _state(cast, quiz) == QuizState.NOT_PASSED
    second = start_attempt(user=cast.learner, quiz=quiz)
    slot = second.slots.get()
    save_answer(
        user=cast.learner, attempt_id=second.pk, slot_id=slot.pk, response={"choice": "a"}, seq=1
    )
    submit_attempt(attempt=second, user=cast.learner)
    assert _state(cast, quiz) == QuizState.PASSED


def test_an_essay_waiting_for_its_grader_is_awaiting_grading(cast, make_questions, make_quiz):
    quiz = make_quiz(make_questions(types=[QuestionType.ESSAY]), enrol=[cast.learner])
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slot = attempt.slots.get()
    save_answer(
        user=cast.learner,
        attempt_id=attempt.pk,
        slot_id=slot.pk,
        response={"text": "Một biện pháp."},
        seq=1,
    )
    submit_attempt(attempt=attempt, user=cast.learner)
    assert _state(cast, quiz) == QuizState.AWAITING_GRADING


def test_a_quiz_before_its_open_time_is_not_open(cast, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]),
        enrol=[cast.learner],
        open_at=timezone.now() + timedelta(days=1),
    )
    assert _state(cast, quiz) == QuizState.NOT_OPEN


def test_course_and_start_pages_show_not_taken_instead_of_not_passed(
    cast, login, make_questions, make_quiz
):
    from courses.models import Module

    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner])
    client = login(cast.learner)
    course = Module.objects.get(quiz=quiz).course
    for url in (course.get_absolute_url(), reverse("frontend:quiz-start", args=[quiz.pk])):
        html = client.get(url).content.decode()
        assert '<span class="badge ">Chưa làm</span>' in html, url
        assert "Chưa đạt" not in html, url
    client.cookies["django_language"] = "en"
    assert "Chưa làm" not in client.get(course.get_absolute_url()).content.decode()


def test_states_cost_two_queries_whatever_the_number_of_quizzes(
    cast, make_questions, make_quiz, django_assert_max_num_queries
):
    quizzes = [make_quiz(make_questions(types=[QuestionType.SINGLE])) for _ in range(5)]
    with django_assert_max_num_queries(2):
        learner_quiz_states(user=cast.learner, quizzes=quizzes, now=timezone.now())
