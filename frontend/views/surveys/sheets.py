"""The session's attendance sheet (XLSX, PDF) and the attendance roll-up's
drill-down to learners. Sessions outside the viewer's scope are a 404; a
trainer of a merely invited unit gets the sheet of their own learners."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify

from accounts.text import fold
from config.ids import parse_id
from courses.reports import access
from training.models import Attendance, Registration, TrainingSession
from training.rollcall import viewer_scope
from training.rollup import attendance_rollup, course_sessions, learner_lines
from training.sheets import build_sheet, sheet_pdf, sheet_xlsx


def _session(request: HttpRequest, pk: int) -> TrainingSession:
    user = request.user
    if not user.is_authenticated or not user.is_trainer:  # type: ignore[union-attr]
        raise Http404
    return get_object_or_404(
        TrainingSession.objects.in_scope_of(user).select_related("course__owner_unit"),  # type: ignore[arg-type]
        pk=pk,
    )


def _filename(session: TrainingSession, ext: str) -> str:
    day = timezone.localtime(session.starts_at).strftime("%Y%m%d")
    stem = slugify(fold(session.title))[:50] or "buoi-tap-huan"
    return f"danh-sach-tham-du-{stem}-{day}.{ext}"


@login_required
def sheet_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    response = HttpResponse(
        sheet_xlsx(build_sheet(session, viewer_scope(session, request.user))),  # type: ignore[arg-type]
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(session, "xlsx")}"'
    return response


@login_required
def sheet_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    sheet = build_sheet(session, viewer_scope(session, request.user))  # type: ignore[arg-type]
    response = HttpResponse(sheet_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(session, "pdf")}"'
    return response


STATUS_LABELS = {
    **{k: str(v) for k, v in Attendance.Status.choices},
    **{k: str(v) for k, v in Registration.Status.choices},
}


@login_required
def unit_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Drill-down of the unit report's attendance roll-up: each invited
    learner of the unit's subtree and their status in each session."""
    viewer = request.user
    unit = access.unit_for(viewer, pk)
    if not request.GET.get("course"):
        return redirect("frontend:report-unit", unit.pk)
    course = access.course_for(viewer, request.GET.get("course"))
    session_id = parse_id(request.GET.get("session")) if request.GET.get("session") else None
    sessions = course_sessions(course, session_id)
    rollup = attendance_rollup(viewer, unit, course, sessions=sessions)  # type: ignore[arg-type]
    lines = learner_lines(viewer, unit, sessions)  # type: ignore[arg-type]
    rows = [
        (line.user, [(st, STATUS_LABELS.get(st, "")) for st in line.statuses]) for line in lines
    ]
    return render(
        request,
        "frontend/surveys/unit_attendance.html",
        {
            "unit": unit,
            "course": course,
            "sessions": sessions,
            "session_id": session_id,
            "rollup": rollup,
            "rows": rows,
        },
    )
