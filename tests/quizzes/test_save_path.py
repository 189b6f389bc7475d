"""The answer-save hot path: its slot lookup and its single write.

The behaviour rules (newer seq wins, 409 after the deadline or submit,
sequential pages) are in test_attempts.py and run on both databases; here:
what the path costs and why a cached spec can never write somewhere else.
"""

import gc

import pytest
from django.core.cache import cache
from django.http import Http404

from quizzes.models import AttemptSlot
from quizzes.services import answers, save_answer, start_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(cast, make_questions, make_quiz):
    quiz = make_quiz(make_questions(["single"]), time_limit=600)
    return start_attempt(user=cast.learner, quiz=quiz)


def first_slot(attempt):
    return AttemptSlot.objects.filter(attempt=attempt).select_related("version").first()


def save_first_choice(user, attempt, slot, seq):
    """Save the slot's first choice as `user`; returns (choice, SaveResult)."""
    choice = slot.version.choice_ids()[0]
    result = save_answer(
        user=user, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": choice}, seq=seq
    )
    return choice, result


def test_start_caches_every_slot_so_the_first_save_looks_nothing_up(attempt, cast):
    slots = list(AttemptSlot.objects.filter(attempt=attempt))
    answers.forget_local_specs()  # another process: only the shared cache has them
    spec = cache.get(answers._spec_key(attempt.pk))
    assert spec is not None and set(spec.slots) == {slot.pk for slot in slots}
    slot = first_slot(attempt)
    save_first_choice(cast.learner, attempt, slot, seq=1)
    cache.clear()  # now only this process's memory has the spec
    choice, written = save_first_choice(cast.learner, attempt, slot, seq=2)
    assert written.saved
    slot.refresh_from_db()
    assert (slot.seq, slot.response) == (2, {"choice": choice})


def test_kept_specs_leave_the_garbage_collectors_walk(cast, make_questions, make_quiz):
    """A worker keeps thousands of attempts' specs in memory; a full collection
    must not walk them, or all workers pause together mid-wave (bench/RESULTS.md)."""
    quiz = make_quiz(make_questions(["single", "multiple", "matching", "ordering"]))
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    for spec in (answers._local_specs[attempt.pk], cache.get(answers._spec_key(attempt.pk))):
        # Nested tuples leave over two passes (a collection reorders what it
        # keeps), as they do in a worker's young collections before they get old.
        gc.collect()
        gc.collect()
        assert len(spec.slots) == 4
        assert not any(gc.is_tracked(slot) for slot in spec.slots.values())
        assert not gc.is_tracked(spec.slots)


def test_save_is_one_statement_on_postgresql(attempt, cast, django_assert_num_queries, settings):
    slot = first_slot(attempt)
    expected = 1 if settings.IS_POSTGRES else 2
    with django_assert_num_queries(expected):
        save_first_choice(cast.learner, attempt, slot, seq=1)


def test_a_stale_spec_cannot_write_another_learners_attempt(attempt, cast, make_quiz):
    """The database, not the cache, has the last word on ownership: even a
    spec that wrongly names this learner writes nothing in someone else's attempt."""
    slot = first_slot(attempt)
    forged = answers.AttemptSpec(
        user_id=cast.other_learner.pk,
        sequential=False,
        slots={slot.pk: (slot.version.type, tuple(slot.version.choice_ids()), 0)},
    )
    answers._keep_local(attempt.pk, forged)
    with pytest.raises(Http404):
        save_first_choice(cast.other_learner, attempt, slot, seq=5)
    slot.refresh_from_db()
    assert slot.seq == 0 and slot.response is None


def test_unknown_slot_or_attempt_is_not_found_and_not_remembered(attempt, cast):
    with pytest.raises(Http404):
        save_answer(user=cast.learner, attempt_id=attempt.pk, slot_id=10**9, response={}, seq=1)
    with pytest.raises(Http404):
        save_answer(user=cast.learner, attempt_id=10**9, slot_id=10**9, response={}, seq=1)
    assert 10**9 not in answers._local_specs and cache.get(answers._spec_key(10**9)) is None


def test_a_process_new_to_the_attempt_looks_it_up_once_for_all_slots(
    cast, make_questions, make_quiz, django_assert_num_queries, settings
):
    """Neither this process nor Redis has the spec (a learner whose connection moved
    after Redis lost it): one query fills every slot of the attempt."""
    quiz = make_quiz(make_questions(["single", "truefalse"], copies=2), time_limit=600)
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    answers.forget_local_specs()
    cache.clear()
    slots = list(AttemptSlot.objects.filter(attempt=attempt).select_related("version"))
    write = 1 if settings.IS_POSTGRES else 2
    with django_assert_num_queries(1 + write):
        save_answer(
            user=cast.learner, attempt_id=attempt.pk, slot_id=slots[0].pk, response=None, seq=1
        )
    with django_assert_num_queries(3 * write):
        for seq, slot in enumerate(slots[1:], start=1):
            save_answer(
                user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response=None, seq=seq
            )
    with pytest.raises(Http404):  # someone else's attempt, spec in hand
        save_answer(
            user=cast.other_learner,
            attempt_id=attempt.pk,
            slot_id=slots[0].pk,
            response=None,
            seq=9,
        )


def test_the_slot_insert_names_every_column_of_the_model():
    """start_attempt inserts slots with SQL on PostgreSQL: a new field must be added there too."""
    from quizzes.services.start import SLOT_COLUMNS

    columns = {f.column for f in AttemptSlot._meta.concrete_fields if not f.primary_key}
    assert set(SLOT_COLUMNS) == columns


def test_started_slots_are_stored_as_the_model_would(attempt):
    stored = list(AttemptSlot.objects.filter(attempt=attempt).order_by("position"))
    fresh = attempt.prefetched_slots
    assert [s.pk for s in stored] == [s.pk for s in fresh]
    for a, b in zip(stored, fresh, strict=True):
        assert (a.position, a.page, a.version_id, a.choice_order, a.max_points) == (
            b.position,
            b.page,
            b.version_id,
            b.choice_order,
            b.max_points,
        )
        assert (a.response, a.seq, a.flagged, a.score, a.needs_manual, a.comment) == (
            None,
            0,
            False,
            None,
            False,
            "",
        )


def test_a_full_process_copy_drops_its_oldest_quarter_not_everything(monkeypatch):
    """Clearing all at once sent every save of a big wave back to Redis."""
    monkeypatch.setattr(answers, "LOCAL_ATTEMPTS_MAX", 8)
    spec = answers.AttemptSpec(user_id=1, sequential=False, slots={})
    for attempt_id in range(1, 9):
        answers._keep_local(attempt_id, spec)
    answers._keep_local(9, spec)
    assert list(answers._local_specs) == [3, 4, 5, 6, 7, 8, 9]
