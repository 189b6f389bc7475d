"""Saving answers: one conditional UPDATE of the attempt and one of the slot.

A save carrying an older sequence number than the stored one is ignored;
after the deadline nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import scoring
from ..models import (
    Attempt,
    AttemptSlot,
    Quiz,
)
from .submit import submit_attempt

SLOT_SPEC_TTL = 6 * 3600


class AttemptClosed(Exception):
    """The attempt no longer accepts answers (submitted or past its deadline)."""


@dataclass
class SaveResult:
    saved: bool
    seq: int
    saved_at: datetime


@dataclass(frozen=True)
class SlotSpec:
    """What a save needs to know about a slot; immutable for the attempt's life."""

    attempt_id: int
    user_id: int
    type: str
    ids: list[str]
    page: int
    sequential: bool


def _slot_spec(slot_id: int) -> SlotSpec | None:
    """The slot's spec, from the cache (no query) or one query."""
    key = f"quizzes:slot:v2:{slot_id}"
    spec = cache.get(key)
    if spec is None:
        row = (
            AttemptSlot.objects.filter(pk=slot_id)
            .values_list(
                "attempt_id",
                "attempt__user_id",
                "version__type",
                "version__data",
                "page",
                "attempt__quiz__navigation",
            )
            .first()
        )
        if row is None:
            return None
        spec = SlotSpec(
            attempt_id=row[0],
            user_id=row[1],
            type=row[2],
            ids=scoring.allowed_ids(row[2], row[3]),
            page=row[4],
            sequential=row[5] == Quiz.Navigation.SEQUENTIAL,
        )
        cache.set(key, spec, SLOT_SPEC_TTL)
    return spec


def save_answer(
    *,
    user: User,
    attempt_id: int,
    slot_id: int,
    response: Any,
    seq: int,
    now: datetime | None = None,
) -> SaveResult:
    """Store one answer if `seq` is newer than the stored one. At most 3 queries.

    Raises Http404 (not this user's slot), scoring.ResponseError (bad shape,
    nothing written) or AttemptClosed (past deadline or submitted: what was
    stored stays as it was).
    """
    now = now or timezone.now()
    spec = _slot_spec(slot_id)
    if spec is None or spec.attempt_id != attempt_id or spec.user_id != user.pk:
        raise Http404
    clean = scoring.validate_response(spec.type, spec.ids, response)
    rows = Attempt.objects.filter(pk=attempt_id, state=Attempt.State.OPEN).filter(
        Q(deadline__isnull=True) | Q(deadline__gt=now)
    )
    if spec.sequential:  # pages already left behind are closed
        rows = rows.filter(current_page__lte=spec.page)
    # savepoint=False: one transaction in production, no extra queries when nested in tests.
    with transaction.atomic(savepoint=False):
        alive = rows.update(last_saved_at=now)
        written = alive and AttemptSlot.objects.filter(pk=slot_id, seq__lt=seq).update(
            response=clean, seq=seq, saved_at=now
        )
    if not alive:
        attempt = Attempt.objects.get(pk=attempt_id)
        if attempt.is_overdue(now):
            submit_attempt(attempt=attempt, now=now)
        elif attempt.may_answer(now) and spec.sequential:
            raise AttemptClosed(_("Bài làm theo thứ tự: không thể sửa câu ở trang đã qua."))
        raise AttemptClosed(
            _("Đã hết giờ làm bài hoặc bài đã nộp; câu trả lời này không được lưu.")
        )
    return SaveResult(saved=bool(written), seq=seq, saved_at=now)


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
