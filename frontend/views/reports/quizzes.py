"""Item analysis and the live exam monitor of one quiz."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from courses.reports import access
from courses.reports.monitor import monitor
from quizzes.statistics import quiz_statistics


@login_required
def statistics(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    quiz = access.quiz_for(viewer, pk)
    return render(
        request,
        "frontend/reports/statistics.html",
        {"quiz": quiz, "stats": quiz_statistics(quiz, viewer=viewer)},
    )


@login_required
def quiz_monitor(request: HttpRequest, pk: int) -> HttpResponse:
    """Who is taking the quiz now; the table refreshes itself every 5 seconds."""
    viewer = request.user
    quiz = access.quiz_for(viewer, pk)
    unit = access.unit_for(viewer, request.GET["unit"]) if request.GET.get("unit") else None
    template = "frontend/reports/monitor.html"
    if request.htmx:
        template += "#monitor"
    return render(
        request,
        template,
        {
            "quiz": quiz,
            "unit": unit,
            "board": monitor(viewer, quiz, unit=unit),
            "now": timezone.now(),
        },
    )
