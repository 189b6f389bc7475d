"""Unit roll-up page: the unit's children, charts with their tables, weak topics."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Unit
from courses.models import Course
from courses.reports import access
from courses.reports.mastery import mastery_by_tag
from courses.reports.rollup import unit_rollup
from training.rollup import attendance_rollup

from . import charts


@login_required
def unit_report(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    unit = access.unit_for(viewer, pk)
    courses = Course.objects.visible_to(viewer).filter(status=Course.Status.PUBLISHED)
    context: dict = {"unit": unit, "courses": courses.order_by("title").only("id", "title")}
    if request.GET.get("course"):
        course = access.course_for(viewer, request.GET["course"])
        rollup = unit_rollup(viewer, unit, course)
        rows = rollup.children or [rollup.total]
        distribution = charts.distribution_chart(rollup.distribution)
        context.update(
            course=course,
            rollup=rollup,
            ancestors=[a for a in Unit.objects.get_ancestors(unit) if viewer.can_see_unit(a)],
            completion=charts.completion_chart(rows),
            distribution=distribution,
            mastery=mastery_by_tag(viewer, course=course, unit=unit),
        )
        attendance = attendance_rollup(viewer, unit, course)
        if attendance.sessions:
            context["attendance"] = attendance
    return render(request, "frontend/reports/unit.html", context)
