"""Starting an attempt: idempotent and safe in parallel (constant queries).

The partial unique constraint "one open attempt per (user, quiz)" makes
parallel starts collapse into one; the loser resumes the winner's attempt.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.sql import columns, fetch, loaded, server_binding_cursor

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
from .answers import remember_slot_specs
from .submit import submit_attempt

SHUFFLED_ALWAYS = {QuestionType.ORDERING, QuestionType.MATCHING}


class QuizUnavailable(Exception):
    """The learner may not start this quiz now (closed, no attempts left...)."""


@dataclass
class _DrawSource:
    """What the draw reads: the same for every learner of a quiz."""

    fixed: list[tuple[int, int, QuestionVersion]]  # position, question, version
    randoms: list[tuple[QuizItem, list[int]]]  # each random item with its candidates, sorted
    versions: dict[int, QuestionVersion]  # question -> its current version
    # position -> (points set on the item or None, the page the item is on by its breaks)
    layout: dict[int, tuple[Decimal | None, int]]
    has_breaks: bool


# A whole cohort starts the same quiz within a minute: each process reads its
# items and question pool at most once per DRAW_SOURCE_SECONDS instead of once
# per learner. An edit to the quiz or its bank reaches new attempts within that
# time (attempts already started keep their versions, as always).
DRAW_SOURCE_SECONDS = 5.0
_draw_sources: dict[int, tuple[float, _DrawSource]] = {}


def forget_draw_sources() -> None:
    """Empty this process's copy (tests, where rolled-back ids are reused)."""
    _draw_sources.clear()


def _draw_source(quiz: Quiz) -> _DrawSource:
    """Items with fixed questions' versions (one query), the random pool as plain
    rows (one), its versions (one) and tags (one, only when a draw filters by tag)."""
    now = time.monotonic()
    cached = _draw_sources.get(quiz.pk)
    if cached is not None and cached[0] > now:
        return cached[1]
    items = list(
        QuizItem.objects.filter(quiz=quiz).select_related("category", "question__current_version")
    )
    fixed = [
        (item.position, item.question.pk, item.question.current_version)
        for item in items
        if item.kind == QuizItem.Kind.FIXED and item.question and item.question.current_version
    ]
    randoms = [i for i in items if i.kind == QuizItem.Kind.RANDOM and i.category]
    pool: dict[int, tuple[int, str, int]] = {}
    tags: dict[int, set[int]] = {}
    versions: dict[int, QuestionVersion] = {}
    if randoms:
        q = Q(pk__in=[])
        for item in randoms:
            assert item.category is not None  # randoms have one (filtered above)
            q |= (
                Q(category__path__startswith=item.category.path)
                if item.include_subcategories
                else Q(category_id=item.category_id)
            )
        pool = {
            row[0]: row[1:]
            for row in Question.objects.filter(
                q, is_active=True, current_version__isnull=False
            ).values_list("pk", "category_id", "category__path", "current_version_id")
        }
        versions = QuestionVersion.objects.in_bulk([row[2] for row in pool.values()])
        tag_ids = {i.tag_id for i in randoms if i.tag_id}
        if tag_ids:
            for qid, tag_id in Question.tags.through.objects.filter(
                question_id__in=pool, tag_id__in=tag_ids
            ).values_list("question_id", "tag_id"):
                tags.setdefault(qid, set()).add(tag_id)
    layout: dict[int, tuple[Decimal | None, int]] = {}
    page = 0
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        layout[item.position] = (item.points, page)
        page += 1 if item.page_break_after else 0
    source = _DrawSource(
        fixed,
        [(item, _candidates(item, pool, tags)) for item in randoms],
        {qid: versions[version_id] for qid, (_c, _p, version_id) in pool.items()},
        layout,
        any(item.page_break_after for item in items[:-1]),
    )
    for expired in [pk for pk, (until, _s) in _draw_sources.items() if until <= now]:
        _draw_sources.pop(expired, None)  # quizzes nobody starts any more
    _draw_sources[quiz.pk] = (now + DRAW_SOURCE_SECONDS, source)
    return source


def _candidates(
    item: QuizItem, pool: dict[int, tuple[int, str, int]], tags: dict[int, set[int]]
) -> list[int]:
    """The pool's questions a random item may draw, in id order."""
    assert item.category is not None  # randoms have one (filtered above)
    return sorted(
        qid
        for qid, (category_id, path, _version) in pool.items()
        if (
            path.startswith(item.category.path)
            if item.include_subcategories
            else category_id == item.category_id
        )
        and (item.tag_id is None or item.tag_id in tags.get(qid, set()))
    )


@dataclass
class _Drawn:
    version: QuestionVersion
    points: Decimal
    page: int


def _draw(quiz: Quiz, rng: random.Random) -> list[_Drawn]:
    """What an attempt gets: fixed questions and random draws, with their points
    (the item's, else the question's) and pages (the builder's page breaks, else
    `per_page` questions a page). Shuffling keeps every question on its page."""
    source = _draw_source(quiz)
    chosen = [(position, version) for position, _question, version in source.fixed]
    used = {question for _position, question, _version in source.fixed}
    for item, candidates in source.randoms:
        unused = [qid for qid in candidates if qid not in used]
        picks = rng.sample(unused, min(item.count, len(unused)))
        used.update(picks)
        chosen += [(item.position, source.versions[qid]) for qid in picks]
    chosen.sort(key=lambda c: c[0])
    drawn = []
    for position, version in chosen:
        points, page = source.layout.get(position, (None, 0))
        drawn.append(_Drawn(version, version.points if points is None else points, page))
    if not source.has_breaks:
        for drawn_item in drawn:
            drawn_item.page = 0
    if quiz.shuffle_questions:
        pages: dict[int, list[_Drawn]] = {}
        for drawn_item in drawn:
            pages.setdefault(drawn_item.page, []).append(drawn_item)
        drawn = []
        for number in sorted(pages):
            rng.shuffle(pages[number])
            drawn += pages[number]
    # Pages numbered 0, 1, 2... without gaps (a page whose draw came out empty).
    numbers = {page: index for index, page in enumerate(sorted({d.page for d in drawn}))}
    for index, drawn_item in enumerate(drawn):
        drawn_item.page = (
            numbers[drawn_item.page]
            if source.has_breaks
            else (index // quiz.per_page if quiz.per_page else 0)
        )
    return drawn


# PostgreSQL: the attempt and its slots in one statement, in autocommit (one
# statement is atomic on its own: no BEGIN, no COMMIT, one round trip), with its
# parameters apart. The slots come as one JSON document: psycopg's dumping of five
# Python lists to arrays, and bulk_create's 40 rows x 15 inlined values, cost more
# CPU than the rest of a start. Every column is listed (checked against the model
# by tests/quizzes/test_save_path.py).
SLOT_COLUMNS = (
    "attempt_id", "position", "page", "version_id", "choice_order", "max_points",
    "response", "seq", "saved_at", "flagged", "score", "needs_manual", "comment",
    "graded_by_id", "graded_at", "override_reason",
)  # fmt: skip
SLOT_VALUES = (
    "a.id, t.position, t.page, t.version, t.choice_order, t.max_points, "
    "NULL, 0, NULL, false, NULL, false, '', NULL, NULL, ''"
)
# The attribute order of AttemptSlot.from_db for a slot just inserted (SLOT_VALUES).
_NEW_SLOT_DEFAULTS = {
    "response": None, "seq": 0, "saved_at": None, "flagged": False, "score": None,
    "needs_manual": False, "comment": "", "graded_by_id": None, "graded_at": None,
    "override_reason": "",
}  # fmt: skip


@cache
def _start_sql() -> tuple[str, tuple[Any, ...], list[str]]:
    """The statement, the Attempt fields its VALUES take in order, and the
    attribute names of a slot row (AttemptSlot.from_db)."""
    fields = [f for f in Attempt._meta.concrete_fields if not f.primary_key]
    sql = f"""
WITH a AS (
    INSERT INTO quizzes_attempt ({", ".join(f'"{f.column}"' for f in fields)})
    VALUES ({", ".join(["%s"] * len(fields))})
    RETURNING id
), s AS (
    INSERT INTO quizzes_attemptslot ({", ".join(SLOT_COLUMNS)})
    SELECT {SLOT_VALUES}
    FROM a, jsonb_to_recordset(%s::jsonb)
         AS t(position integer, page integer, version bigint, choice_order jsonb, max_points numeric)
    RETURNING id, position
)
SELECT (SELECT id FROM a), array_agg(s.id ORDER BY s.position) FROM s
"""
    return sql, tuple(fields), [f.attname for f in AttemptSlot._meta.concrete_fields]


def _insert(
    attempt: Attempt, slots: list[tuple[int, int, QuestionVersion, list[str], Decimal]]
) -> None:
    """Insert the attempt and its slots (position, page, version, choice order, points)."""
    if connection.vendor != "postgresql":
        with transaction.atomic(savepoint=False):
            attempt.save(force_insert=True)
            made = [
                AttemptSlot(
                    attempt=attempt,
                    position=position,
                    page=page,
                    version=version,
                    choice_order=order,
                    max_points=points,
                )
                for position, page, version, order, points in slots
            ]
            AttemptSlot.objects.bulk_create(made)
        attempt.prefetched_slots = made  # type: ignore[attr-defined]
        return
    sql, fields, slot_attnames = _start_sql()
    params: list[Any] = [
        field.get_db_prep_save(getattr(attempt, field.attname), connection) for field in fields
    ]
    params.append(
        json.dumps(
            [
                {
                    "position": position,
                    "page": page,
                    "version": version.pk,
                    "choice_order": order,
                    "max_points": str(points),
                }
                for position, page, version, order, points in slots
            ]
        )
    )
    with server_binding_cursor() as cursor:
        cursor.execute(sql, params)
        attempt.pk, ids = cursor.fetchone()  # the slots' ids in the order of their positions
    attempt._state.adding = False
    attempt._state.db = connection.alias
    made = []
    for pk, (position, page, version, order, points) in zip(ids, slots, strict=True):
        row = (pk, attempt.pk, position, page, version.pk, order, points)
        slot = loaded(AttemptSlot, slot_attnames, (*row, *_NEW_SLOT_DEFAULTS.values()))
        slot._state.fields_cache.update(version=version, attempt=attempt)
        made.append(slot)
    attempt.prefetched_slots = made  # type: ignore[attr-defined]


def _choice_order(version: QuestionVersion, shuffle: bool, rng: random.Random) -> list[str]:
    ids = version.choice_ids()
    if shuffle or version.type in SHUFFLED_ALWAYS:
        original = list(ids)
        rng.shuffle(ids)
        if version.type == QuestionType.ORDERING and ids == original and len(ids) > 1:
            ids = ids[1:] + ids[:1]  # never show an ordering question already solved
    return ids


QUIZ_FOR_START_SQL = """
SELECT {quiz}, o.extra_seconds, o.extra_attempts
FROM quizzes_quiz q
LEFT JOIN quizzes_quizoverride o ON o.quiz_id = q.id AND o.user_id = %s
WHERE q.id = %s
"""
ATTEMPTS_SQL = """
SELECT {attempt} FROM quizzes_attempt a WHERE a.user_id = %s AND a.quiz_id = %s ORDER BY a.number
"""


def quiz_for_start(*, quiz_id: int, user: User) -> Quiz | None:
    """The quiz with the user's override (extra time, extra attempts), in one statement."""
    rows = fetch(QUIZ_FOR_START_SQL.format(quiz=columns(Quiz, "q")), [user.pk, quiz_id], Quiz)
    if not rows:
        return None
    quiz, quiz.override_seconds, quiz.override_attempts = rows[0]
    return quiz


def _attempts_of(user: User, quiz: Quiz) -> list[Attempt]:
    rows = fetch(ATTEMPTS_SQL.format(attempt=columns(Attempt, "a")), [user.pk, quiz.pk], Attempt)
    for (attempt,) in rows:
        attempt.quiz = quiz
    return [attempt for (attempt,) in rows]


def _resume(attempt: Attempt, now: datetime) -> Attempt:
    if attempt.is_overdue(now):
        return submit_attempt(attempt=attempt, now=now)
    return attempt


def start_attempt(
    *, user: User, quiz: Quiz, now: datetime | None = None, preview: bool = False
) -> Attempt:
    """Start a new attempt or resume the open one (idempotent, safe in parallel).

    The caller has checked that the user may take the quiz (for a `preview`,
    that they may edit it: a preview ignores publication, dates and the
    number of attempts, and never counts anywhere). Must not run inside
    another transaction: a lost race is resolved by catching the
    unique-constraint error and resuming the winner's attempt.
    """
    now = now or timezone.now()
    existing = _attempts_of(user, quiz)
    current = next((a for a in existing if a.is_open), None)
    if current is not None:
        current = _resume(current, now)
        if current.is_open:
            if current.is_preview != preview:
                raise QuizUnavailable(
                    _("Bạn đang có một lượt xem thử đang mở: hãy nộp bài lượt đó trước.")
                    if current.is_preview
                    else _("Bạn đang có một lượt làm bài đang mở: hãy nộp bài lượt đó trước.")
                )
            return current
    if preview:
        return _start(user, quiz, now, existing, 0, preview=True)
    if not quiz.is_published or not quiz.is_open_for_starting(now):
        raise QuizUnavailable(_("Bài kiểm tra hiện không mở."))
    override = None
    # Fetched with the quiz (quiz_for_start):
    if hasattr(quiz, "override_seconds") and hasattr(quiz, "override_attempts"):
        if quiz.override_seconds is not None:
            override = QuizOverride(
                extra_seconds=quiz.override_seconds, extra_attempts=quiz.override_attempts
            )
    elif quiz.time_limit or quiz.attempts_allowed:  # overrides only change these
        override = QuizOverride.objects.filter(quiz=quiz, user=user).first()
    extra_seconds = override.extra_seconds if override else 0
    if quiz.attempts_allowed:
        allowed = quiz.attempts_allowed + (override.extra_attempts if override else 0)
        if len([a for a in existing if not a.is_preview]) >= allowed:
            raise QuizUnavailable(_("Bạn đã dùng hết số lượt làm bài."))
    return _start(user, quiz, now, existing, extra_seconds)


def _start(
    user: User,
    quiz: Quiz,
    now: datetime,
    existing: list[Attempt],
    extra_seconds: int,
    preview: bool = False,
) -> Attempt:
    seed = secrets.randbits(62)
    rng = random.Random(seed)
    drawn = _draw(quiz, rng)
    if not drawn:
        raise QuizUnavailable(_("Bài kiểm tra chưa có câu hỏi."))
    deadline = quiz.deadline_for(now, extra_seconds)
    if preview:  # the quiz's own dates do not bind a trainer's preview, its time limit does
        deadline = now + timedelta(seconds=quiz.time_limit) if quiz.time_limit else None
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
        is_preview=preview,
    )
    slots = [
        (i, d.page, d.version, _choice_order(d.version, quiz.shuffle_choices, rng), d.points)
        for i, d in enumerate(drawn)
    ]
    try:
        _insert(attempt, slots)
    except IntegrityError:
        # Another request started it first (double click, second tab): resume that one.
        winner = Attempt.objects.filter(user=user, quiz=quiz, state=Attempt.State.OPEN).first()
        if winner is None or winner.is_preview != preview:
            raise
        return winner
    remember_slot_specs(attempt, attempt.prefetched_slots)  # type: ignore[attr-defined]
    return attempt
