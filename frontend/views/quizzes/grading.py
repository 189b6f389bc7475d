"""Grading: the queue of attempts to mark, and every question of a submitted
attempt with the learner's response, the key and the mark, where a trainer
marks essays and overrides automatic marks (the report's attempt page shows
the same question cards)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from quizzes import presenters, services
from quizzes.api.attempts import grading_scope
from quizzes.models import Attempt, AttemptSlot, QuestionType, QuizGrade

from ..courses.common import apply_errors, error_text
from .bank import _trainer
from .forms import GradeForm


class OverrideMarkForm(forms.Form):
    """Replace an automatic mark (points and reason), or give it back to the key."""

    # Localised: "0,5" as people write it in Vietnamese ("0.5" is read the same).
    points = forms.DecimalField(
        label=gettext_lazy("Điểm mới"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do sửa điểm"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Cần nêu lý do khi sửa điểm tự động.")},
    )

    def __init__(self, *args: Any, clearing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clearing = clearing

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.clearing and data.get("points") is None and "points" not in self.errors:
            self.add_error("points", _("Hãy nhập điểm mới."))
        return data


def _grade_form(slot: AttemptSlot, data: Any = None) -> GradeForm:
    return GradeForm(
        data, prefix=f"s{slot.pk}", initial={"points": slot.score, "comment": slot.comment}
    )


def _override_form(slot: AttemptSlot, data: Any = None, clearing: bool = False) -> OverrideMarkForm:
    return OverrideMarkForm(data, prefix=f"o{slot.pk}", clearing=clearing)


def slot_row(slot: AttemptSlot, form: Any = None) -> dict[str, Any]:
    """A question of a submitted attempt as the grader sees it, with its form
    (essays: mark; automatic marks: override); `form` replaces it (errors).
    Needs `version` and `graded_by` loaded."""
    essay = slot.version.type == QuestionType.ESSAY
    if form is None:
        form = _grade_form(slot) if essay else _override_form(slot)
    return {"slot": presenters.graded_slot(slot), "essay": essay, "form": form}


def slot_rows(attempt: Attempt) -> list[dict[str, Any]]:
    """Every question of `attempt` (slot_row), in two queries whatever their number."""
    slots = AttemptSlot.objects.filter(attempt=attempt).select_related("version", "graded_by")
    return [slot_row(slot) for slot in slots]


def marks_context(attempt: Attempt) -> dict[str, Any]:
    """The attempt's total and the learner's grade on the quiz (shown above the questions)."""
    return {
        "attempt": attempt,
        "grade": QuizGrade.objects.filter(user_id=attempt.user_id, quiz_id=attempt.quiz_id).first(),
    }


@login_required
def grading_queue(request: HttpRequest) -> HttpResponse:
    user = _trainer(request)
    hide = request.GET.get("hide") == "1"
    attempts = grading_scope(user).filter(needs_grading=True).order_by("finished_at")[:200]
    return render(
        request, "frontend/quizzes/grading_queue.html", {"attempts": attempts, "hide": hide}
    )


def _attempt_in_scope(user: User, pk: int) -> Attempt:
    attempt = grading_scope(user).filter(pk=pk).first()
    if attempt is None:
        raise Http404
    return attempt


@login_required
@require_GET
def grading_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    user = _trainer(request)
    attempt = _attempt_in_scope(user, pk)
    hide = request.GET.get("hide") == "1"
    return render(
        request,
        "frontend/quizzes/grading_attempt.html",
        {
            **marks_context(attempt),
            "rows": slot_rows(attempt),
            "hide": hide,
            "back": "grading-hidden" if hide else "grading",
        },
    )


def _form_errors(form: forms.Form) -> str:
    """A form's errors in one line, each after its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


BACK = {
    "grading": "frontend:grading-attempt",
    "grading-hidden": "frontend:grading-attempt",
    "report": "frontend:report-attempt",
}


def _back_url(back: str, attempt: Attempt) -> str:
    url = reverse(BACK.get(back, "frontend:grading-attempt"), args=[attempt.pk])
    return url + "?hide=1" if back == "grading-hidden" else url


@login_required
@require_POST
def grading_slot(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one question (essay) or override / restore its automatic mark.

    htmx: answers with the question's card and, out of band, the attempt's
    marks; otherwise back to the page it came from (`back`), with a message.
    """
    user = _trainer(request)
    slot = AttemptSlot.objects.select_related("version").filter(pk=pk).first()
    if slot is None:
        raise Http404
    attempt = _attempt_in_scope(user, slot.attempt_id)
    back = request.POST.get("back", "grading")
    essay = slot.version.type == QuestionType.ESSAY
    action = request.POST.get("action", "")
    form: GradeForm | OverrideMarkForm
    if essay:
        form = _grade_form(slot, request.POST)
    else:
        form = _override_form(slot, request.POST, clearing=action == "clear")
    done = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            if essay:
                services.grade_slot(
                    actor=user,
                    slot=slot,
                    points=data["points"],
                    comment=data["comment"],
                    reason=data["reason"],
                )
                done = _("Đã lưu điểm.")
            else:
                clearing = action == "clear"
                services.override_slot(
                    actor=user,
                    slot=slot,
                    points=None if clearing else data["points"],
                    reason=data["reason"],
                )
                done = _("Đã trả về điểm tự động.") if clearing else _("Đã sửa điểm.")
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, error_text(exc))
    if not request.htmx:  # type: ignore[attr-defined]
        if done:
            messages.success(request, done)
        else:
            messages.error(request, _form_errors(form))
        return redirect(_back_url(back, attempt))
    attempt.refresh_from_db()
    slot = AttemptSlot.objects.select_related("version", "graded_by").get(pk=slot.pk)
    row = slot_row(slot, None if done else form)
    return render(
        request,
        "frontend/quizzes/_grading_response.html",
        {**marks_context(attempt), "row": row, "back": back, "done": done},
    )
