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

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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


def _options(version: dict[str, Any], responses: list[Any]) -> list[OptionShare]:
    """How many responses picked each option (choice types), and how many were blank."""
    qtype, data = version["type"], version["data"] or {}
    n = len(responses)
    counts: dict[str, int] = defaultdict(int)
    for response in responses:
        if not response:
            counts[NO_ANSWER] += 1
        elif qtype == QuestionType.SINGLE:
            counts[str(response.get("choice"))] += 1
        elif qtype == QuestionType.MULTIPLE:
            for pick in response.get("choices", []):
                counts[str(pick)] += 1
        elif qtype == QuestionType.TRUE_FALSE:
            counts["true" if response.get("value") else "false"] += 1
    options: list[tuple[str, str, bool]] = []
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        options = [
            (c["id"], c.get("text", ""), float(c.get("fraction", 0)) > 0)
            for c in data.get("choices", [])
        ]
    elif qtype == QuestionType.TRUE_FALSE:
        answer = bool(data.get("answer"))
        options = [("true", str(_("Đúng")), answer), ("false", str(_("Sai")), not answer)]
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
    q = Q(attempt__state=Attempt.State.FINISHED, attempt__needs_grading=False)
    if viewer is not None:
        scope = viewer.scope_q("attempt__user__unit__path")
        if scope is not None:
            q &= scope
    return q


def analyse(quiz_ids: list[int], *, viewer: User | None = None) -> dict[int, QuizStats]:
    """Statistics of several quizzes at once (two queries in all).

    `viewer` limits the attempts to the learners in their scope (None: all).
    """
    rows = list(
        AttemptSlot.objects.filter(_attempt_filter(viewer), attempt__quiz_id__in=quiz_ids)
        .order_by()
        .values_list(
            "attempt__quiz_id",
            "attempt_id",
            "position",
            "version_id",
            "score",
            "max_points",
            "response",
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
    attempt_ids = sorted({r[1] for r in rows})
    positions = sorted({r[2] for r in rows})
    a_index = {a: i for i, a in enumerate(attempt_ids)}
    p_index = {p: i for i, p in enumerate(positions)}
    marks = np.zeros((len(attempt_ids), len(positions)))
    maxima = np.zeros((len(attempt_ids), len(positions)))
    for _quiz, attempt, position, _version, score, max_points, _response in rows:
        marks[a_index[attempt], p_index[position]] = float(score or 0)
        maxima[a_index[attempt], p_index[position]] = float(max_points or 0)
    totals = marks.sum(axis=1)
    max_totals = maxima.sum(axis=1)
    percents = np.divide(totals * 100, max_totals, out=np.zeros_like(totals), where=max_totals > 0)

    per_version: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        per_version[row[3]].append(row)
    items = []
    for version_id, vrows in per_version.items():
        version = versions[version_id]
        idx = np.array([a_index[r[1]] for r in vrows])
        x = np.array([float(r[4] or 0) for r in vrows])
        top = np.array([float(r[5] or 0) for r in vrows])
        share = np.divide(x, top, out=np.zeros_like(x), where=top > 0)
        rest = totals[idx] - x
        n = len(vrows)
        facility = float(share.mean()) * 100
        sd = float(share.std(ddof=1)) * 100 if n > 1 else None
        corr = _corr(x, rest) if n > 1 else None
        discrimination = None if corr is None else corr * 100
        efficiency = None
        if discrimination is not None:
            best = _cov(np.sort(x), np.sort(rest))
            if best > 0:
                efficiency = 100 * _cov(x, rest) / best
        item = ItemStats(
            quiz_id=quiz_id,
            version_id=version_id,
            question_id=version["question_id"],
            version_number=version["number"],
            type=version["type"],
            text=version["text"],
            positions=sorted({r[2] for r in vrows}),
            responses=n,
            facility=facility,
            sd=sd,
            discrimination=discrimination,
            efficiency=efficiency,
            options=_options(version, [r[6] for r in vrows]),
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
