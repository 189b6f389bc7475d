"""A trainer's view of one attempt: responses, right answers, time, feedback; grading."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from accounts.text import format_number
from courses.reports import access
from quizzes import scoring
from quizzes.models import AttemptSlot, QuestionType, QuizGrade
from quizzes.services import grade_slot, override_grade

from ..courses.common import error_text


def describe(qtype: str, data: dict[str, Any], response: Any) -> list[str]:
    """A response (or a right answer) in words, whatever the question type."""
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
        lefts = {p["id"]: p.get("left", "") for p in data.get("pairs", [])}
        rights = {r["id"]: r.get("text", "") for r in data.get("rights", [])}
        return [
            f"{lefts.get(k, k)} → {rights.get(v, v)}" for k, v in response.get("pairs", {}).items()
        ]
    if qtype == QuestionType.ORDERING:
        texts = {i["id"]: i.get("text", "") for i in data.get("items", [])}
        return [texts.get(i, i) for i in response.get("order", [])]
    return [str(response)]


@login_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    attempt = access.attempt_for(viewer, pk)
    slots = list(AttemptSlot.objects.filter(attempt=attempt).select_related("version"))
    items = []
    for slot in slots:
        v = slot.version
        items.append(
            {
                "slot": slot,
                "version": v,
                "response": describe(v.type, v.data, slot.response),
                "right": describe(v.type, v.data, scoring.right_answer(v.type, v.data)),
                "feedback": [f for f in scoring.feedback(v.type, v.data, slot.response) if f],
            }
        )
    taken = None
    if attempt.finished_at:
        taken = int((attempt.finished_at - attempt.started_at).total_seconds())
    grade = QuizGrade.objects.filter(user=attempt.user, quiz=attempt.quiz).first()
    return render(
        request,
        "frontend/reports/attempt.html",
        {
            "attempt": attempt,
            "items": items,
            "taken": taken,
            "taken_minutes": None if taken is None else (taken // 60, taken % 60),
            "grade": grade,
        },
    )


def _decimal(raw: str | None) -> Decimal:
    try:
        return Decimal((raw or "").replace(",", ".").strip())
    except InvalidOperation:
        raise ValidationError(_("Điểm phải là một số.")) from None


@login_required
@require_POST
def attempt_override(request: HttpRequest, pk: int) -> HttpResponse:
    """Override the learner's grade on this quiz (reason required, audited)."""
    viewer = request.user
    attempt = access.attempt_for(viewer, pk)
    try:
        raw = request.POST.get("percent", "").strip()
        percent = None if raw == "" and request.POST.get("clear") else _decimal(raw)
        override_grade(
            actor=viewer,
            learner=attempt.user,
            quiz=attempt.quiz,
            percent=percent,
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã cập nhật điểm."))
    return redirect("frontend:report-attempt", attempt.pk)


@login_required
@require_POST
def slot_grade(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one question by hand (essays, or correcting an automatic mark)."""
    viewer = request.user
    slot = AttemptSlot.objects.filter(pk=pk).only("id", "attempt_id").first()
    attempt = access.attempt_for(viewer, slot.attempt_id if slot else 0)
    try:
        grade_slot(
            actor=viewer,
            slot=slot,
            points=_decimal(request.POST.get("points")),
            comment=request.POST.get("comment", ""),
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã chấm điểm câu hỏi."))
    return redirect("frontend:report-attempt", attempt.pk)
