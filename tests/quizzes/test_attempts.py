from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from quizzes.models import Attempt, AttemptSlot, QuestionType, QuizGrade
from quizzes.scoring import ResponseError
from quizzes.services import (
    AttemptClosed,
    QuizUnavailable,
    finalise_overdue,
    save_answer,
    start_attempt,
    submit_attempt,
)

pytestmark = pytest.mark.django_db


def _answer_all(attempt, user, right_answers, seq=1):  # type: ignore[no-untyped-def]
    for slot in attempt.slots.select_related("version"):
        response = right_answers[slot.version.type]
        if response is None:
            response = {"text": "Sinh hoạt chuyên đề hằng quý."}
        save_answer(user=user, attempt_id=attempt.pk, slot_id=slot.pk, response=response, seq=seq)


def test_starting_twice_resumes_the_same_attempt(cast, make_questions, make_quiz):
    quiz = make_quiz(make_questions())
    first = start_attempt(user=cast.learner, quiz=quiz)
    again = start_attempt(user=cast.learner, quiz=quiz)
    assert first.pk == again.pk
    assert Attempt.objects.filter(user=cast.learner, quiz=quiz).count() == 1


def test_attempt_fixes_versions_and_order_at_start(cast, make_questions, make_quiz):
    quiz = make_quiz(make_questions(), shuffle_questions=True, shuffle_choices=True)
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slots = list(attempt.slots.select_related("version"))
    assert len(slots) == 8
    for slot in slots:
        assert sorted(slot.choice_order) == sorted(slot.version.choice_ids())


def test_deadline_is_computed_by_the_server_from_limit_and_close_time(
    cast, make_questions, make_quiz
):
    now = timezone.now()
    quiz = make_quiz(make_questions(), time_limit=600, close_at=now + timedelta(seconds=300))
    attempt = start_attempt(user=cast.learner, quiz=quiz, now=now)
    assert attempt.deadline == now + timedelta(seconds=300)
    assert attempt.remaining_seconds(now) == 300


def test_full_marks_for_right_answers_and_essay_waits_for_a_grader(
    cast, make_questions, make_quiz, right_answers
):
    quiz = make_quiz(make_questions())
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    _answer_all(attempt, cast.learner, right_answers)
    attempt = submit_attempt(attempt=attempt)
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.needs_grading is True
    assert attempt.score == Decimal(7)
    assert attempt.max_score == Decimal(8)
    assert not QuizGrade.objects.filter(user=cast.learner, quiz=quiz).exists()


def test_submit_grades_and_keeps_quiz_grade(cast, make_questions, make_quiz, right_answers):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE, QuestionType.NUMERIC]))
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    _answer_all(attempt, cast.learner, right_answers)
    attempt = submit_attempt(attempt=attempt)
    grade = QuizGrade.objects.get(user=cast.learner, quiz=quiz)
    assert (grade.percent, grade.passed, grade.attempt_id) == (Decimal(100), True, attempt.pk)
    assert grade.passed_at is not None


def test_submit_twice_grades_once(cast, make_questions, make_quiz, right_answers):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]))
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    _answer_all(attempt, cast.learner, right_answers)
    first = submit_attempt(attempt=attempt)
    second = submit_attempt(attempt=attempt)
    assert first.finished_at == second.finished_at
    assert second.percent == Decimal(100)


def test_older_seq_is_ignored(cast, make_questions, make_quiz):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]))
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slot = attempt.slots.get()
    assert save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": "b"}, seq=5
    ).saved
    result = save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": "a"}, seq=4
    )
    assert result.saved is False
    slot.refresh_from_db()
    assert (slot.response, slot.seq) == ({"choice": "b"}, 5)


def test_choice_of_another_question_is_refused_and_nothing_written(cast, make_questions, make_quiz):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]))
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slot = attempt.slots.get()
    for bad in (
        {"choice": "zz"},
        {"choices": ["a"]},
        {"choice": 1},
        [],
        "a",
        {"choice": "a", "x": 1},
    ):
        with pytest.raises(ResponseError):
            save_answer(
                user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response=bad, seq=1
            )
    slot.refresh_from_db()
    assert slot.response is None and slot.seq == 0


def test_another_learners_attempt_is_not_found(cast, make_questions, make_quiz):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]))
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slot = attempt.slots.get()
    with pytest.raises(Http404):
        save_answer(
            user=cast.other_learner,
            attempt_id=attempt.pk,
            slot_id=slot.pk,
            response={"choice": "a"},
            seq=1,
        )
    with pytest.raises(Http404):
        save_answer(
            user=cast.learner,
            attempt_id=attempt.pk + 1,
            slot_id=slot.pk,
            response={"choice": "a"},
            seq=1,
        )


def test_save_after_deadline_is_refused_and_stored_answer_stays(cast, make_questions, make_quiz):
    now = timezone.now()
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]), time_limit=60)
    attempt = start_attempt(user=cast.learner, quiz=quiz, now=now)
    slot = attempt.slots.get()
    save_answer(
        user=cast.learner,
        attempt_id=attempt.pk,
        slot_id=slot.pk,
        response={"choice": "a"},
        seq=1,
        now=now + timedelta(seconds=30),
    )
    with pytest.raises(AttemptClosed):
        save_answer(
            user=cast.learner,
            attempt_id=attempt.pk,
            slot_id=slot.pk,
            response={"choice": "b"},
            seq=2,
            now=now + timedelta(seconds=61),
        )
    slot.refresh_from_db()
    attempt.refresh_from_db()
    assert slot.response == {"choice": "a"}
    # Touching the overdue attempt finalised it as of its deadline.
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.finished_at == attempt.deadline and attempt.auto_submitted


def test_grace_period_allows_only_submitting(cast, make_questions, make_quiz):
    now = timezone.now()
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]),
        time_limit=60,
        expiry="grace",
        grace_seconds=120,
    )
    attempt = start_attempt(user=cast.learner, quiz=quiz, now=now)
    slot = attempt.slots.get()
    later = now + timedelta(seconds=90)
    with pytest.raises(AttemptClosed):
        save_answer(
            user=cast.learner,
            attempt_id=attempt.pk,
            slot_id=slot.pk,
            response={"choice": "a"},
            seq=1,
            now=later,
        )
    attempt = submit_attempt(attempt=attempt, now=later)
    assert attempt.finished_at == later and not attempt.auto_submitted


def test_sweeper_finalises_overdue_attempts_as_of_deadline(cast, make_questions, make_quiz):
    now = timezone.now()
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]), time_limit=60)
    attempt = start_attempt(user=cast.learner, quiz=quiz, now=now)
    assert finalise_overdue(now=now + timedelta(seconds=59)) == 0
    assert finalise_overdue(now=now + timedelta(hours=1)) == 1
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.finished_at == now + timedelta(seconds=60)


def test_attempts_allowed_is_enforced_and_override_adds_one(cast, make_questions, make_quiz):
    from quizzes.models import QuizOverride

    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]), attempts_allowed=1)
    submit_attempt(attempt=start_attempt(user=cast.learner, quiz=quiz))
    with pytest.raises(QuizUnavailable):
        start_attempt(user=cast.learner, quiz=quiz)
    QuizOverride.objects.create(quiz=quiz, user=cast.learner, extra_attempts=1)
    assert start_attempt(user=cast.learner, quiz=quiz).number == 2


def test_closed_quiz_cannot_be_started(cast, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]), close_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(QuizUnavailable):
        start_attempt(user=cast.learner, quiz=quiz)


def test_grading_method_latest_and_passed_at_reset(cast, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]), attempts_allowed=0, grading_method="latest"
    )
    for choice in ("a", "b"):
        attempt = start_attempt(user=cast.learner, quiz=quiz)
        slot = attempt.slots.get()
        save_answer(
            user=cast.learner,
            attempt_id=attempt.pk,
            slot_id=slot.pk,
            response={"choice": choice},
            seq=1,
        )
        submit_attempt(attempt=attempt)
        grade = QuizGrade.objects.get(user=cast.learner, quiz=quiz)
        if choice == "a":
            assert grade.passed and grade.passed_at
    assert (grade.percent, grade.passed, grade.passed_at) == (Decimal(0), False, None)


def test_saved_slot_spec_survives_cache_loss(cast, make_questions, make_quiz):
    from django.core.cache import cache

    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]))
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slot = attempt.slots.get()
    save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": "a"}, seq=1
    )
    cache.clear()
    save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": "b"}, seq=2
    )
    assert AttemptSlot.objects.get(pk=slot.pk).response == {"choice": "b"}


def test_sequential_navigation_closes_pages_left_behind(cast, make_questions, make_quiz):
    from quizzes.services import reach_page

    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE, QuestionType.TRUE_FALSE]),
        navigation="sequential",
        per_page=1,
    )
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    first, second = attempt.slots.order_by("position")
    save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=first.pk, response=_right(first), seq=1
    )
    assert reach_page(attempt=attempt, page=1) == 1
    assert reach_page(attempt=attempt, page=0) == 1  # never back
    with pytest.raises(AttemptClosed):
        save_answer(
            user=cast.learner,
            attempt_id=attempt.pk,
            slot_id=first.pk,
            response=_right(first),
            seq=2,
        )
    assert save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=second.pk, response=_right(second), seq=1
    ).saved
    first.refresh_from_db()
    assert first.seq == 1


def _right(slot):  # type: ignore[no-untyped-def]
    return {"choice": "a"} if slot.version.type == "single" else {"value": True}


def test_submit_reads_slot_points_as_exact_decimals(cast, make_questions, make_quiz):
    """SQLite hands a decimal column to a plain cursor as a float: 0.33 must not
    become 0.330000000000000015... in the marks."""
    from quizzes.services.submit import _slot_rows

    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]))
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    attempt.slots.update(max_points=Decimal("0.33"))
    assert [row[1] for row in _slot_rows(attempt.pk)] == [Decimal("0.33")]
    assert str(_slot_rows(attempt.pk)[0][1]) == "0.33"


def test_a_key_fixed_between_two_submits_grades_the_second_by_the_new_key(
    cast, make_questions, make_quiz
):
    """Submits remember what a response earns by the texts of the question's data
    and of the response: a key fixed in place makes a new entry, never a stale mark."""
    from quizzes.services.regrade import fix_key

    question = make_questions(types=[QuestionType.SINGLE])[0]
    quiz = make_quiz([question])
    version = question.current_version
    picks_b = {"choice": "b"}

    first = start_attempt(user=cast.learner, quiz=quiz)
    save_answer(
        user=cast.learner, attempt_id=first.pk, slot_id=_slot(first).pk, response=picks_b, seq=1
    )
    assert submit_attempt(attempt=first).percent == 0
    fixed = {**version.data, "choices": [
        {**c, "fraction": 1 if c["id"] == "b" else 0} for c in version.data["choices"]
    ]}  # fmt: skip
    fix_key(actor=cast.trainer_a, version=version, data=fixed, reason="Đáp án đúng là 15/5/2016.")
    second = start_attempt(user=cast.other_learner, quiz=quiz)
    save_answer(
        user=cast.other_learner,
        attempt_id=second.pk,
        slot_id=_slot(second).pk,
        response=picks_b,
        seq=1,
    )
    assert submit_attempt(attempt=second).percent == 100


def test_the_same_responses_are_scored_once_per_process(
    cast, make_questions, make_quiz, right_answers, monkeypatch
):
    from quizzes import scoring
    from quizzes.services import submit

    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE, QuestionType.MULTIPLE]))
    submit._shares.clear()
    calls = []
    real = scoring.fraction
    monkeypatch.setattr(scoring, "fraction", lambda *a: calls.append(a) or real(*a))
    for learner in (cast.learner, cast.other_learner):
        attempt = start_attempt(user=learner, quiz=quiz)
        _answer_all(attempt, learner, right_answers)
        assert submit_attempt(attempt=attempt).percent == 100
    assert len(calls) == 2  # the first learner's two answers; the second's were known


def _slot(attempt):  # type: ignore[no-untyped-def]
    return attempt.slots.get()
