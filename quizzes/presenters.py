"""What a learner may see of a slot: the question without its keys while the
attempt is open, and as much as the review policy allows afterwards.

Both the API and the HTML pages render from these dicts, so the rule
"no key in the page or the API while open" lives in one place.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import pgettext

from . import scoring
from .models import Attempt, AttemptSlot, QuestionType


def public_slot(slot: AttemptSlot) -> dict[str, Any]:
    """A slot as the learner gets it while answering: texts and ids, no keys."""
    version = slot.version
    data = version.data
    out: dict[str, Any] = {
        "id": slot.pk,
        "position": slot.position + 1,
        "page": slot.page,
        "type": version.type,
        "text": version.text,
        "points": str(slot.max_points.normalize()),
        "choices": [],
        "lefts": [],
        "response": slot.response,
        "seq": slot.seq,
        "flagged": slot.flagged,
    }
    if version.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        texts = {c["id"]: c["text"] for c in data.get("choices", [])}
        out["choices"] = [{"id": i, "text": texts[i]} for i in slot.choice_order if i in texts]
    elif version.type == QuestionType.TRUE_FALSE:
        out["choices"] = [
            {"id": "true", "text": pgettext("true/false option", "Đúng")},
            {"id": "false", "text": pgettext("true/false option", "Sai")},
        ]
    elif version.type == QuestionType.MATCHING:
        texts = {r["id"]: r["text"] for r in data.get("rights", [])}
        out["choices"] = [{"id": i, "text": texts[i]} for i in slot.choice_order if i in texts]
        out["lefts"] = [
            {"id": p["id"], "text": p["left"]} for p in data.get("pairs", []) if p["left"]
        ]
    elif version.type == QuestionType.ORDERING:
        texts = {i["id"]: i["text"] for i in data.get("items", [])}
        order = (slot.response or {}).get("order") or slot.choice_order
        out["choices"] = [{"id": i, "text": texts[i]} for i in order if i in texts]
    return out


def review_slot(slot: AttemptSlot, attempt: Attempt, now: datetime) -> dict[str, Any]:
    """A slot after submission, filtered by the quiz's review policy."""
    out = public_slot(slot)
    quiz = attempt.quiz
    version = slot.version
    out["score"] = None
    out["correct"] = None
    out["right_answer"] = None
    out["feedback"] = []
    out["comment"] = ""
    if attempt.is_open:
        return out
    if quiz.review_allows("score", now):
        out["score"] = fmt(slot.score)
        out["comment"] = slot.comment
    if quiz.review_allows("correctness", now) and slot.score is not None:
        out["correct"] = (
            "right" if slot.score >= slot.max_points else "partial" if slot.score > 0 else "wrong"
        )
    if quiz.review_allows("answers", now):
        out["right_answer"] = scoring.right_answer(version.type, version.data)
    if quiz.review_allows("feedback", now):
        out["feedback"] = scoring.feedback(version.type, version.data, slot.response)
    return out


def fmt(value: Decimal | None) -> str | None:
    """Scores and percents as strings with two decimals ("87.50")."""
    return None if value is None else f"{value:.2f}"


def review_summary(attempt: Attempt, now: datetime) -> dict[str, Any]:
    quiz = attempt.quiz
    show = quiz.review_allows("score", now) and not attempt.is_open
    return {
        "id": attempt.pk,
        "state": attempt.state,
        "needs_grading": attempt.needs_grading,
        "score": fmt(attempt.score) if show else None,
        "max_score": fmt(attempt.max_score) if show else None,
        "percent": fmt(attempt.percent) if show else None,
        "passed": attempt.passed if show else None,
        "feedback": quiz.feedback_for(attempt.percent) if show else "",
    }
