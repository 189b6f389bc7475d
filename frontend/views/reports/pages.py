"""The reports home page and the review queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courses.models import Course, Module
from courses.reports import access
from courses.reports.models import Export
from quizzes.statistics import FLAG_LABELS
from quizzes.statistics import review_queue as build_queue


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Courses the viewer may report on, with their quizzes and the viewer's units."""
    viewer = request.user
    access.require_trainer(viewer)
    courses = list(
        Course.objects.visible_to(viewer).select_related("final_exam").order_by("title", "pk")
    )
    modules = Module.objects.filter(course__in=courses, quiz__isnull=False).select_related("quiz")
    quizzes: dict[int, list] = {c.pk: [] for c in courses}
    for module in modules.order_by("course_id", "order", "pk"):
        quizzes[module.course_id].append(module.quiz)
    for course in courses:
        if course.final_exam:
            quizzes[course.pk].append(course.final_exam)
    items = [{"course": c, "quizzes": quizzes[c.pk]} for c in courses]
    return render(
        request,
        "frontend/reports/index.html",
        {
            "items": items,
            "units": access.granted_units(viewer),
            "exports": Export.objects.filter(requested_by=viewer)[:10],
        },
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """ "Câu hỏi cần xem lại": too easy, too hard or poorly discriminating questions."""
    viewer = request.user
    access.require_trainer(viewer)
    mine = request.GET.get("mine") == "1"
    return render(
        request,
        "frontend/reports/review.html",
        {"queue": build_queue(viewer, mine=mine), "mine": mine, "flag_labels": FLAG_LABELS},
    )
