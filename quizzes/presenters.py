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

from accounts.text import format_number

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
        "question_id": version.question_id,
        "points": str(slot.max_points.normalize()),
        "choices": [],
        "lefts": [],
        "unit": data.get("unit", "") if version.type == QuestionType.NUMERIC else "",
        "response_template": data.get("response_template", "")
        if version.type == QuestionType.ESSAY
        else "",
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
        # The percent on the quiz's own scale (its maximum grade, 10 by default).
        "grade": fmt(attempt.percent * quiz.max_grade / 100)
        if show and attempt.percent is not None
        else None,
        "max_grade": fmt(quiz.max_grade),
    }


def answer_lines(qtype: str, data: dict[str, Any], response: Any) -> list[str]:
    """A response (or a right answer) in words, one line per part, whatever the type.

    Every page that shows what a learner answered, or what the key says (the
    learner's result, the grading page, the trainer's attempt review), goes
    through this, so they all say it the same way: the texts of the picked
    choices, "left → right" pairs in the question's order, the items in the
    order given, numbers in the language's format. [] for no response.
    """
    if not response:
        return []
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        texts = {c["id"]: c.get("text", "") for c in data.get("choices", [])}
        picks = [response["choice"]] if "choice" in response else response.get("choices", [])
        return [texts.get(p, p) for p in picks]
    if qtype == QuestionType.TRUE_FALSE:
        if response.get("value"):
            return [pgettext("true/false option", "Đúng")]
        return [pgettext("true/false option", "Sai")]
    if qtype in (QuestionType.SHORT, QuestionType.ESSAY):
        return [str(response.get("text", ""))]
    if qtype == QuestionType.NUMERIC:
        return [format_number(response.get("value"), 6)]
    if qtype == QuestionType.MATCHING:
        rights = {r["id"]: r.get("text", "") for r in data.get("rights", [])}
        given = response.get("pairs", {})
        return [
            f"{p['left']} → {rights.get(given[p['id']], '') if given.get(p['id']) else '—'}"
            for p in data.get("pairs", [])
            if p.get("left")
        ]
    if qtype == QuestionType.ORDERING:
        texts = {i["id"]: i.get("text", "") for i in data.get("items", [])}
        return [texts.get(i, i) for i in response.get("order", [])]
    return [str(response)]


def right_lines(qtype: str, data: dict[str, Any]) -> list[str]:
    """The key in words: the full-marks response, with every accepted short answer
    and a numeric answer's tolerance."""
    if qtype == QuestionType.SHORT:
        full = [str(a.get("text", "")) for a in data.get("answers", []) if _full(a)]
        if full:
            return full
    if qtype == QuestionType.NUMERIC:
        right = scoring.right_answer(qtype, data)
        best = next(
            (a for a in data.get("answers", []) if right and a.get("value") == right["value"]),
            None,
        )
        if best is not None:
            line = format_number(best["value"], 6)
            if best.get("tolerance"):
                line += f" ± {format_number(best['tolerance'], 6)}"
            return [line]
    return answer_lines(qtype, data, scoring.right_answer(qtype, data))


def _full(answer: dict[str, Any]) -> bool:
    return Decimal(str(answer.get("fraction", 1))) >= 1


def graded_slot(slot: AttemptSlot) -> dict[str, Any]:
    """A submitted slot as its grader sees it, whatever the review policy: the
    response and the key in words, the mark and how it was given (by the key,
    by hand, or by hand over the key's), the key's own mark beside it."""
    version = slot.version
    automatic = slot.automatic_points()
    return {
        "id": slot.pk,
        "position": slot.position + 1,
        "type": version.type,
        "type_label": version.get_type_display(),
        "text": version.text,
        "question_id": version.question_id,
        "rubric": version.data.get("rubric", "") if version.type == QuestionType.ESSAY else "",
        "max_points": slot.max_points,
        "answered": slot.response is not None,
        "response": slot.response,
        "response_lines": answer_lines(version.type, version.data, slot.response),
        "right_lines": right_lines(version.type, version.data),
        "feedback": scoring.feedback(version.type, version.data, slot.response),
        "score": slot.score,
        "automatic_score": automatic,
        "needs_manual": slot.needs_manual,
        "overridden": slot.is_overridden,
        "override_reason": slot.override_reason,
        "comment": slot.comment,
        "graded_by": slot.graded_by.full_name if slot.graded_by else None,
        "graded_at": slot.graded_at,
    }
