"""Report API: gradebook, unit roll-up, item analysis, exports (mounted under /api/)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from quizzes.statistics import quiz_statistics

from . import access, gradebook
from .exports import start_export
from .mastery import mastery_by_tag
from .models import Export
from .rollup import unit_rollup

PAGE_SIZE = 50


def _api_error(exc: ValidationError) -> ApiValidationError:
    if hasattr(exc, "message_dict"):
        return ApiValidationError(exc.message_dict)
    return ApiValidationError({"detail": exc.messages})


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def row_payload(row: gradebook.Row) -> dict[str, Any]:
    user = row.user
    return {
        "user": {
            "id": user.pk,
            "username": user.username,
            "full_name": user.full_name,
            "unit": user.unit.name if user.unit else None,
        },
        "status": row.status,
        "due_date": _day(row.enrollment.due_date),
        "completed_at": row.enrollment.completed_at,
        "certificate": row.certificate[1] if row.certificate else None,
        "grades": [
            {
                "quiz": cell.quiz.pk,
                "percent": None if cell.percent is None else float(cell.percent),
                "state": cell.state,
                "attempts": cell.attempts,
                "overridden": cell.overridden,
            }
            for cell in row.cells
        ],
    }


@extend_schema(
    parameters=[
        OpenApiParameter("unit", int, description="Only learners in this unit's subtree"),
        OpenApiParameter("status", str, enum=list(gradebook.RowStatus.LABELS)),
        OpenApiParameter("due_from", OpenApiTypes.DATE),
        OpenApiParameter("due_to", OpenApiTypes.DATE),
        OpenApiParameter("page", int),
    ],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def course_gradebook(request: Request, pk: int) -> Response:
    """One row per learner in the caller's scope, one grade per quiz of the course."""
    viewer: User = request.user  # type: ignore[assignment]
    course = access.course_for(viewer, pk)
    try:
        filters = access.gradebook_filters(viewer, request.query_params)
    except ValidationError as exc:
        raise _api_error(exc) from exc
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
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        page = paginator.page(request.query_params.get("page") or 1)
    except (EmptyPage, ValueError, TypeError):
        raise Http404 from None
    rows = gradebook.build_rows(list(page.object_list), course, quizzes)
    return Response(
        {
            "course": {"id": course.pk, "title": course.title},
            "quizzes": [{"id": q.pk, "title": q.title} for q in quizzes],
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [row_payload(r) for r in rows],
        }
    )


@extend_schema(
    parameters=[OpenApiParameter("course", int, required=True)],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def unit_report(request: Request, pk: int) -> Response:
    """The course's results for a unit in scope, its children and its weak topics."""
    viewer: User = request.user  # type: ignore[assignment]
    unit = access.unit_for(viewer, pk)
    if not request.query_params.get("course"):
        raise ApiValidationError({"course": [_("Hãy chọn khóa học (tham số course).")]})
    course = access.course_for(viewer, request.query_params.get("course"))
    rollup = unit_rollup(viewer, unit, course)
    return Response(
        {
            "unit": {"id": unit.pk, "name": unit.name, "code": unit.code},
            "course": {"id": course.pk, "title": course.title},
            "total": rollup.total.as_dict(),
            "children": [c.as_dict() for c in rollup.children],
            "score_distribution": [
                {"from": i * 10, "to": i * 10 + 10, "count": n}
                for i, n in enumerate(rollup.distribution)
            ],
            "mastery": [m.as_dict() for m in mastery_by_tag(viewer, course=course, unit=unit)],
        }
    )


@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def quiz_statistics_view(request: Request, pk: int) -> Response:
    """Item analysis of a quiz over the attempts of learners in the caller's scope."""
    viewer: User = request.user  # type: ignore[assignment]
    quiz = access.quiz_for(viewer, pk)
    payload = quiz_statistics(quiz, viewer=viewer).as_dict()
    payload["title"] = quiz.title
    return Response(payload)


class ExportSerializer(serializers.ModelSerializer):
    """kind: gradebook (course; unit, status_filter, due_from, due_to optional),
    rollup (course, unit), statistics (quiz), certificates (course, unit optional)."""

    course = serializers.IntegerField(required=False, write_only=True)
    unit = serializers.IntegerField(required=False, write_only=True)
    quiz = serializers.IntegerField(required=False, write_only=True)
    status_filter = serializers.CharField(
        required=False,
        write_only=True,
        source="status",
        help_text="Gradebook only: completed, in_progress, not_started, overdue, needs_grading.",
    )
    due_from = serializers.DateField(required=False, write_only=True)
    due_to = serializers.DateField(required=False, write_only=True)
    progress = serializers.IntegerField(source="percent", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "kind",
            "format",
            "params",
            "status",
            "progress",
            "error",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
            "course",
            "unit",
            "quiz",
            "status_filter",
            "due_from",
            "due_to",
        ]
        read_only_fields = ["params", "status", "error", "created_at", "finished_at", "expires_at"]

    def get_download_url(self, obj: Export) -> str | None:
        if not obj.is_available():
            return None
        request = self.context.get("request")
        url = f"/api/exports/{obj.pk}/download/"
        return request.build_absolute_uri(url) if request else url


class ExportViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Report files: POST to request one, GET to follow its progress and fetch the link.

    Only the requester sees (and downloads) an export.
    """

    serializer_class = ExportSerializer
    queryset = Export.objects.none()

    def get_queryset(self) -> Any:
        return Export.objects.filter(requested_by=self.request.user.pk)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor: User = request.user  # type: ignore[assignment]
        access.require_trainer(actor)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        params = {
            k: data.get(k) for k in ("course", "unit", "quiz", "status", "due_from", "due_to")
        }
        try:
            export = start_export(
                actor=actor,
                kind=data["kind"],
                format=data.get("format") or Export.Format.XLSX,
                params=params,
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc
        export.refresh_from_db()
        return Response(self.get_serializer(export).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None) -> FileResponse:
        export = self.get_object()  # DRF's lookup: a malformed id is a 404, never a 500
        if not export.is_available():
            raise Http404
        return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename)
