"""The attempt hot paths: start, save an answer, submit. Constant queries each.

Concurrency rests on two database facts: the partial unique constraint
"one open attempt per (user, quiz)" makes parallel starts collapse into one,
and the attempt row is the lock that orders saves against submits (a save
updates the row conditionally, a submit selects it FOR UPDATE).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import scoring
from ..models import (
    Attempt,
    AttemptSlot,
    Question,
    QuestionType,
    QuestionVersion,
    Quiz,
    QuizItem,
    QuizOverride,
)
from .grades import recompute_attempt, refresh_grade

SHUFFLED_ALWAYS = {QuestionType.ORDERING, QuestionType.MATCHING}
SLOT_SPEC_TTL = 6 * 3600


class QuizUnavailable(Exception):
    """The learner may not start this quiz now (closed, no attempts left...)."""


class AttemptClosed(Exception):
    """The attempt no longer accepts answers (submitted or past its deadline)."""


@dataclass
class SaveResult:
    saved: bool
    seq: int
    saved_at: datetime


# -- start -----------------------------------------------------------------


def _draw(quiz: Quiz, rng: random.Random) -> list[QuestionVersion]:
    """The versions an attempt gets: fixed questions and random draws.

    One query for the items (with fixed questions' versions), one for the
    random pool (with versions), one more only when a draw filters by tag.
    """
    items = list(
        QuizItem.objects.filter(quiz=quiz).select_related("category", "question__current_version")
    )
    chosen: list[tuple[int, QuestionVersion]] = []
    used: set[int] = set()
    for item in items:
        if item.kind == QuizItem.Kind.FIXED and item.question and item.question.current_version:
            chosen.append((item.position, item.question.current_version))
            used.add(item.question_id)
    randoms = [i for i in items if i.kind == QuizItem.Kind.RANDOM and i.category]
    if randoms:
        q = Q(pk__in=[])
        for item in randoms:
            q |= (
                Q(category__path__startswith=item.category.path)
                if item.include_subcategories
                else Q(category_id=item.category_id)
            )
        pool = {
            question.pk: question
            for question in Question.objects.filter(
                q, is_active=True, current_version__isnull=False
            ).select_related("category", "current_version")
        }
        tags: dict[int, set[int]] = {}
        tag_ids = {i.tag_id for i in randoms if i.tag_id}
        if tag_ids:
            for qid, tag_id in Question.tags.through.objects.filter(
                question_id__in=pool, tag_id__in=tag_ids
            ).values_list("question_id", "tag_id"):
                tags.setdefault(qid, set()).add(tag_id)
        for item in randoms:
            candidates = sorted(
                qid
                for qid, question in pool.items()
                if qid not in used
                and (
                    question.category.path.startswith(item.category.path)
                    if item.include_subcategories
                    else question.category_id == item.category_id
                )
                and (item.tag_id is None or item.tag_id in tags.get(qid, set()))
            )
            picks = rng.sample(candidates, min(item.count, len(candidates)))
            used.update(picks)
            chosen += [(item.position, pool[qid].current_version) for qid in picks]
    ordered = [v for _pos, v in sorted(chosen, key=lambda c: c[0])]
    if quiz.shuffle_questions:
        rng.shuffle(ordered)
    return ordered


def _choice_order(version: QuestionVersion, shuffle: bool, rng: random.Random) -> list[str]:
    ids = version.choice_ids()
    if shuffle or version.type in SHUFFLED_ALWAYS:
        original = list(ids)
        rng.shuffle(ids)
        if version.type == QuestionType.ORDERING and ids == original and len(ids) > 1:
            ids = ids[1:] + ids[:1]  # never show an ordering question already solved
    return ids


def _resume(attempt: Attempt, now: datetime) -> Attempt:
    if attempt.is_overdue(now):
        return submit_attempt(attempt=attempt, now=now)
    return attempt


def start_attempt(*, user: User, quiz: Quiz, now: datetime | None = None) -> Attempt:
    """Start a new attempt or resume the open one (idempotent, safe in parallel).

    The caller has checked that the user may take the quiz. Must not run
    inside another transaction: a lost race is resolved by catching the
    unique-constraint error and resuming the winner's attempt.
    """
    now = now or timezone.now()
    existing = list(Attempt.objects.filter(user=user, quiz=quiz).order_by("number"))
    current = next((a for a in existing if a.is_open), None)
    if current is not None:
        current = _resume(current, now)
        if current.is_open:
            return current
    if not quiz.is_published or not quiz.is_open_for_starting(now):
        raise QuizUnavailable(_("Bài kiểm tra hiện không mở."))
    override = None
    if hasattr(quiz, "override_seconds"):  # fetched with the quiz (Quiz.objects.for_start)
        if quiz.override_seconds is not None:
            override = QuizOverride(
                extra_seconds=quiz.override_seconds, extra_attempts=quiz.override_attempts
            )
    elif quiz.time_limit or quiz.attempts_allowed:  # overrides only change these
        override = QuizOverride.objects.filter(quiz=quiz, user=user).first()
    extra_seconds = override.extra_seconds if override else 0
    if quiz.attempts_allowed:
        allowed = quiz.attempts_allowed + (override.extra_attempts if override else 0)
        if len(existing) >= allowed:
            raise QuizUnavailable(_("Bạn đã dùng hết số lượt làm bài."))
    seed = secrets.randbits(62)
    rng = random.Random(seed)
    versions = _draw(quiz, rng)
    if not versions:
        raise QuizUnavailable(_("Bài kiểm tra chưa có câu hỏi."))
    deadline = quiz.deadline_for(now, extra_seconds)
    submit_by = deadline
    if deadline and quiz.expiry == Quiz.Expiry.GRACE and quiz.grace_seconds:
        submit_by = deadline + timedelta(seconds=quiz.grace_seconds)
    attempt = Attempt(
        quiz=quiz,
        user=user,
        number=(existing[-1].number + 1) if existing else 1,
        seed=seed,
        started_at=now,
        deadline=deadline,
        submit_by=submit_by,
    )
    slots = [
        AttemptSlot(
            position=i,
            page=(i // quiz.per_page) if quiz.per_page else 0,
            version=v,
            choice_order=_choice_order(v, quiz.shuffle_choices, rng),
            max_points=v.points,
        )
        for i, v in enumerate(versions)
    ]
    try:
        # savepoint=False: the caller is never inside a transaction (see docstring).
        with transaction.atomic(savepoint=False):
            attempt.save(force_insert=True)
            for slot in slots:
                slot.attempt = attempt
            AttemptSlot.objects.bulk_create(slots)
    except IntegrityError:
        # Another request started it first (double click, second tab): resume that one.
        winner = Attempt.objects.filter(user=user, quiz=quiz, state=Attempt.State.OPEN).first()
        if winner is None:
            raise
        return winner
    attempt.prefetched_slots = slots  # type: ignore[attr-defined]
    return attempt


# -- save ------------------------------------------------------------------


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


# -- submit ----------------------------------------------------------------


def _grade(attempt: Attempt, finished_at: datetime) -> None:
    slots = list(
        AttemptSlot.objects.filter(attempt=attempt)
        .select_related("version")
        .only(
            "id",
            "max_points",
            "response",
            "score",
            "needs_manual",
            "version__type",
            "version__data",
        )
    )
    for slot in slots:
        share = scoring.fraction(slot.version.type, slot.version.data, slot.response)
        slot.needs_manual = share is None
        slot.score = None if share is None else scoring.points(slot.max_points, share)
    AttemptSlot.objects.bulk_update(slots, ["score", "needs_manual"], batch_size=1000)
    attempt.state = Attempt.State.FINISHED
    attempt.finished_at = finished_at
    recompute_attempt(attempt, slots)
    attempt.save(
        update_fields=[
            "state",
            "finished_at",
            "auto_submitted",
            "score",
            "max_score",
            "percent",
            "passed",
            "needs_grading",
        ]
    )
    if not attempt.needs_grading:
        refresh_grade(user_id=attempt.user_id, quiz=attempt.quiz, now=finished_at)


def submit_attempt(
    *, attempt: Attempt, user: User | None = None, now: datetime | None = None, auto: bool = False
) -> Attempt:
    """Finish and grade an attempt exactly once, however many times it is called.

    Past `submit_by` the attempt is finalised as of its deadline. With `user`,
    another user's attempt raises Attempt.DoesNotExist.
    """
    now = now or timezone.now()
    # savepoint=False: outermost in every caller (views, tasks); saves two queries when nested.
    with transaction.atomic(savepoint=False):
        rows = Attempt.objects.select_for_update(of=("self",)).select_related("quiz")
        if user is not None:
            rows = rows.filter(user=user)
        locked = rows.filter(pk=attempt.pk).first()
        if locked is not None and locked.is_open:
            finished_at = now
            if locked.submit_by is not None and now >= locked.submit_by:
                finished_at = locked.deadline or locked.submit_by
                auto = True
            locked.auto_submitted = auto
            _grade(locked, finished_at)
    if locked is None:
        raise Attempt.DoesNotExist
    return locked


def finalise_overdue(*, now: datetime | None = None, limit: int = 500) -> int:
    """Finish open attempts past their last moment (the periodic sweeper)."""
    now = now or timezone.now()
    ids = list(
        Attempt.objects.filter(state=Attempt.State.OPEN, submit_by__lte=now)
        .order_by("submit_by")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        submit_attempt(attempt=Attempt(pk=pk), now=now, auto=True)
    return len(ids)
