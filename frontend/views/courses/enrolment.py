"""Enrolment pages: who is enrolled in a course, and enrolling more.

Organisation admins assign a course to units (with deadlines, including people
placed later) and enrol from a file; trainers enrol learners of their units
into the courses they author, one by one (search) or a whole unit at once; both
enrol one person found by search. Anyone who may not enrol into the course is
told who can, with a way to reach them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Unit, User
from accounts.text import fold, vi_order
from config.ids import parse_id
from courses import services
from courses.imports import bulk_enrol
from courses.models import Course, Enrollment
from courses.progress import progress_for

from .common import apply_errors, error_text, require_trainer
from .forms import AssignmentForm, BulkEnrolForm, UnitEnrolForm

TEMPLATE = "frontend/courses/enrolments.html"
PEOPLE_SHOWN = 20


def _get_course(request: HttpRequest, pk: int) -> Course:
    require_trainer(request)
    return get_object_or_404(
        Course.objects.visible_to(request.user).select_related("owner_unit"), pk=pk
    )


def enrolment_contacts(user: User) -> list[User]:
    """The organisation admins whose scope covers the units `user` works in: the
    people who assign courses to those units and enrol their learners anywhere."""
    step = Unit.steplen
    paths = {path[:i] for path in user.granted_paths() for i in range(step, len(path) + 1, step)}
    if user.unit_id and user.unit is not None:
        own = user.unit.path
        paths.update(own[:i] for i in range(step, len(own) + 1, step))
    return list(
        User.objects.filter(role=User.Role.ADMIN, is_active=True, grants__unit__path__in=paths)
        .exclude(pk=user.pk)
        .distinct()
        .order_by(vi_order("full_name"), "pk")[:5]
    )


def _people(user: User, course: Course, query: str) -> dict[str, Any]:
    """Learners in the user's units matching `query` (accents ignored), with their
    enrolment in `course`; nobody before something is typed."""
    words = fold(query).split()
    if not words:
        return {"query": "", "people": [], "more_people": False}
    found = User.objects.visible_to(user).learners().select_related("unit")
    for word in words:
        found = found.filter(search_key__contains=word)
    people = list(found.order_by(vi_order("full_name"), "pk")[: PEOPLE_SHOWN + 1])
    status = dict(
        Enrollment.objects.filter(course=course, user__in=people).values_list("user_id", "status")
    )
    return {
        "query": query,
        "people": [(p, status.get(p.pk)) for p in people[:PEOPLE_SHOWN]],
        "more_people": len(people) > PEOPLE_SHOWN,
    }


def _enrolled(user: User, course: Course, page_number: Any) -> dict[str, Any]:
    enrollments = (
        Enrollment.objects.visible_to(user)
        .filter(course=course)
        .select_related("user__unit", "course")
        .order_by("status", "due_date", "user__full_name")
    )
    page = Paginator(enrollments, 50).get_page(page_number)
    progress = progress_for(page.object_list)
    today = timezone.localdate()
    rows = [
        {"enrollment": e, "percent": progress[e.pk].percent, "overdue": e.is_overdue(today)}
        for e in page.object_list
    ]
    return {"rows": rows, "page": page}


@login_required
def course_enrolments(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrolments in the viewer's scope with progress, and the ways to enrol more."""
    course = _get_course(request, pk)
    user: User = request.user  # type: ignore[assignment]
    may_enrol = services.may_enrol_into(user, course)
    query = (request.GET.get("q") or "").strip()[:100]
    if request.htmx and request.GET.get("part") == "people":  # type: ignore[attr-defined]
        if not may_enrol:
            raise PermissionDenied
        return render(
            request, TEMPLATE + "#people", {"course": course, **_people(user, course, query)}
        )
    assign_form = AssignmentForm(actor=user, initial={"unit": parse_id(request.GET.get("unit"))})
    bulk_form = BulkEnrolForm()
    unit_form = UnitEnrolForm(actor=user, initial={"unit": parse_id(request.GET.get("unit"))})
    bulk_result = None
    if request.method == "POST":
        if not may_enrol:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "enrol":
            return _enrol_one(request, course)
        if action == "unit":
            unit_form = UnitEnrolForm(request.POST, actor=user)
            if unit_form.is_valid():
                unit = unit_form.cleaned_data["unit"]
                try:
                    done = services.enrol_unit(actor=user, course=course, unit=unit)
                except ValidationError as exc:
                    apply_errors(unit_form, exc)
                except PermissionDenied as exc:
                    unit_form.add_error(None, error_text(exc))
                else:
                    messages.success(
                        request,
                        _(
                            "Đã ghi danh %(n)s học viên của %(unit)s; %(already)s người "
                            "đã ghi danh từ trước."
                        )
                        % {"n": done.total, "unit": unit.name, "already": done.already},
                    )
                    return redirect("frontend:course-enrolments", course.pk)
        elif action == "bulk" and user.is_unit_admin:
            bulk_form = BulkEnrolForm(request.POST, request.FILES)
            if bulk_form.is_valid():
                try:
                    bulk_result = bulk_enrol(
                        actor=user, course=course, upload=bulk_form.cleaned_data["file"]
                    )
                except (ValidationError, PermissionDenied) as exc:
                    bulk_form.add_error(None, error_text(exc))
                else:
                    if bulk_result.ok:
                        messages.success(
                            request,
                            _("Đã ghi danh %(n)s học viên.") % {"n": len(bulk_result.enrolled)},
                        )
                        return redirect("frontend:course-enrolments", course.pk)
        elif user.is_unit_admin:
            assign_form = AssignmentForm(request.POST, actor=user)
            if assign_form.is_valid():
                try:
                    services.assign_course(actor=user, course=course, **assign_form.cleaned_data)
                except ValidationError as exc:
                    apply_errors(assign_form, exc)
                except PermissionDenied as exc:
                    assign_form.add_error(None, error_text(exc))
                else:
                    messages.success(request, _("Đã giao khóa học cho đơn vị."))
                    return redirect("frontend:course-enrolments", course.pk)
    assignments = [
        a for a in course.assignments.select_related("unit") if user.can_see_unit(a.unit)
    ]
    context: dict[str, Any] = {
        "course": course,
        "may_enrol": may_enrol,
        "assignments": assignments,
        "assign_form": assign_form,
        "bulk_form": bulk_form,
        "unit_form": unit_form,
        "bulk_result": bulk_result,
        "contacts": [] if user.is_unit_admin else enrolment_contacts(user),
        **_enrolled(user, course, request.GET.get("page")),
    }
    if may_enrol and course.is_published:
        context.update(_people(user, course, query))
    return render(request, TEMPLATE, context)


def _enrol_one(request: HttpRequest, course: Course) -> HttpResponse:
    """Enrol the learner picked in the search; htmx gets the search results and,
    out of band, the enrolled list back."""
    user: User = request.user  # type: ignore[assignment]
    learner = (
        User.objects.visible_to(user)
        .learners()
        .filter(pk=parse_id(request.POST.get("user")) or 0)
        .first()
    )
    if learner is None:  # outside the trainer's units looks like nobody
        raise Http404
    error = ""
    try:
        services.enrol_user(actor=user, user=learner, course=course)
    except (ValidationError, PermissionDenied) as exc:
        error = error_text(exc)
    notice = _("Đã ghi danh %(name)s.") % {"name": learner.full_name}
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect("frontend:course-enrolments", course.pk)
    query = (request.POST.get("q") or "").strip()[:100]
    people = {"course": course, "notice": notice, "error": error, **_people(user, course, query)}
    enrolled = {"course": course, "oob": True, **_enrolled(user, course, 1)}
    html = render_to_string(TEMPLATE + "#people", people, request=request)
    html += render_to_string(TEMPLATE + "#enrolled", enrolled, request=request)
    return HttpResponse(html)


@login_required
@require_POST
def enrolment_unenrol(request: HttpRequest, pk: int) -> HttpResponse:
    require_trainer(request)
    enrollment = get_object_or_404(Enrollment.objects.visible_to(request.user), pk=pk)
    try:
        services.unenrol(actor=request.user, enrollment=enrollment)
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã hủy ghi danh. Lịch sử học tập được giữ lại."))
    return redirect("frontend:course-enrolments", enrollment.course_id)
