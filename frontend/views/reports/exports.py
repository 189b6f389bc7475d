"""Export pages: request a file, follow its progress, download it (requester only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from courses.reports import access
from courses.reports.exports import start_export
from courses.reports.models import Export

from ..courses.common import error_text


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    access.require_trainer(viewer)
    params = {
        k: request.POST.get(k) for k in ("course", "unit", "quiz", "status", "due_from", "due_to")
    }
    try:
        export = start_export(
            actor=viewer,
            kind=request.POST.get("kind", ""),
            format=request.POST.get("format") or Export.Format.XLSX,
            params=params,
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("frontend:reports")
    return redirect("frontend:report-export", export.pk)


def _get_export(request: HttpRequest, pk: int) -> Export:
    access.require_trainer(request.user)
    return get_object_or_404(Export, pk=pk, requested_by=request.user)


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's progress; the fragment polls itself until the file is ready."""
    export = _get_export(request, pk)
    template = "frontend/reports/export.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, {"export": export})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = _get_export(request, pk)
    if not export.is_available():
        raise Http404
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if export.format == Export.Format.XLSX
        else "text/csv; charset=utf-8"
    )
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename or f"bao-cao.{export.format}",
        content_type=content_type,
    )
