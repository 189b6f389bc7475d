"""The quiz builder through the API: the same services as the builder page.

Mixed into QuizViewSet, so every route is /api/quizzes/{id}/...: the quiz is
one the trainer may read (else 404) and, for writes, edit (else 403).
Durations in the quiz resource stay in seconds (`time_limit`, `grace_seconds`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.api import django_errors
from accounts.http import AuthedApiRequest
from config.ids import parse_id

from .. import access, presenters
from ..models import AttemptSlot, Question, QuestionCategory, QuestionType, Quiz, QuizItem, Tag
from ..serializers import AttemptSerializer, ErrorSerializer, SlotSerializer
from ..services import QuizUnavailable, start_attempt
from ..services import builder as building
from .attempts import attempt_payload
from .common import SERVICE_ERRORS, IsTrainer

# -- serializers ----------------------------------------------------------------


class BankQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    type = serializers.ChoiceField(choices=QuestionType.choices)
    category = serializers.IntegerField()
    tags = serializers.ListField(child=serializers.CharField())
    used = serializers.BooleanField(help_text="Đã có trong bài kiểm tra này.")
    preview = SlotSerializer(help_text="Câu hỏi như học viên thấy (không có đáp án).")


class BankPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = BankQuestionSerializer(many=True)


class AddQuestionsSerializer(serializers.Serializer):
    questions = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=500
    )


class RandomSlotSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    include_subcategories = serializers.BooleanField(default=True)
    tag = serializers.CharField(required=False, allow_null=True, help_text="Tên thẻ.")
    count = serializers.IntegerField(min_value=1, max_value=200)
    points = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True
    )


class ReorderSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.IntegerField(min_value=1))


class ItemUpdateSerializer(serializers.Serializer):
    points = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Điểm mỗi câu của mục; null: điểm của từng câu hỏi.",
    )
    page_break_after = serializers.BooleanField(required=False)


class SlotRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="item.pk")
    position = serializers.IntegerField(source="item.position")
    kind = serializers.CharField(source="item.kind")
    question = serializers.IntegerField(source="item.question_id", allow_null=True)
    category = serializers.IntegerField(source="item.category_id", allow_null=True)
    include_subcategories = serializers.BooleanField(source="item.include_subcategories")
    tag = serializers.CharField(source="item.tag.name", allow_null=True, default=None)
    count = serializers.IntegerField(source="item.count")
    item_points = serializers.DecimalField(
        source="item.points", max_digits=7, decimal_places=2, allow_null=True
    )
    page_break_after = serializers.BooleanField(source="item.page_break_after")
    questions = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=9, decimal_places=2)
    pool = serializers.IntegerField(allow_null=True)
    page = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    items = SlotRowSerializer(many=True, source="rows")
    questions = serializers.IntegerField()
    total_points = serializers.DecimalField(max_digits=11, decimal_places=2)
    pages = serializers.IntegerField()
    minutes = serializers.IntegerField()
    estimated = serializers.BooleanField()
    max_grade = serializers.DecimalField(max_digits=7, decimal_places=2)


class PoolSerializer(serializers.Serializer):
    size = serializers.IntegerField()


BANK_PARAMS = [
    OpenApiParameter("q", str, description="Tìm trong tiêu đề và nội dung, không phân biệt dấu."),
    OpenApiParameter("category", int),
    OpenApiParameter("include_subcategories", bool),
    OpenApiParameter("tag", str, description="Tên thẻ."),
    OpenApiParameter("type", str, enum=list(QuestionType.values)),
    OpenApiParameter("unused", bool, description="Chỉ câu chưa có trong bài kiểm tra."),
    OpenApiParameter("limit", int, description="Tối đa 100 (mặc định 50)."),
    OpenApiParameter("offset", int),
]
POOL_PARAMS = [
    OpenApiParameter("category", int, required=True),
    OpenApiParameter("include_subcategories", bool),
    OpenApiParameter("tag", str, description="Tên thẻ."),
]


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.lower() in ("1", "true", "on", "yes")


class QuizBuilderMixin:
    """Builder actions of QuizViewSet (see the module docstring)."""

    request: AuthedApiRequest

    def _quiz(self, pk: Any, edit: bool = True) -> Quiz:
        user = self.request.user
        quiz_id = parse_id(pk)
        quiz = None if quiz_id is None else Quiz.objects.visible_to(user).filter(pk=quiz_id).first()
        if quiz is None:
            raise NotFound()
        if edit and not access.may_edit_quiz(user, quiz):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied()
        return quiz

    def _category(self, pk: Any) -> QuestionCategory:
        category_id = parse_id(pk)
        found = (
            None
            if category_id is None
            else QuestionCategory.objects.visible_to(self.request.user)
            .filter(pk=category_id)
            .first()
        )
        if found is None:
            raise serializers.ValidationError({"category": "Danh mục không tồn tại."})
        return found

    def _tag(self, name: str | None) -> Tag | None:
        if not name:
            return None
        tag = Tag.objects.filter(name=name).first()
        if tag is None:
            raise serializers.ValidationError({"tag": "Thẻ không tồn tại."})
        return tag

    def _summary(self, quiz: Quiz) -> dict[str, Any]:
        s = building.summary(quiz)
        data = SummarySerializer(
            {
                "rows": s.rows,
                "questions": s.questions,
                "total_points": s.total_points,
                "pages": s.pages,
                "minutes": s.minutes,
                "estimated": s.estimated,
                "max_grade": quiz.max_grade,
            }
        ).data
        return dict(data)

    @extend_schema(parameters=BANK_PARAMS, responses={200: BankPageSerializer})
    @action(detail=True, methods=["get"], url_path="bank", permission_classes=[IsTrainer])
    def bank(self, request: AuthedApiRequest, pk: str | None = None) -> Response:
        """Questions of the bank the trainer may add, filtered as on the builder page."""
        quiz = self._quiz(pk, edit=False)
        p = request.query_params
        filters = building.BankFilter(
            category=self._category(p["category"]) if p.get("category") else None,
            include_subcategories=_flag(p.get("include_subcategories"), True),
            tag=self._tag(p.get("tag")),
            type=p.get("type", "") if p.get("type") in QuestionType.values else "",
            text=p.get("q", "")[:200],
            unused_in=quiz if _flag(p.get("unused"), False) else None,
        )
        limit = min(parse_id(p.get("limit")) or 50, 100)
        offset = parse_id(p.get("offset")) or 0
        qs: QuerySet[Question] = building.bank_questions(user=request.user, filters=filters)
        count = qs.count()
        page = list(
            qs.select_related("current_version").prefetch_related("tags")[offset : offset + limit]
        )
        used = set(quiz.items.filter(question__isnull=False).values_list("question_id", flat=True))
        results = []
        for q in page:
            version = q.current_version
            assert version is not None
            slot = AttemptSlot(
                position=0,
                page=0,
                version=version,
                choice_order=version.choice_ids(),
                max_points=version.points,
            )
            preview = presenters.public_slot(slot)
            preview["id"] = 0
            results.append(
                {
                    "id": q.pk,
                    "title": q.title,
                    "type": version.type,
                    "category": q.category_id,
                    "tags": [t.name for t in q.tags.all()],
                    "used": q.pk in used,
                    "preview": preview,
                }
            )
        return Response(BankPageSerializer({"count": count, "results": results}).data)

    @extend_schema(parameters=POOL_PARAMS, responses={200: PoolSerializer})
    @action(detail=True, methods=["get"], url_path="pool", permission_classes=[IsTrainer])
    def pool(self, request: AuthedApiRequest, pk: str | None = None) -> Response:
        """How many questions a random slot with these settings may draw from."""
        self._quiz(pk, edit=False)
        p = request.query_params
        size = building.pool_size(
            category=self._category(p.get("category")),
            include_subcategories=_flag(p.get("include_subcategories"), True),
            tag=self._tag(p.get("tag")),
        )
        return Response({"size": size})

    @extend_schema(responses={200: SummarySerializer})
    @action(detail=True, methods=["get"], url_path="summary", permission_classes=[IsTrainer])
    def summary(self, request: AuthedApiRequest, pk: str | None = None) -> Response:
        """The quiz's items with what they add up to: questions, points, pages, minutes."""
        return Response(self._summary(self._quiz(pk, edit=False)))

    @extend_schema(request=AddQuestionsSerializer, responses={201: SummarySerializer})
    @action(detail=True, methods=["post"], url_path="add-questions", permission_classes=[IsTrainer])
    def add_questions(self, request: AuthedApiRequest, pk: str | None = None) -> Response:
        """Add several bank questions at the end (ones already in the quiz are skipped)."""
        quiz = self._quiz(pk)
        body = AddQuestionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            building.add_questions(
                actor=request.user, quiz=quiz, question_ids=body.validated_data["questions"]
            )
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc
        return Response(self._summary(quiz), status=status.HTTP_201_CREATED)

    @extend_schema(request=RandomSlotSerializer, responses={201: SummarySerializer})
    @action(detail=True, methods=["post"], url_path="random-slots", permission_classes=[IsTrainer])
    def random_slots(self, request: AuthedApiRequest, pk: str | None = None) -> Response:
        """Add a slot drawing N questions from a category (and its subcategories), by tag."""
        quiz = self._quiz(pk)
        body = RandomSlotSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            building.add_random(
                actor=request.user,
                quiz=quiz,
                category=self._category(d["category"]),
                include_subcategories=d["include_subcategories"],
                tag=self._tag(d.get("tag")),
                count=d["count"],
                points=d.get("points"),
            )
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc
        return Response(self._summary(quiz), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReorderSerializer, responses={200: SummarySerializer})
    @action(detail=True, methods=["post"], url_path="reorder", permission_classes=[IsTrainer])
    def reorder(self, request: AuthedApiRequest, pk: str | None = None) -> Response:
        """Put the items in this order (every item id exactly once)."""
        quiz = self._quiz(pk)
        body = ReorderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            building.reorder(actor=request.user, quiz=quiz, item_ids=body.validated_data["items"])
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc
        return Response(self._summary(quiz))

    @extend_schema(
        request=ItemUpdateSerializer,
        responses={200: SummarySerializer},
        parameters=[OpenApiParameter("item_id", int, location=OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"items/(?P<item_id>[0-9]{1,18})",
        permission_classes=[IsTrainer],
    )
    def item(self, request: AuthedApiRequest, pk: str | None = None, item_id: str = "") -> Response:
        """Points per question of one item and a page break after it."""
        quiz = self._quiz(pk)
        body = ItemUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        kwargs: dict[str, Any] = {}
        if "points" in d:
            kwargs["points"] = d["points"]
        if "page_break_after" in d:
            kwargs["page_break_after"] = d["page_break_after"]
        item_pk = parse_id(item_id)
        if item_pk is None or not QuizItem.objects.filter(quiz=quiz, pk=item_pk).exists():
            raise NotFound()
        try:
            building.update_item(actor=request.user, quiz=quiz, item_id=item_pk, **kwargs)
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc
        return Response(self._summary(quiz))

    @extend_schema(request=None, responses={201: AttemptSerializer, 409: ErrorSerializer})
    @action(detail=True, methods=["post"], url_path="preview", permission_classes=[IsTrainer])
    def preview(self, request: AuthedApiRequest, pk: str | None = None) -> Response:
        """Start (or resume) the trainer's preview attempt: taken as a learner would,
        never counted in grades, statistics or reports."""
        quiz = self._quiz(pk)
        try:
            attempt = start_attempt(user=request.user, quiz=quiz, preview=True)
        except QuizUnavailable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(attempt_payload(attempt, timezone.now()), status=status.HTTP_201_CREATED)
