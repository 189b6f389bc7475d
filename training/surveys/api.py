"""Surveys API: learners fill the surveys meant for them; trainers author them
and read aggregate results (never who answered what)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import django_errors
from accounts.models import Unit
from config.ids import parse_id

from . import MIN_RESPONSES, services
from .models import Survey, SurveySubmission
from .results import survey_results, unit_groups


class SurveySerializer(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "course",
            "session",
            "title",
            "intro",
            "is_open",
            "required",
            "questions",
            "answered",
        ]
        read_only_fields = fields

    def get_questions(self, survey: Survey) -> list[dict[str, Any]]:
        return [
            {
                "id": q.pk,
                "kind": q.kind,
                "text": q.text,
                "choices": q.choices,
                "required": q.required,
            }
            for q in survey.questions.all()
        ]

    def get_answered(self, survey: Survey) -> bool:
        return bool(getattr(survey, "answered", False))


class SurveyCreateSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    session = serializers.IntegerField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=255)
    copy_from = serializers.IntegerField(
        required=False, allow_null=True, help_text="a survey whose questions to copy"
    )
    required_for_completion = serializers.BooleanField(required=False, default=False)


ResultsOut = inline_serializer(
    "SurveyResults",
    {
        "shown": serializers.BooleanField(),
        "minimum": serializers.IntegerField(),
        "unit": serializers.IntegerField(allow_null=True),
        "responses": serializers.IntegerField(allow_null=True),
        "questions": serializers.ListField(child=serializers.DictField()),
        "units": serializers.ListField(child=serializers.DictField()),
    },
)


class SurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Learners: the surveys they may fill (`answered` once done). Trainers and
    admins: the surveys whose results they may read."""

    queryset = Survey.objects.none()
    serializer_class = SurveySerializer

    def get_queryset(self) -> QuerySet[Survey]:
        user: Any = self.request.user
        qs: QuerySet[Survey]
        if user.is_trainer:
            qs = Survey.objects.results_visible_to(user)
        else:
            qs = Survey.objects.filter(
                services.answerable_q(user) | Q(submissions__user=user)
            ).distinct()
        return (
            qs.annotate(
                answered=Exists(
                    SurveySubmission.objects.filter(survey=OuterRef("pk"), user_id=user.pk)
                )
            )
            .prefetch_related("questions")
            .order_by("pk")
        )

    @extend_schema(request=SurveyCreateSerializer, responses={201: SurveySerializer})
    def create(self, request: Request) -> Response:
        """Create a survey for a session (or the course's end) from the default
        template, or from another survey (`source`)."""
        from courses.models import Course
        from training.models import TrainingSession

        if not request.user.is_trainer:  # type: ignore[union-attr]
            raise DjangoPermissionDenied
        data = SurveyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor: Any = request.user
        course = Course.objects.editable_by(actor).filter(pk=data.validated_data["course"]).first()
        if course is None:
            raise serializers.ValidationError({"course": _("Không tìm thấy khóa học.")})
        session = source = None
        if data.validated_data.get("session"):
            session = TrainingSession.objects.filter(
                pk=data.validated_data["session"], course=course
            ).first()
            if session is None:
                raise serializers.ValidationError({"session": _("Không tìm thấy buổi tập huấn.")})
        if data.validated_data.get("copy_from"):
            source = (
                Survey.objects.editable_by(request.user)
                .filter(pk=data.validated_data["copy_from"])
                .first()
            )
            if source is None:
                raise serializers.ValidationError({"copy_from": _("Không tìm thấy phiếu mẫu.")})
        try:
            survey = services.create_survey(
                actor=request.user,  # type: ignore[arg-type]
                course=course,
                session=session,
                title=data.validated_data.get("title", ""),
                source=source,
                required=data.validated_data.get("required_for_completion", False),
            )
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise django_errors(exc) from exc
        return Response(SurveySerializer(survey).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=inline_serializer(
            "SurveyAnswers",
            {"answers": serializers.DictField(help_text="question id → 1–5, option index or text")},
        ),
        responses={201: inline_serializer("SurveySubmitted", {"ok": serializers.BooleanField()})},
    )
    @action(detail=True, methods=["post"])
    def responses(self, request: Request, pk: Any = None) -> Response:
        """Answer the survey once (anonymous: the answers are stored without the user)."""
        survey = self.get_object()
        if not services.may_answer(request.user, survey):  # type: ignore[arg-type]
            raise DjangoPermissionDenied(
                _("Phiếu đánh giá này không dành cho đồng chí hoặc đã đóng.")
            )
        answers = request.data.get("answers") if isinstance(request.data, dict) else None
        if not isinstance(answers, dict):
            raise serializers.ValidationError({"answers": _("Thiếu câu trả lời.")})
        try:
            services.submit_response(user=request.user, survey=survey, data=answers)  # type: ignore[arg-type]
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise django_errors(exc) from exc
        return Response({"ok": True}, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("unit", int)], responses={200: ResultsOut})
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: Any = None) -> Response:
        """Aggregates of the whole survey or of one shown cell of its unit
        partition (`units`, see training.surveys.results); any other unit
        gives `shown: false`. Free text without names."""
        survey = (
            Survey.objects.results_visible_to(request.user).filter(pk=parse_id(pk) or 0).first()
        )
        if survey is None:
            raise Http404
        unit = None
        if request.query_params.get("unit"):
            viewer: Any = request.user
            unit = (
                Unit.objects.visible_to(viewer)
                .filter(pk=parse_id(request.query_params["unit"]) or 0)
                .first()
            )
            if unit is None:
                raise Http404
        results = survey_results(survey, unit=unit)
        groups = [
            {"unit": g.unit.pk, "name": g.unit.name, "shown": g.shown}
            for g in unit_groups(survey, request.user)  # type: ignore[arg-type]
        ]
        if results is None:
            return Response(
                {
                    "shown": False,
                    "minimum": MIN_RESPONSES,
                    "unit": unit.pk if unit else None,
                    "responses": None,
                    "questions": [],
                    "units": groups,
                }
            )
        return Response(
            {
                "shown": True,
                "minimum": MIN_RESPONSES,
                "unit": unit.pk if unit else None,
                "responses": results.responses,
                "questions": [
                    {
                        "id": q.question.pk,
                        "kind": q.question.kind,
                        "text": q.question.text,
                        "answered": q.answered,
                        "mean": None if q.mean is None else round(q.mean, 2),
                        "options": [
                            {"label": o.label, "count": o.count, "share": round(o.share, 1)}
                            for o in q.options
                        ],
                        "texts": q.texts,
                    }
                    for q in results.questions
                ],
                "units": groups,
            }
        )
