"""Filling a survey (phone first): one page, every question, one submit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from training.surveys import services
from training.surveys.models import Survey, SurveySubmission
from training.surveys.templates import likert_labels


def dashboard_section(request: HttpRequest) -> dict[str, Any] | None:
    """Surveys waiting for the learner (none: no section)."""
    if request.user.is_trainer:  # type: ignore[union-attr]
        return None
    surveys = list(services.answerable(request.user)[:10])  # type: ignore[arg-type]
    if not surveys:
        return None
    return {"template": "frontend/surveys/_dashboard.html", "surveys": surveys}


def _survey_for_learner(request: HttpRequest, pk: int) -> tuple[Survey, bool]:
    """The survey and whether the learner has answered it; 404 unless it is
    theirs to fill (or already filled)."""
    survey = Survey.objects.select_related("course", "session").filter(pk=pk).first()
    if survey is None:
        raise Http404
    answered = SurveySubmission.objects.filter(survey=survey, user=request.user).exists()
    if not answered and not services.may_answer(request.user, survey):  # type: ignore[arg-type]
        raise Http404
    return survey, answered


@login_required
def survey_fill(request: HttpRequest, pk: int) -> HttpResponse:
    survey, answered = _survey_for_learner(request, pk)
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    if request.method == "POST" and not answered:
        values = {k: v for k, v in request.POST.items() if k.startswith("q")}
        try:
            services.submit_response(user=request.user, survey=survey, data=request.POST)  # type: ignore[arg-type]
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = exc.message_dict
                messages.error(
                    request, _("Phiếu chưa gửi được: hãy xem lại các câu được đánh dấu.")
                )
            else:
                messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Cảm ơn đồng chí đã gửi phiếu đánh giá."))
            return redirect("frontend:survey-fill", survey.pk)
    questions = [
        {
            "q": q,
            "name": f"q{q.pk}",
            "value": values.get(f"q{q.pk}", ""),
            "errors": errors.get(f"q{q.pk}", []),
            "options": (
                [(str(n), label) for n, label in enumerate(likert_labels(), start=1)]
                if q.kind == "likert"
                else [(str(n), label) for n, label in enumerate(q.choices)]
            ),
        }
        for q in survey.questions.all()
    ]
    status = 400 if errors else 200
    return render(
        request,
        "frontend/surveys/fill.html",
        {"survey": survey, "answered": answered, "questions": questions},
        status=status,
    )
