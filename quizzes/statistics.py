"""Item analysis, as Moodle's quiz statistics report computes it, plus a review queue.

Per quiz and question version, over finished, fully graded attempts:

- facility index: mean share of the marks earned (0–100 %);
- standard deviation of that share (sample SD, n − 1), in % of the marks;
- discrimination index: 100 × the correlation between the item's marks and
  the rest of the attempt (total minus this item: the *corrected*
  item–total correlation);
- discriminative efficiency: 100 × cov(item, rest) / the largest covariance
  the two distributions allow (both sorted ascending), as Moodle does;
- the share of attempts choosing each option (distractor analysis), and
  of attempts leaving the question unanswered;
- the quiz's Cronbach's alpha over its slot positions:
  k/(k−1) × (1 − Σ var(position) / var(total)).

Everything is read in two queries whatever the number of attempts (slots
joined with their attempts, then the versions), and computed with NumPy.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import BooleanField, ExpressionWrapper, FloatField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .models import Attempt, AttemptSlot, QuestionType, QuestionVersion, Quiz

if TYPE_CHECKING:
    from accounts.models import User

# Thresholds of the "câu hỏi cần xem lại" queue (percent), and the fewest
# responses a verdict needs: below it the numbers are noise.
TOO_EASY = 90.0
TOO_HARD = 20.0
WEAK_DISCRIMINATION = 20.0
REVIEW_MIN_RESPONSES = 5

FLAG_LABELS = {
    "too_easy": _("Quá dễ (chỉ số dễ > 90%)"),
    "too_hard": _("Quá khó (chỉ số dễ < 20%)"),
    "weak": _("Phân loại kém (độ phân biệt < 20%)"),
    "negative": _("Phân loại ngược (độ phân biệt âm)"),
}

NO_ANSWER = "__none__"
CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE)


@dataclass
class OptionShare:
    id: str
    text: str
    correct: bool
    count: int
    share: float  # percent of the item's responses


@dataclass
class ItemStats:
    quiz_id: int
    version_id: int
    question_id: int
    version_number: int
    type: str
    text: str
    positions: list[int]
    responses: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None
    options: list[OptionShare] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[f]) for f in self.flags]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version_id,
            "question": self.question_id,
            "version_number": self.version_number,
            "type": self.type,
            "text": self.text,
            "positions": [p + 1 for p in self.positions],
            "responses": self.responses,
            "facility": _round(self.facility),
            "sd": _round(self.sd),
            "discrimination": _round(self.discrimination),
            "efficiency": _round(self.efficiency),
            "options": [
                {
                    "id": o.id,
                    "text": o.text,
                    "correct": o.correct,
                    "count": o.count,
                    "share": _round(o.share),
                }
                for o in self.options
            ],
            "flags": self.flags,
        }


@dataclass
class QuizStats:
    quiz_id: int
    attempts: int
    mean: float | None  # mean attempt percent
    sd: float | None
    alpha: float | None
    items: list[ItemStats]

    @property
    def review(self) -> list[ItemStats]:
        return [item for item in self.items if item.flags]

    def as_dict(self) -> dict[str, Any]:
        return {
            "quiz": self.quiz_id,
            "attempts": self.attempts,
            "mean": _round(self.mean),
            "sd": _round(self.sd),
            "alpha": _round(self.alpha, 4),
            "items": [i.as_dict() for i in self.items],
            "review": [i.version_id for i in self.review],
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _corr(x: np.ndarray, y: np.ndarray) -> float | None:
    dx, dy = x - x.mean(), y - y.mean()
    denominator = float(np.sqrt((dx * dx).sum() * (dy * dy).sum()))
    if denominator == 0:
        return None
    return float((dx * dy).sum()) / denominator


def _cov(x: np.ndarray, y: np.ndarray) -> float:
    return float(((x - x.mean()) * (y - y.mean())).sum())


def cronbach_alpha(matrix: np.ndarray) -> float | None:
    """Alpha of an attempts × items matrix of marks (None when undefined)."""
    n, k = matrix.shape
    if n < 2 or k < 2:
        return None
    total_var = float(matrix.sum(axis=1).var(ddof=1))
    if total_var == 0:
        return None
    return k / (k - 1) * (1 - float(matrix.var(axis=0, ddof=1).sum()) / total_var)


def _flags(item: ItemStats) -> list[str]:
    if item.responses < REVIEW_MIN_RESPONSES or item.facility is None:
        return []
    flags = []
    if item.facility > TOO_EASY:
        flags.append("too_easy")
    elif item.facility < TOO_HARD:
        flags.append("too_hard")
    if item.discrimination is not None:
        if item.discrimination < 0:
            flags.append("negative")
        elif item.discrimination < WEAK_DISCRIMINATION:
            flags.append("weak")
    return flags


def _picks(qtype: str, answered: bool, choice: str | None, choices: str | None) -> list[str]:
    """The option ids one response picked ([NO_ANSWER] for a blank one)."""
    if not answered:
        return [NO_ANSWER]
    if qtype == QuestionType.SINGLE:
        return [str(choice)]
    if qtype == QuestionType.MULTIPLE:
        return [str(c) for c in json.loads(choices or "[]")]
    if qtype == QuestionType.TRUE_FALSE:
        return ["true" if choice in ("true", "1", "True") else "false"]
    return []


def _options(version: dict[str, Any], counts: Counter[str], n: int) -> list[OptionShare]:
    """How many responses picked each option (choice types), and how many were blank."""
    qtype, data = version["type"], version["data"] or {}
    options: list[tuple[str, str, bool]] = []
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        options = [
            (c["id"], c.get("text", ""), float(c.get("fraction", 0)) > 0)
            for c in data.get("choices", [])
        ]
    elif qtype == QuestionType.TRUE_FALSE:
        answer = bool(data.get("answer"))
        options = [
            ("true", pgettext("true/false option", "Đúng"), answer),
            ("false", pgettext("true/false option", "Sai"), not answer),
        ]
    options.append((NO_ANSWER, str(_("Không trả lời")), False))
    return [
        OptionShare(
            id=oid,
            text=text,
            correct=correct,
            count=counts.get(oid, 0),
            share=(100.0 * counts.get(oid, 0) / n) if n else 0.0,
        )
        for oid, text, correct in options
    ]


def _attempt_filter(viewer: User | None) -> Q:
    q = Q(
        attempt__state=Attempt.State.FINISHED,
        attempt__needs_grading=False,
        attempt__is_preview=False,
    )
    if viewer is not None:
        scope = viewer.scope_q("attempt__user__unit__path")
        if scope is not None:
            q &= scope
    return q


def analyse(quiz_ids: list[int], *, viewer: User | None = None) -> dict[int, QuizStats]:
    """Statistics of several quizzes at once (two queries in all).

    `viewer` limits the attempts to the learners in their scope (None: all).
    Marks come as floats and the picked option as text straight from the
    database: decoding tens of thousands of JSON responses would cost more
    than the statistics themselves.
    """
    rows = list(
        AttemptSlot.objects.filter(_attempt_filter(viewer), attempt__quiz_id__in=quiz_ids)
        .annotate(
            marks=Cast("score", FloatField()),
            top=Cast("max_points", FloatField()),
            answered=ExpressionWrapper(Q(response__isnull=False), output_field=BooleanField()),
            choice=KT("response__choice"),
            tf=KT("response__value"),
            choices=KT("response__choices"),
        )
        .order_by()
        .values_list(
            "attempt__quiz_id",
            "attempt_id",
            "position",
            "version_id",
            "marks",
            "top",
            "answered",
            "choice",
            "tf",
            "choices",
        )
    )
    version_ids = {r[3] for r in rows}
    versions = {
        v["id"]: v
        for v in QuestionVersion.objects.filter(pk__in=version_ids).values(
            "id", "question_id", "number", "type", "text", "data"
        )
    }
    by_quiz: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        by_quiz[row[0]].append(row)
    return {qid: _quiz_stats(qid, by_quiz.get(qid, []), versions) for qid in quiz_ids}


def _quiz_stats(quiz_id: int, rows: list[tuple], versions: dict[int, Any]) -> QuizStats:
    if not rows:
        return QuizStats(quiz_id=quiz_id, attempts=0, mean=None, sd=None, alpha=None, items=[])
    columns = list(zip(*rows, strict=True))
    attempt_ids, a_idx = np.unique(np.array(columns[1]), return_inverse=True)
    position_ids, p_idx = np.unique(np.array(columns[2]), return_inverse=True)
    version_col = np.array(columns[3])
    score = np.array([m or 0.0 for m in columns[4]], dtype=float)
    top = np.array([t or 0.0 for t in columns[5]], dtype=float)
    marks = np.zeros((len(attempt_ids), len(position_ids)))
    maxima = np.zeros_like(marks)
    marks[a_idx, p_idx] = score
    maxima[a_idx, p_idx] = top
    totals = marks.sum(axis=1)
    max_totals = maxima.sum(axis=1)
    percents = np.divide(totals * 100, max_totals, out=np.zeros_like(totals), where=max_totals > 0)

    items = []
    for version_id in np.unique(version_col):
        version = versions[int(version_id)]
        where = np.nonzero(version_col == version_id)[0]
        x = score[where]
        share = np.divide(x, top[where], out=np.zeros_like(x), where=top[where] > 0)
        rest = totals[a_idx[where]] - x
        n = len(where)
        facility = float(share.mean()) * 100
        sd = float(share.std(ddof=1)) * 100 if n > 1 else None
        corr = _corr(x, rest) if n > 1 else None
        discrimination = None if corr is None else corr * 100
        efficiency = None
        if discrimination is not None:
            best = _cov(np.sort(x), np.sort(rest))
            if best > 0:
                efficiency = 100 * _cov(x, rest) / best
        counts: Counter[str] = Counter()
        qtype = version["type"]
        if qtype == QuestionType.SINGLE:
            counts = Counter(rows[i][7] if rows[i][6] else NO_ANSWER for i in where)
        elif qtype in CHOICE_TYPES:
            for i in where:
                row = rows[i]
                counts.update(
                    _picks(qtype, row[6], row[8] if qtype == "truefalse" else row[7], row[9])
                )
        else:
            counts[NO_ANSWER] = sum(1 for i in where if not rows[i][6])
        item = ItemStats(
            quiz_id=quiz_id,
            version_id=int(version_id),
            question_id=version["question_id"],
            version_number=version["number"],
            type=qtype,
            text=version["text"],
            positions=sorted({int(p) for p in position_ids[p_idx[where]]}),
            responses=n,
            facility=facility,
            sd=sd,
            discrimination=discrimination,
            efficiency=efficiency,
            options=_options(version, counts, n),
        )
        item.flags = _flags(item)
        items.append(item)
    items.sort(key=lambda i: (i.positions[0], i.version_id))
    n = len(attempt_ids)
    return QuizStats(
        quiz_id=quiz_id,
        attempts=n,
        mean=float(percents.mean()),
        sd=float(percents.std(ddof=1)) if n > 1 else None,
        alpha=cronbach_alpha(marks),
        items=items,
    )


def quiz_statistics(quiz: Quiz, *, viewer: User | None = None) -> QuizStats:
    return analyse([quiz.pk], viewer=viewer)[quiz.pk]


def review_queue(viewer: User, *, mine: bool = False) -> list[tuple[Quiz, ItemStats]]:
    """Questions to look at again, over every quiz the viewer may read.

    `mine`: only questions the viewer wrote (the author's own queue).
    Constant queries: quizzes, slots, versions (and question authors).
    """
    quizzes = {q.pk: q for q in Quiz.objects.visible_to(viewer).only("id", "title")}
    stats = analyse(list(quizzes), viewer=viewer)
    out = [(quizzes[qid], item) for qid, s in stats.items() for item in s.review]
    if mine:
        from .models import Question

        own = set(
            Question.objects.filter(
                pk__in={i.question_id for _q, i in out}, created_by=viewer
            ).values_list("pk", flat=True)
        )
        out = [(q, i) for q, i in out if i.question_id in own]
    out.sort(key=lambda pair: (pair[0].title, pair[1].positions[0]))
    return out
