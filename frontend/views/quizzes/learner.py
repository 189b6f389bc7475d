"""Taking a quiz: start page, the attempt, summary, result and review.

Answers are saved by quiz.js through the same endpoint as the API
(PUT /api/attempts/{id}/answers/{slot}/), so the page and the API share
one hot path; these views only render and start/submit.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from quizzes import access, presenters, services
from quizzes.models import Attempt, AttemptSlot, Quiz, QuizGrade, QuizOverride
from quizzes.states import learner_quiz_states


def _get_quiz_for_learner(request: AuthedRequest, pk: int) -> Quiz:
    quiz = services.quiz_for_start(quiz_id=pk, user=request.user)
    if quiz is None or not access.may_take(request.user, quiz):
        raise Http404
    return quiz


def _get_attempt_for_user(request: AuthedRequest, pk: int) -> Attempt:
    attempt = access.attempt_for(request.user, pk)
    now = timezone.now()
    if attempt.is_overdue(now):
        attempt = services.submit_attempt(attempt=attempt, now=now)
    return attempt


def _slots(attempt: Attempt) -> list[AttemptSlot]:
    return list(AttemptSlot.objects.filter(attempt=attempt).select_related("version"))


def decorate(slot: dict[str, Any], response: Any = None) -> dict[str, Any]:
    """Mark what `response` (default: the slot's own) selected, for the templates."""
    response = slot["response"] if response is None else response
    response = response or {}
    picked = set(response.get("choices", []))
    if "choice" in response:
        picked.add(response["choice"])
    if "value" in response and isinstance(response["value"], bool):
        picked.add("true" if response["value"] else "false")
    slot["choices"] = [dict(c, checked=c["id"] in picked) for c in slot["choices"]]
    slot["picked"] = [c["text"] for c in slot["choices"] if c["checked"]]
    pairs = response.get("pairs", {})
    slot["lefts"] = [dict(left, selected=pairs.get(left["id"], "")) for left in slot["lefts"]]
    value = response.get("text", response.get("value", ""))
    slot["value"] = "" if isinstance(value, bool) else value
    return slot


@login_required
def quiz_start(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = _get_quiz_for_learner(request, pk)
    attempts = list(
        Attempt.objects.filter(quiz=quiz, user=request.user, is_preview=False).order_by("number")
    )
    override = QuizOverride.objects.filter(quiz=quiz, user=request.user).first()
    allowed = quiz.attempts_allowed + (override.extra_attempts if override else 0)
    now = timezone.now()
    open_attempt = next((a for a in attempts if a.is_open and not a.is_overdue(now)), None)
    context: dict[str, Any] = {
        "quiz": quiz,
        "attempts": attempts,
        "open_attempt": open_attempt,
        "attempts_left": None if not quiz.attempts_allowed else max(0, allowed - len(attempts)),
        "grade": QuizGrade.objects.filter(quiz=quiz, user=request.user).first(),
        "time_limit_seconds": (quiz.time_limit + (override.extra_seconds if override else 0))
        if quiz.time_limit
        else None,
        "not_open_yet": quiz.open_at is not None and now < quiz.open_at,
        "closed": quiz.close_at is not None and now >= quiz.close_at,
        "seconds_to_open": math.ceil((quiz.open_at - now).total_seconds()) if quiz.open_at else 0,
        "open_spread_seconds": settings.QUIZ_OPEN_SPREAD_SECONDS,
        "quiz_state": learner_quiz_states(user=request.user, quizzes=[quiz], now=now)[quiz.pk],
    }
    return render(request, "frontend/quizzes/start.html", context)


@login_required
@require_POST
def attempt_start(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = _get_quiz_for_learner(request, pk)
    try:
        attempt = services.start_attempt(user=request.user, quiz=quiz)
    except services.QuizUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("frontend:quiz-start", pk=quiz.pk)
    return redirect("frontend:quiz-attempt", pk=attempt.pk)


@login_required
def attempt_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every page of the attempt in one document, the asked-for one shown: quiz.js
    turns pages without asking the server, so a lost connection never strands
    the learner on the browser's error page (issue 17.6)."""
    attempt = _get_attempt_for_user(request, pk)
    if not attempt.is_open:
        return redirect("frontend:quiz-result", pk=attempt.pk)
    now = timezone.now()
    slots = [decorate(presenters.public_slot(s)) for s in _slots(attempt)]
    pages = sorted({s["page"] for s in slots})
    try:
        page = int(request.GET.get("page", pages[0]))
    except ValueError:
        page = pages[0]
    if page not in pages:
        page = pages[0]
    sequential = attempt.quiz.navigation == Quiz.Navigation.SEQUENTIAL
    if sequential:
        page = services.reach_page(attempt=attempt, page=max(page, attempt.current_page))
    shown = []
    for index, number in enumerate(pages):
        if sequential and number < page:
            continue  # left behind: no longer answerable
        shown.append(
            {
                "number": number,
                "label": index + 1,
                "slots": [s for s in slots if s["page"] == number],
                "previous": pages[index - 1] if index > 0 and not sequential else None,
                "next": pages[index + 1] if index + 1 < len(pages) else None,
                "current": number == page,
            }
        )
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "pages": shown,
        "page_count": len(pages),
        "all_slots": slots,
        "page": page,
        "sequential": sequential,
        "remaining": attempt.remaining_seconds(now),
    }
    return render(request, "frontend/quizzes/attempt.html", context)


@login_required
@require_POST
def attempt_reach_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """Sequential navigation: quiz.js turned to a later page (perhaps offline) and
    tells the server once the answers of the pages left behind are stored."""
    attempt = _get_attempt_for_user(request, pk)
    if not attempt.is_open:
        raise Http404
    try:
        page = int(request.POST.get("page", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Số trang không hợp lệ."))
    if not AttemptSlot.objects.filter(attempt=attempt, page=page).exists():
        return HttpResponseBadRequest(_("Số trang không hợp lệ."))
    services.reach_page(attempt=attempt, page=page)
    return HttpResponse(status=204)


@login_required
@require_POST
def attempt_flag(request: AuthedRequest, pk: int, slot_pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    services.set_flag(
        user=request.user,
        attempt=attempt,
        slot_id=slot_pk,
        flagged=request.POST.get("flagged") == "1",
    )
    return HttpResponse(status=204)


@login_required
def attempt_summary(request: AuthedRequest, pk: int) -> HttpResponse:
    """Review before submitting. `?confirm=1` adds the confirmation step (counts of
    unanswered and flagged questions); quiz.js fetches that step as a fragment
    for its dialog, and without JavaScript it is the page itself."""
    attempt = _get_attempt_for_user(request, pk)
    if not attempt.is_open:
        return redirect("frontend:quiz-result", pk=attempt.pk)
    slots = [presenters.public_slot(s) for s in _slots(attempt)]
    flagged = sum(1 for s in slots if s["flagged"])
    template_name = "frontend/quizzes/summary.html"
    if request.htmx:
        template_name += "#confirm"
    return render(
        request,
        template_name,
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "slots": slots,
            "unanswered": sum(1 for s in slots if s["response"] is None),
            "flagged": flagged,
            "flagged_phrase": ngettext("%(n)s câu đã đánh dấu", "%(n)s câu đã đánh dấu", flagged)
            % {"n": flagged},
            "confirm": request.GET.get("confirm") == "1",
            "remaining": attempt.remaining_seconds(timezone.now()),
        },
    )


@login_required
@require_POST
def attempt_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    attempt = access.attempt_for(request.user, pk)
    if (
        request.POST.get("confirmed") != "1"
        and attempt.is_open
        and not attempt.is_overdue(timezone.now())
    ):
        # Nothing is submitted without the confirmation step (no JavaScript, an old page).
        return redirect(reverse("frontend:quiz-summary", args=[attempt.pk]) + "?confirm=1")
    services.submit_attempt(attempt=attempt, user=request.user)
    return redirect("frontend:quiz-result", pk=attempt.pk)


@login_required
def attempt_result(request: AuthedRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    if attempt.is_open:
        return redirect("frontend:quiz-attempt", pk=attempt.pk)
    now = timezone.now()
    return render(
        request,
        "frontend/quizzes/result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "summary": presenters.review_summary(attempt, now),
            "slots": [_review(s, attempt, now) for s in _slots(attempt)],
        },
    )


def _review(slot: AttemptSlot, attempt: Attempt, now: Any) -> dict[str, Any]:
    """The review policy's view of a slot, with the response and the key in words
    as the grader's pages put them (presenters.answer_lines)."""
    out = presenters.review_slot(slot, attempt, now)
    version = slot.version
    out["response_lines"] = presenters.answer_lines(version.type, version.data, slot.response)
    out["right_lines"] = (
        presenters.right_lines(version.type, version.data) if out["right_answer"] else []
    )
    out["overridden"] = out["score"] is not None and slot.is_overridden
    return out


def dashboard_section(request: AuthedRequest) -> dict[str, Any] | None:
    """Attempts left open (a lost connection, a closed tab): one click to resume."""
    now = timezone.now()
    attempts = [
        a
        for a in Attempt.objects.filter(user=request.user, state=Attempt.State.OPEN)
        .select_related("quiz")
        .order_by("started_at")[:10]
        if not a.is_overdue(now)
    ]
    if not attempts:
        return None
    return {"template": "frontend/quizzes/_dashboard.html", "open_attempts": attempts}
