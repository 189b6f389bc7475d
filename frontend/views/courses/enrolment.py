"""Admin pages: assign a course to units, bulk-enrol from a file, follow enrolments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import services
from courses.imports import bulk_enrol
from courses.models import Course, Enrollment
from courses.progress import progress_for

from .common import apply_errors, error_text, require_trainer
from .forms import AssignmentForm, BulkEnrolForm


def _get_course(request: HttpRequest, pk: int) -> Course:
    require_trainer(request)
    return get_object_or_404(Course.objects.visible_to(request.user), pk=pk)


@login_required
def course_enrolments(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrolments in the viewer's scope with progress; admins also assign and bulk-enrol."""
    course = _get_course(request, pk)
    user = request.user
    assign_form = AssignmentForm(actor=user)
    bulk_form = BulkEnrolForm()
    bulk_result = None
    if request.method == "POST":
        if not user.is_unit_admin:  # type: ignore[union-attr]
            raise PermissionDenied
        if request.POST.get("action") == "bulk":
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
        else:
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
    enrollments = (
        Enrollment.objects.visible_to(user)
        .filter(course=course)
        .select_related("user__unit", "course")
        .order_by("status", "due_date", "user__full_name")
    )
    page = Paginator(enrollments, 50).get_page(request.GET.get("page"))
    progress = progress_for(page.object_list)
    today = timezone.localdate()
    rows = [
        {"enrollment": e, "percent": progress[e.pk].percent, "overdue": e.is_overdue(today)}
        for e in page.object_list
    ]
    assignments = [
        a
        for a in course.assignments.select_related("unit")
        if user.can_see_unit(a.unit)  # type: ignore[union-attr]
    ]
    return render(
        request,
        "frontend/courses/enrolments.html",
        {
            "course": course,
            "rows": rows,
            "page": page,
            "assignments": assignments,
            "assign_form": assign_form,
            "bulk_form": bulk_form,
            "bulk_result": bulk_result,
        },
    )


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
