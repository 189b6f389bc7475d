"""Saving answers: the hot path of an exam wave.

A save is one conditional write: the attempt row is touched only while it is
open and before its deadline (that row lock orders saves against submit's
SELECT ... FOR UPDATE), and the slot only if its stored sequence number is
older, so a late or repeated save never overwrites a newer answer. After the
deadline nothing is written.

What a save needs to know about its slot (owner, type, allowed ids) never
changes, so it is read from process memory, then the shared cache, and only
then the database; `start_attempt` puts every slot of a new attempt in the
cache. Ownership is checked again by the write itself (attempt id and user
id in its WHERE clause), so a stale cache entry can never write elsewhere.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.sql import kept_cursor

from .. import scoring
from ..models import (
    Attempt,
    AttemptSlot,
    Quiz,
)
from .submit import submit_attempt

SLOT_SPEC_TTL = 6 * 3600
# Every open attempt of a wave, with room: a process sees each of them (about 8 KB
# each with 40 slots). Full, the oldest quarter goes: dropping all at once sent every
# save of a 5,000-learner wave back to Redis for its attempt's spec (bench/RESULTS.md).
LOCAL_ATTEMPTS_MAX = 10_000


class AttemptClosed(Exception):
    """The attempt no longer accepts answers (submitted or past its deadline)."""


@dataclass
class SaveResult:
    saved: bool
    seq: int
    saved_at: datetime


# What a save needs to know about a slot, immutable for the attempt's life:
# (question type, the ids its answers may use, page). A plain tuple of strings
# and numbers, which the garbage collector stops tracking (a tuple subclass or a
# dataclass it walks forever): held as dataclasses, 5,000 attempts' slots were
# 600,000 objects that every full collection walked, in every gunicorn worker
# at the same moment (bench/RESULTS.md).
SlotSpec = tuple[str, tuple[str, ...], int]


class AttemptSpec(NamedTuple):
    """What a save needs to know about an attempt: whose it is, and its slots."""

    user_id: int
    sequential: bool
    slots: dict[int, SlotSpec]


# Per attempt, not per slot: a process that has not seen the attempt yet (its
# learner's connection moved) fetches all of its slots in one lookup.
_local_specs: dict[int, AttemptSpec] = {}


def _spec_key(attempt_id: int) -> str:
    return f"quizzes:attempt-spec:v4:{attempt_id}"


def _keep_local(attempt_id: int, spec: AttemptSpec) -> None:
    if len(_local_specs) >= LOCAL_ATTEMPTS_MAX:  # specs never change: any can go
        for oldest in list(itertools.islice(_local_specs, LOCAL_ATTEMPTS_MAX // 4)):
            _local_specs.pop(oldest, None)  # another thread may have dropped it
    _local_specs[attempt_id] = spec


def forget_local_specs() -> None:
    """Empty this process's copy (tests, where rolled-back ids are reused)."""
    _local_specs.clear()


def remember_slot_specs(attempt: Attempt, slots: Iterable[AttemptSlot]) -> None:
    """Cache the specs of a new attempt's slots in one round trip, so that
    even the first save of each slot costs no lookup."""
    spec = AttemptSpec(
        user_id=attempt.user_id,
        sequential=attempt.quiz.navigation == Quiz.Navigation.SEQUENTIAL,
        slots={
            slot.pk: (
                slot.version.type,
                scoring.allowed_ids(slot.version.type, slot.version.data),
                slot.page,
            )
            for slot in slots
        },
    )
    cache.set(_spec_key(attempt.pk), spec, SLOT_SPEC_TTL)
    _keep_local(attempt.pk, spec)


def _attempt_spec(attempt_id: int) -> AttemptSpec | None:
    """The attempt's spec: from memory, the cache, or one query."""
    spec = _local_specs.get(attempt_id)
    if spec is not None:
        return spec
    key = _spec_key(attempt_id)
    spec = cache.get(key)
    if spec is None:
        rows = list(
            AttemptSlot.objects.filter(attempt_id=attempt_id).values_list(
                "pk",
                "attempt__user_id",
                "version__type",
                "version__data",
                "page",
                "attempt__quiz__navigation",
            )
        )
        if not rows:
            return None
        spec = AttemptSpec(
            user_id=rows[0][1],
            sequential=rows[0][5] == Quiz.Navigation.SEQUENTIAL,
            slots={
                pk: (qtype, scoring.allowed_ids(qtype, data), page)
                for pk, _user, qtype, data, page, _nav in rows
            },
        )
        cache.set(key, spec, SLOT_SPEC_TTL)
    _keep_local(attempt_id, spec)
    return spec


# PostgreSQL: the save as one statement in autocommit, one round trip instead
# of four (BEGIN, two UPDATEs, COMMIT). A save that waited for a submit's row
# lock re-checks the attempt row once the submit commits (READ COMMITTED),
# finds it finished and writes nothing.
SAVE_SQL = """
WITH a AS (
    UPDATE quizzes_attempt SET last_saved_at = %(now)s
    WHERE id = %(attempt)s AND user_id = %(user)s AND state = %(open)s
      AND (deadline IS NULL OR deadline > %(now)s)
      AND (%(page)s::int IS NULL OR current_page <= %(page)s::int)
    RETURNING id
), s AS (
    UPDATE quizzes_attemptslot SET response = %(response)s::jsonb, seq = %(seq)s, saved_at = %(now)s
    WHERE id = %(slot)s AND attempt_id = %(attempt)s AND seq < %(seq)s
      AND EXISTS (SELECT 1 FROM a)
    RETURNING id
)
SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM s)
"""


def _write(
    *,
    user_id: int,
    attempt_id: int,
    page: int | None,
    slot_id: int,
    clean: Any,
    seq: int,
    now: datetime,
) -> tuple[bool, bool]:
    """(attempt still open, slot written); `page` is the slot's page under sequential navigation."""
    if connection.vendor == "postgresql":
        cursor = kept_cursor()
        cursor.execute(
            SAVE_SQL,
            {
                "now": now,
                "attempt": attempt_id,
                "user": user_id,
                "open": Attempt.State.OPEN.value,
                "page": page,
                "slot": slot_id,
                "seq": seq,
                "response": json.dumps(clean),
            },
        )
        alive, written = cursor.fetchone()
        return bool(alive), bool(written)
    rows = Attempt.objects.filter(pk=attempt_id, user_id=user_id, state=Attempt.State.OPEN).filter(
        Q(deadline__isnull=True) | Q(deadline__gt=now)
    )
    if page is not None:  # pages already left behind are closed
        rows = rows.filter(current_page__lte=page)
    # savepoint=False: one transaction in production, no extra queries when nested in tests.
    with transaction.atomic(savepoint=False):
        alive = rows.update(last_saved_at=now)
        written = alive and AttemptSlot.objects.filter(
            pk=slot_id, attempt_id=attempt_id, seq__lt=seq
        ).update(response=clean, seq=seq, saved_at=now)
    return bool(alive), bool(written)


def save_answer(
    *,
    user: User,
    attempt_id: int,
    slot_id: int,
    response: Any,
    seq: int,
    now: datetime | None = None,
) -> SaveResult:
    """Store one answer if `seq` is newer than the stored one: one statement on
    PostgreSQL (two UPDATEs in a transaction elsewhere) when the slot's spec is
    cached, as it is from the attempt's start.

    Raises Http404 (not this user's slot), scoring.ResponseError (bad shape,
    nothing written) or AttemptClosed (past deadline or submitted: what was
    stored stays as it was).
    """
    now = now or timezone.now()
    spec = _attempt_spec(attempt_id)
    if spec is None or spec.user_id != user.pk or slot_id not in spec.slots:
        raise Http404
    qtype, ids, page = spec.slots[slot_id]
    clean = scoring.validate_response(qtype, ids, response)
    alive, written = _write(
        user_id=user.pk,
        attempt_id=attempt_id,
        page=page if spec.sequential else None,
        slot_id=slot_id,
        clean=clean,
        seq=seq,
        now=now,
    )
    if not alive:
        attempt = Attempt.objects.filter(pk=attempt_id, user_id=user.pk).first()
        if attempt is None:
            raise Http404
        if attempt.is_overdue(now):
            submit_attempt(attempt=attempt, now=now)
        elif attempt.may_answer(now) and spec.sequential:
            raise AttemptClosed(_("Bài làm theo thứ tự: không thể sửa câu ở trang đã qua."))
        raise AttemptClosed(
            _("Đã hết giờ làm bài hoặc bài đã nộp; câu trả lời này không được lưu.")
        )
    return SaveResult(saved=written, seq=seq, saved_at=now)


def reach_page(*, attempt: Attempt, page: int) -> int:
    """Sequential navigation: move forward to `page` (never back); return the page to show."""
    if page > attempt.current_page:
        Attempt.objects.filter(pk=attempt.pk, current_page__lt=page).update(current_page=page)
        attempt.current_page = page
    return attempt.current_page


def set_flag(*, user: User, attempt: Attempt, slot_id: int, flagged: bool) -> None:
    if attempt.user_id != user.pk or not attempt.is_open:
        raise Http404
    AttemptSlot.objects.filter(pk=slot_id, attempt=attempt).update(flagged=flagged)
