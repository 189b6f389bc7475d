"""A trainer's view of one attempt: time taken, every question with the
learner's response, the key and the mark (the grading page's question cards,
with their marking and override forms), and the override of the quiz grade."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.reports import access
from quizzes.services import override_grade

from ..courses.common import error_text
from ..quizzes.grading import marks_context, slot_rows


@login_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    attempt = access.attempt_for(viewer, pk)
    taken = None
    if attempt.finished_at:
        taken = int((attempt.finished_at - attempt.started_at).total_seconds())
    return render(
        request,
        "frontend/reports/attempt.html",
        {
            **marks_context(attempt),
            "rows": slot_rows(attempt),
            "taken_minutes": None if taken is None else (taken // 60, taken % 60),
            "back": "report",
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
