"""Real concurrency on PostgreSQL: threads, each with its own connection."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from quizzes.models import Attempt, AttemptSlot, QuestionType, QuizGrade
from quizzes.services import AttemptClosed, save_answer, start_attempt, submit_attempt
from quizzes.signals import quiz_grade_changed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls: Callable[[], Any], repeat: int = 1) -> list[Any]:
    """Run the calls at the same moment in threads; return results or exceptions."""
    calls = calls * repeat
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_parallel_starts_make_one_attempt(cast, make_questions, make_quiz):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE, QuestionType.ORDERING]))
    results = run_together(lambda: start_attempt(user=cast.learner, quiz=quiz), repeat=8)
    assert all(isinstance(r, Attempt) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Attempt.objects.filter(user=cast.learner, quiz=quiz).count() == 1
    assert AttemptSlot.objects.filter(attempt__quiz=quiz).count() == 2


def test_two_submits_at_once_grade_once(cast, make_questions, make_quiz):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]))
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slot = attempt.slots.get()
    save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": "a"}, seq=1
    )
    signals: list[int] = []

    def count(sender: Any, grade: QuizGrade, **kwargs: Any) -> None:
        signals.append(grade.pk)

    quiz_grade_changed.connect(count, dispatch_uid="race-count")
    try:
        results = run_together(lambda: submit_attempt(attempt=attempt), repeat=6)
    finally:
        quiz_grade_changed.disconnect(dispatch_uid="race-count")
    assert all(isinstance(r, Attempt) for r in results), results
    assert {r.finished_at for r in results} == {results[0].finished_at}
    assert len(signals) == 1
    grade = QuizGrade.objects.get(user=cast.learner, quiz=quiz)
    assert grade.percent == 100


def test_save_racing_submit_never_changes_the_result(cast, make_questions, make_quiz):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]))
    for round_ in range(5):
        attempt = start_attempt(user=cast.learner, quiz=quiz)
        slot = attempt.slots.get()
        save_answer(
            user=cast.learner,
            attempt_id=attempt.pk,
            slot_id=slot.pk,
            response={"choice": "b"},
            seq=1,
        )

        def late_save(attempt: Attempt = attempt, slot: AttemptSlot = slot) -> Any:
            return save_answer(
                user=cast.learner,
                attempt_id=attempt.pk,
                slot_id=slot.pk,
                response={"choice": "a"},
                seq=2,
            )

        results = run_together(late_save, lambda a=attempt: submit_attempt(attempt=a))
        attempt.refresh_from_db()
        slot.refresh_from_db()
        # Either the save landed before the submit locked the row (and was graded),
        # or it was refused; never a stored answer that differs from the graded one.
        right = slot.response == {"choice": "a"}
        assert attempt.score == (1 if right else 0), (round_, results)
        assert slot.score == attempt.score
        if isinstance(results[0], AttemptClosed):
            assert slot.response == {"choice": "b"}
        quiz.attempts_allowed += 1
        quiz.save(update_fields=["attempts_allowed"])


def test_sweeper_racing_submit_finishes_once(cast, make_questions, make_quiz):
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.services import finalise_overdue

    now = timezone.now()
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]), time_limit=60)
    attempt = start_attempt(user=cast.learner, quiz=quiz, now=now)
    later = now + timedelta(seconds=120)
    results = run_together(
        lambda: finalise_overdue(now=later), lambda: submit_attempt(attempt=attempt, now=later)
    )
    assert not any(isinstance(r, Exception) for r in results), results
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.finished_at == attempt.deadline
