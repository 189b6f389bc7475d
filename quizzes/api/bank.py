import io
from typing import Any, cast

from django.db.models import ProtectedError, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts import staging
from accounts.api import django_errors
from accounts.http import AuthedApiRequest
from accounts.models import Unit
from config.ids import parse_id

from .. import services
from ..imports import ImportFailed, parse, run_import
from ..models import Question, QuestionCategory, QuestionType, QuestionVersion
from ..serializers import (
    CategorySerializer,
    FixKeyResultSerializer,
    FixKeySerializer,
    ImportConfirmSerializer,
    ImportRequestSerializer,
    ImportResultSerializer,
    QuestionSerializer,
)
from .common import SERVICE_ERRORS, IsTrainer


class CategoryViewSet(viewsets.ModelViewSet):
    """Question bank categories (a tree) visible to the trainer."""

    queryset = QuestionCategory.objects.none()
    serializer_class = CategorySerializer
    permission_classes = [IsTrainer]
    request: AuthedApiRequest

    def get_queryset(self) -> QuerySet[QuestionCategory]:
        return QuestionCategory.objects.visible_to(self.request.user).order_by("path")

    def _check_edit(self, category: QuestionCategory) -> None:
        try:
            services.bank.check_bank_access(self.request.user, category)
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc

    def perform_update(self, serializer: BaseSerializer[QuestionCategory]) -> None:
        category = cast(QuestionCategory, serializer.instance)  # the object update() fetched
        self._check_edit(category)
        parent = serializer.validated_data.get("parent")
        if parent is not None and parent.path.startswith(category.path):
            raise serializers.ValidationError(_("Không thể chuyển danh mục vào chính nó."))
        serializer.save()

    def perform_destroy(self, instance: QuestionCategory) -> None:
        self._check_edit(instance)
        try:
            instance.delete()
        except ProtectedError as exc:
            raise serializers.ValidationError(
                _("Danh mục còn câu hỏi hoặc danh mục con, không thể xóa.")
            ) from exc


class QuestionViewSet(viewsets.ModelViewSet):
    """Questions with their current version. Editing a used version makes a new one."""

    queryset = Question.objects.none()
    serializer_class = QuestionSerializer
    permission_classes = [IsTrainer]
    request: AuthedApiRequest

    def get_queryset(self) -> QuerySet[Question]:
        qs = (
            Question.objects.visible_to(self.request.user)
            .select_related("current_version")
            .prefetch_related("tags")
        )
        category = parse_id(self.request.query_params.get("category"))
        if category is not None:
            qs = qs.filter(category_id=category)
        return qs.order_by("id")

    def perform_create(self, serializer: BaseSerializer[Question]) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = services.create_question(
                actor=self.request.user,
                category=data["category"],
                type=data["type"],
                text=data["text"],
                data=data["data"],
                points=data.get("points", 1),
                title=data.get("title", ""),
                tags=data.get("tags"),
            )
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc

    def perform_update(self, serializer: BaseSerializer[Question]) -> None:
        question = cast(Question, serializer.instance)  # the object update() fetched
        data = serializer.validated_data
        version = question.current_version
        try:
            services.edit_question(
                actor=self.request.user,
                question=question,
                type=data.get("type", version.type if version else ""),
                text=data.get("text", version.text if version else ""),
                data=data.get("data", version.data if version else {}),
                points=data.get("points", version.points if version else 1),
                title=data.get("title"),
                tags=data.get("tags"),
                category=data.get("category"),
            )
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc
        serializer.instance = self.get_queryset().get(pk=question.pk)

    def perform_destroy(self, instance: Question) -> None:
        """Questions given to learners must stay: retire instead of deleting."""
        try:
            services.bank.check_bank_access(self.request.user, instance.category)
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc
        Question.objects.filter(pk=instance.pk).update(is_active=False)

    @extend_schema(request=FixKeySerializer, responses={202: FixKeyResultSerializer})
    @action(detail=True, methods=["post"], url_path="fix-key")
    def fix_key(self, request: AuthedApiRequest, pk: str | None = None) -> Response:
        """Correct the key of one version and regrade every attempt that used it."""
        question = self.get_object()
        body = FixKeySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = get_object_or_404(
            QuestionVersion, pk=body.validated_data["version"], question=question
        )
        try:
            services.fix_key(
                actor=request.user,
                version=version,
                data=body.validated_data["data"],
                reason=body.validated_data["reason"],
            )
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc
        return Response({"version": version.pk, "queued": True}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=ImportRequestSerializer,
        responses={200: ImportResultSerializer, 400: ImportResultSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[parsers.MultiPartParser, parsers.FormParser],
    )
    def import_questions(self, request: AuthedApiRequest) -> Response:
        """Import a GIFT, Aiken, Moodle XML or XLSX file: all or nothing, with a per-line report."""
        body = ImportRequestSerializer(data=request.data)
        if not body.is_valid():
            # Same shape as every other refusal of this endpoint (the documented 400).
            problems = [
                {"line": 0, "message": f"{field}: {' '.join(str(m) for m in messages)}"}
                for field, messages in body.errors.items()
            ]
            return Response(
                {"created": 0, "dry_run": False, "errors": problems},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data: dict[str, Any] = body.validated_data
        user = request.user
        unit_id = data.get("owner_unit") or user.unit_id
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None or not user.can_see_unit(unit):
            problem = {"line": 0, "message": _("Đơn vị không hợp lệ.")}
            return Response(
                {"created": 0, "dry_run": data["dry_run"], "errors": [problem]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        raw = data["file"].read()
        if data["dry_run"]:
            # The preview: every question (type in Vietnamese), what we cannot import,
            # and a token to import this very file later without sending it again.
            result = parse(io.BytesIO(raw), data["format"])
            meta = {"format": data["format"], "category": data["category"], "unit": unit.pk}
            out: dict[str, Any] = {
                "created": len(result.questions),
                "dry_run": True,
                "errors": [{"line": p.line, "message": p.message} for p in result.problems],
                "skipped": [vars(s) for s in result.skipped],
                "questions": [
                    {
                        "line": q.line,
                        "type": q.type,
                        "type_label": str(QuestionType(q.type).label),
                        "title": q.title,
                        "text": q.text,
                        "category": q.category,
                        "tags": q.tags,
                    }
                    for q in result.questions
                ],
            }
            if result.problems:
                return Response(out, status=status.HTTP_400_BAD_REQUEST)
            out["token"] = staging.stage(user=user, kind="questions", data=raw, meta=meta)
            return Response(out)
        return self._run(
            user, raw, data["format"], data["category"], unit, data["skip_unsupported"]
        )

    def _run(
        self,
        user: Any,
        raw: bytes,
        fmt: str,
        category: str,
        unit: Unit | None,
        skip_unsupported: bool,
    ) -> Response:
        try:
            report = run_import(
                upload=io.BytesIO(raw),
                format=fmt,
                category_path=category,
                owner_unit=unit,
                actor=user,
                skip_unsupported=skip_unsupported,
            )
        except ImportFailed as exc:
            return Response(
                {"created": 0, "dry_run": False, "errors": exc.problems_as_dicts()},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "created": report.created,
                "dry_run": False,
                "errors": [],
                "skipped": [vars(s) for s in report.skipped],
            }
        )

    @extend_schema(
        request=ImportConfirmSerializer,
        responses={200: ImportResultSerializer, 400: ImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import/confirm")
    def import_confirm(self, request: AuthedApiRequest) -> Response:
        """Import the file of an earlier preview (dry_run) by its token; only the
        user who uploaded it may, within an hour."""
        body = ImportConfirmSerializer(data=request.data)
        if not body.is_valid():
            problems = [
                {"line": 0, "message": f"{field}: {' '.join(str(m) for m in messages)}"}
                for field, messages in body.errors.items()
            ]
            return Response(
                {"created": 0, "dry_run": False, "errors": problems},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            raw, meta = staging.load(
                body.validated_data["token"], user=request.user, kind="questions"
            )
        except staging.StagingExpired:
            problem = {"line": 0, "message": _("Phiên nhập đã hết hạn, vui lòng gửi lại tệp.")}
            return Response(
                {"created": 0, "dry_run": False, "errors": [problem]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        unit = Unit.objects.filter(pk=meta["unit"]).first()
        response = self._run(
            request.user,
            raw,
            meta["format"],
            meta["category"],
            unit,
            body.validated_data["skip_unsupported"],
        )
        if response.status_code == 200:
            staging.discard(body.validated_data["token"], user=request.user, kind="questions")
        return response
