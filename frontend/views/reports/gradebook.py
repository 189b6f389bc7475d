"""The gradebook page and a learner's results in a course."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Unit
from courses.reports import access, gradebook
from courses.reports.mastery import mastery_by_tag
from quizzes.models import Attempt

from ..courses.common import error_text

PAGE_SIZE = 50


@login_required
def course_gradebook(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    course = access.course_for(viewer, pk)
    try:
        filters = access.gradebook_filters(viewer, request.GET)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        filters = access.Filters(unit=None)
    quizzes = gradebook.course_quizzes(course)
    queryset = gradebook.enrollments(
        viewer,
        course,
        quizzes,
        unit=filters.unit,
        status=filters.status,
        due_from=filters.due_from,
        due_to=filters.due_to,
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = gradebook.build_rows(list(page.object_list), course, quizzes)
    query = request.GET.copy()
    query.pop("page", None)
    template = "frontend/reports/gradebook.html"
    if request.htmx:
        template += "#gradebook"
    return render(
        request,
        template,
        {
            "course": course,
            "quizzes": quizzes,
            "rows": rows,
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "units": Unit.objects.visible_to(viewer).order_by("path").only("id", "name", "depth"),
            "statuses": gradebook.RowStatus.LABELS.items(),
            "params": filters.as_params(),
        },
    )


@login_required
def learner_report(request: HttpRequest, course_pk: int, user_pk: int) -> HttpResponse:
    """One learner in a course: every attempt on its quizzes and mastery by topic."""
    viewer = request.user
    course = access.course_for(viewer, course_pk)
    learner = access.learner_for(viewer, user_pk)
    quizzes = gradebook.course_quizzes(course)
    attempts = list(
        Attempt.objects.filter(user=learner, quiz__in=quizzes, is_preview=False)
        .select_related("quiz")
        .order_by("quiz_id", "number")
    )
    return render(
        request,
        "frontend/reports/learner.html",
        {
            "course": course,
            "learner": learner,
            "attempts": attempts,
            "mastery": mastery_by_tag(viewer, course=course, learner=learner),
        },
    )
