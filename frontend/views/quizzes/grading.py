"""Hand marking: the queue of submitted attempts with essays, scoped to the trainer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from quizzes import services
from quizzes.api.attempts import grading_scope
from quizzes.models import AttemptSlot

from .bank import _trainer
from .forms import GradeForm


@login_required
def grading_queue(request: HttpRequest) -> HttpResponse:
    user = _trainer(request)
    hide = request.GET.get("hide") == "1"
    attempts = grading_scope(user).filter(needs_grading=True).order_by("finished_at")[:200]
    return render(
        request, "frontend/quizzes/grading_queue.html", {"attempts": attempts, "hide": hide}
    )


@login_required
def grading_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    user = _trainer(request)
    attempt = grading_scope(user).filter(pk=pk).first()
    if attempt is None:
        raise Http404
    hide = request.GET.get("hide") == "1" or request.POST.get("hide") == "1"
    slots = list(AttemptSlot.objects.filter(attempt=attempt).select_related("version"))
    forms = {}
    for slot in slots:
        data = request.POST if request.POST.get("slot") == str(slot.pk) else None
        forms[slot.pk] = GradeForm(
            data,
            prefix=f"s{slot.pk}",
            initial={
                "points": slot.score,
                "comment": slot.comment,
            },
        )
    if request.method == "POST":
        slot = next((s for s in slots if str(s.pk) == request.POST.get("slot")), None)
        if slot is None:
            raise Http404
        form = forms[slot.pk]
        if form.is_valid():
            try:
                services.grade_slot(
                    actor=user,
                    slot=slot,
                    points=form.cleaned_data["points"],
                    comment=form.cleaned_data["comment"],
                    reason=form.cleaned_data["reason"],
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, _("Đã lưu điểm."))
                url = request.path + ("?hide=1" if hide else "")
                return redirect(url)
    rows = [{"slot": s, "form": forms[s.pk]} for s in slots]
    return render(
        request,
        "frontend/quizzes/grading_attempt.html",
        {
            "attempt": attempt,
            "rows": rows,
            "hide": hide,
        },
    )
