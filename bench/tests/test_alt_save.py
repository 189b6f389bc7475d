"""bench/alt_save.py (the one-statement save proposed in RESULTS.md) keeps the
service's rules: newer seq wins, nothing is written once the attempt is
finished or past its deadline. PostgreSQL only (raw SQL).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
     .venv/bin/python -m pytest bench/tests -q -p no:warnings
"""

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Unit, User
from quizzes.models import Attempt, AttemptSlot, Quiz, QuizItem
from quizzes.services import create_question, ensure_category_path, start_attempt, submit_attempt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from alt_save import save_one_statement

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs PostgreSQL (set DATABASE_URL)"),
]


@pytest.fixture
def attempt():
    unit = Unit.add_root(name="Chi bộ thử", code="ALT", kind=Unit.Kind.CELL)
    learner = User.objects.create(username="hv-alt", full_name="Học Viên", unit=unit)
    category = ensure_category_path(path="Alt/single", owner_unit=unit)
    question = create_question(
        actor=None,
        category=category,
        type="single",
        text="Câu hỏi?",
        data={"choices": [{"text": "Đúng", "fraction": 1}, {"text": "Sai", "fraction": 0}]},
    )
    quiz = Quiz.objects.create(title="Thử", owner_unit=unit, time_limit=600)
    QuizItem.objects.create(quiz=quiz, position=0, question=question)
    return start_attempt(user=learner, quiz=quiz)


def slot_of(attempt):
    return AttemptSlot.objects.get(attempt=attempt)


def test_newer_seq_is_written_and_older_is_ignored(attempt):
    slot = slot_of(attempt)
    now = timezone.now()
    assert save_one_statement(
        attempt_id=attempt.pk, slot_id=slot.pk, clean={"choice": "c1"}, seq=2, now=now
    ) == (True, True)
    assert save_one_statement(
        attempt_id=attempt.pk, slot_id=slot.pk, clean={"choice": "c2"}, seq=1, now=now
    ) == (True, False)
    slot.refresh_from_db()
    assert (slot.seq, slot.response) == (2, {"choice": "c1"})


def test_nothing_is_written_after_submit(attempt):
    slot = slot_of(attempt)
    submit_attempt(attempt=attempt)
    assert save_one_statement(
        attempt_id=attempt.pk,
        slot_id=slot.pk,
        clean={"choice": "c1"},
        seq=1,
        now=timezone.now(),
    ) == (False, False)
    slot.refresh_from_db()
    assert slot.seq == 0 and slot.response is None


def test_nothing_is_written_past_the_deadline(attempt):
    slot = slot_of(attempt)
    late = attempt.deadline + timedelta(seconds=1)
    assert save_one_statement(
        attempt_id=attempt.pk, slot_id=slot.pk, clean={"choice": "c1"}, seq=1, now=late
    ) == (False, False)
    assert Attempt.objects.get(pk=attempt.pk).last_saved_at is None


def test_a_slot_of_another_attempt_is_not_written(attempt):
    slot = slot_of(attempt)
    assert save_one_statement(
        attempt_id=attempt.pk + 1000,
        slot_id=slot.pk,
        clean={"choice": "c1"},
        seq=1,
        now=timezone.now(),
    ) == (False, False)


def test_sequential_pages_left_behind_are_closed(attempt):
    slot = slot_of(attempt)
    Attempt.objects.filter(pk=attempt.pk).update(current_page=1)
    assert save_one_statement(
        attempt_id=attempt.pk,
        slot_id=slot.pk,
        clean={"choice": "c1"},
        seq=1,
        now=timezone.now(),
        page=0,
    ) == (False, False)
    assert save_one_statement(
        attempt_id=attempt.pk,
        slot_id=slot.pk,
        clean={"choice": "c1"},
        seq=1,
        now=timezone.now(),
        page=1,
    ) == (True, True)
