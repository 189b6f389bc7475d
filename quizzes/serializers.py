from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.models import Unit

from .models import Question, QuestionCategory, QuestionType, QuestionVersion, Quiz, QuizItem, Tag


class CategorySerializer(serializers.ModelSerializer):
    # The serializer metaclass takes declared fields out of the class, so a
    # field may be named like a Field attribute (parent, data, errors).
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=QuestionCategory.objects.all(), required=False, allow_null=True
    )
    owner_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())

    class Meta:
        model = QuestionCategory
        fields = ["id", "name", "parent", "owner_unit", "path"]
        read_only_fields = ["path"]

    def validate_owner_unit(self, unit: Unit) -> Unit:
        if not self.context["request"].user.can_see_unit(unit):
            raise serializers.ValidationError(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."))
        return unit

    def validate_parent(self, parent: QuestionCategory | None) -> QuestionCategory | None:
        user = self.context["request"].user
        if parent is not None and not user.can_see_unit(parent.owner_unit):
            raise serializers.ValidationError(_("Danh mục cha không tồn tại."))
        return parent


class QuestionSerializer(serializers.ModelSerializer):
    """A question with its current version's content (keys included: trainers only)."""

    category = serializers.PrimaryKeyRelatedField(queryset=QuestionCategory.objects.all())
    type = serializers.ChoiceField(choices=QuestionType.choices)
    text = serializers.CharField()
    data = serializers.JSONField(  # type: ignore[assignment]  # see CategorySerializer.parent
        help_text=(
            "Nội dung theo loại câu hỏi (fraction: tỉ lệ điểm từ -1 đến 1). "
            "single/multiple: {choices: [{id, text, fraction, feedback}]}; "
            "truefalse: {answer: bool, feedback_true, feedback_false}; "
            "short: {answers: [{text, fraction, feedback}], accent_insensitive, case_sensitive}; "
            "numeric: {answers: [{value, tolerance, fraction, feedback}], unit, feedback_wrong}; "
            "matching: {pairs: [{id, left, right_id}], rights: [{id, text}]} "
            "(vế phải không có cặp là phương án nhiễu); "
            "ordering: {items: [{id, text}]} theo đúng thứ tự; "
            "essay: {rubric, response_template}. Mọi loại có thể có feedback (nhận xét chung)."
        )
    )
    points = serializers.DecimalField(max_digits=7, decimal_places=2, default=Decimal(1))
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    version = serializers.IntegerField(source="current_version_id", read_only=True)
    version_number = serializers.IntegerField(source="current_version.number", read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "category",
            "title",
            "type",
            "text",
            "data",
            "points",
            "tags",
            "version",
            "version_number",
            "is_active",
        ]
        read_only_fields = ["is_active"]

    def to_representation(self, question: Question) -> dict[str, Any]:
        version = question.current_version
        return {
            "id": question.pk,
            "category": question.category_id,
            "title": question.title,
            "type": version.type if version else None,
            "text": version.text if version else "",
            "data": version.data if version else {},
            "points": str(version.points) if version else None,
            "tags": [t.name for t in question.tags.all()],
            "version": question.current_version_id,
            "version_number": version.number if version else None,
            "is_active": question.is_active,
        }

    def validate_category(self, category: QuestionCategory) -> QuestionCategory:
        user = self.context["request"].user
        if not user.can_see_unit(category.owner_unit):
            raise serializers.ValidationError(_("Danh mục không tồn tại."))
        return category


class FixKeySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    data = serializers.JSONField()  # type: ignore[assignment]  # see CategorySerializer.parent
    reason = serializers.CharField()


class FixKeyResultSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    queued = serializers.BooleanField()


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=["gift", "aiken", "moodlexml", "xlsx"])
    category = serializers.CharField(help_text="Đường dẫn danh mục, ví dụ: Nghị quyết 4/Nhóm 1")
    owner_unit = serializers.IntegerField(required=False)
    dry_run = serializers.BooleanField(
        default=False,
        help_text="Chỉ xem trước: trả về các câu hỏi, các mục không hỗ trợ và một token "
        "để nhập bằng /api/questions/import/confirm/ mà không gửi lại tệp.",
    )
    skip_unsupported = serializers.BooleanField(
        default=False, help_text="Bỏ qua các câu thuộc loại chưa hỗ trợ và nhập các câu còn lại."
    )


class ImportConfirmSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Token của lần xem trước (dry_run), hết hạn sau 1 giờ.")
    skip_unsupported = serializers.BooleanField(default=False)


class ImportProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    message = serializers.CharField()


class ImportSkippedSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    type = serializers.CharField(help_text="Tên loại câu hỏi trong tệp (như Moodle gọi).")
    title = serializers.CharField()


class ImportPreviewSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    type = serializers.CharField()
    type_label = serializers.CharField(help_text="Tên loại bằng tiếng Việt.")
    title = serializers.CharField()
    text = serializers.CharField()
    category = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    errors = ImportProblemSerializer(many=True)  # type: ignore[assignment]  # see CategorySerializer.parent
    skipped = ImportSkippedSerializer(many=True, required=False)
    questions = ImportPreviewSerializer(many=True, required=False)
    token = serializers.CharField(required=False)


class QuizItemSerializer(serializers.ModelSerializer):
    question = serializers.PrimaryKeyRelatedField(
        queryset=Question.objects.all(), required=False, allow_null=True
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=QuestionCategory.objects.all(), required=False, allow_null=True
    )
    tag = serializers.SlugRelatedField(
        slug_field="name", queryset=Tag.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = QuizItem
        fields = [
            "kind",
            "question",
            "category",
            "include_subcategories",
            "tag",
            "count",
            "points",
            "page_break_after",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        if attrs.get("kind", QuizItem.Kind.FIXED) == QuizItem.Kind.FIXED:
            question = attrs.get("question")
            if (
                question is None
                or not Question.objects.visible_to(user).filter(pk=question.pk).exists()
            ):
                raise serializers.ValidationError(_("Câu hỏi không tồn tại."))
        else:
            category = attrs.get("category")
            if (
                category is None
                or not QuestionCategory.objects.visible_to(user).filter(pk=category.pk).exists()
            ):
                raise serializers.ValidationError(_("Danh mục không tồn tại."))
        return attrs


class QuizSerializer(serializers.ModelSerializer):
    owner_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    items = QuizItemSerializer(many=True, required=False)

    class Meta:
        model = Quiz
        fields = [
            "id",
            "title",
            "description",
            "owner_unit",
            "is_published",
            "open_at",
            "close_at",
            "time_limit",
            "expiry",
            "grace_seconds",
            "attempts_allowed",
            "grading_method",
            "pass_percent",
            "shuffle_questions",
            "shuffle_choices",
            "navigation",
            "per_page",
            "review_score",
            "review_correctness",
            "review_answers",
            "review_feedback",
            "feedback_bands",
            "max_grade",
            "items",
        ]
        extra_kwargs = {
            "time_limit": {"help_text": "Giây; null: không giới hạn (giao diện nhập theo phút)."},
            "grace_seconds": {"help_text": "Giây (giao diện nhập theo phút)."},
        }

    def validate_owner_unit(self, unit: Unit) -> Unit:
        if not self.context["request"].user.can_see_unit(unit):
            raise serializers.ValidationError(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."))
        return unit

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        open_at = attrs.get("open_at", getattr(self.instance, "open_at", None))
        close_at = attrs.get("close_at", getattr(self.instance, "close_at", None))
        if open_at and close_at and close_at <= open_at:
            raise serializers.ValidationError(_("Thời điểm đóng phải sau thời điểm mở."))
        bands = attrs.get("feedback_bands")
        if bands is not None and (
            not isinstance(bands, list) or not all(isinstance(b, dict) for b in bands)
        ):
            raise serializers.ValidationError({"feedback_bands": _("Định dạng không hợp lệ.")})
        return attrs

    def _items(self, quiz: Quiz, items: list[dict[str, Any]] | None) -> None:
        if items is None:
            return
        quiz.items.all().delete()
        QuizItem.objects.bulk_create(
            QuizItem(quiz=quiz, position=i, **item) for i, item in enumerate(items)
        )

    def create(self, validated: dict[str, Any]) -> Quiz:
        items = validated.pop("items", None)
        quiz = Quiz.objects.create(created_by=self.context["request"].user, **validated)
        self._items(quiz, items)
        return quiz

    def update(self, quiz: Quiz, validated: dict[str, Any]) -> Quiz:
        items = validated.pop("items", None)
        quiz = super().update(quiz, validated)
        self._items(quiz, items)
        return quiz


class LearnerQuizSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quiz
        fields = [
            "id",
            "owner_unit",
            "title",
            "description",
            "open_at",
            "close_at",
            "time_limit",
            "attempts_allowed",
            "grading_method",
            "pass_percent",
            "navigation",
        ]


# -- attempts ----------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()


class SlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    page = serializers.IntegerField()
    type = serializers.ChoiceField(choices=QuestionType.choices)
    text = serializers.CharField()
    question_id = serializers.IntegerField(
        help_text="Câu hỏi trong ngân hàng. Hình trong nội dung viết là ![mô tả](media:TÊN), "
        "tải ở /bank/questions/{question_id}/media/{TÊN} (cùng phiên đăng nhập)."
    )
    points = serializers.CharField()
    choices = ChoiceSerializer(many=True)
    lefts = ChoiceSerializer(many=True, help_text="Vế trái của câu ghép đôi.")
    unit = serializers.CharField(
        required=False, default="", help_text="Đơn vị đo của câu hỏi số (hiện sau ô nhập)."
    )
    response_template = serializers.CharField(
        required=False,
        default="",
        help_text="Câu tự luận: mẫu điền sẵn vào ô bài làm khi học viên chưa viết gì.",
    )
    response = serializers.JSONField(allow_null=True)
    seq = serializers.IntegerField()
    flagged = serializers.BooleanField()


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quiz = serializers.IntegerField()
    number = serializers.IntegerField()
    state = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True)
    remaining_seconds = serializers.IntegerField(allow_null=True)
    slots = SlotSerializer(many=True)


class SaveAnswerSerializer(serializers.Serializer):
    response = serializers.JSONField(allow_null=True, help_text="Dạng tùy loại câu hỏi.")
    seq = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class SaveResultSerializer(serializers.Serializer):
    saved = serializers.BooleanField(help_text="false: đã có bản lưu mới hơn (seq lớn hơn).")
    seq = serializers.IntegerField()
    saved_at = serializers.DateTimeField()


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    needs_grading = serializers.BooleanField()
    score = serializers.CharField(allow_null=True)
    max_score = serializers.CharField(allow_null=True)
    percent = serializers.CharField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    feedback = serializers.CharField(allow_blank=True)


class ReviewSlotSerializer(SlotSerializer):
    score = serializers.CharField(allow_null=True)
    correct = serializers.CharField(allow_null=True)
    right_answer = serializers.JSONField(allow_null=True)
    feedback = serializers.ListField(child=serializers.CharField())
    comment = serializers.CharField(allow_blank=True)


class ReviewSerializer(ResultSerializer):
    slots = ReviewSlotSerializer(many=True)


class GradeRequestSerializer(serializers.Serializer):
    slot = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class GradingQueueSerializer(serializers.Serializer):
    attempt = serializers.IntegerField()
    quiz = serializers.IntegerField()
    quiz_title = serializers.CharField()
    learner = serializers.CharField(allow_null=True)
    unit = serializers.CharField(allow_null=True)
    finished_at = serializers.DateTimeField()
    slots = serializers.ListField(child=serializers.IntegerField())


class OverrideRequestSerializer(serializers.Serializer):
    slot = serializers.IntegerField(help_text="Câu (slot) của lượt làm bài.")
    points = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        allow_null=True,
        help_text="Điểm mới, từ 0 đến điểm tối đa của câu; null: trả về điểm tự động.",
    )
    reason = serializers.CharField(
        max_length=500,
        help_text="Lý do (bắt buộc), ghi vào nhật ký cùng người sửa, thời điểm, điểm cũ và mới.",
        error_messages={
            "blank": _("Cần nêu lý do khi sửa điểm tự động."),
            "required": _("Cần nêu lý do khi sửa điểm tự động."),
        },
    )


class GradedSlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    type = serializers.ChoiceField(choices=QuestionType.choices)
    text = serializers.CharField()
    question_id = serializers.IntegerField(
        help_text="Câu hỏi trong ngân hàng. Hình trong nội dung viết là ![mô tả](media:TÊN), "
        "tải ở /bank/questions/{question_id}/media/{TÊN} (cùng phiên đăng nhập)."
    )
    max_points = serializers.DecimalField(max_digits=7, decimal_places=2)
    response = serializers.JSONField(allow_null=True)
    response_lines = serializers.ListField(
        child=serializers.CharField(), help_text="Câu trả lời bằng lời, như trang chấm bài."
    )
    right_lines = serializers.ListField(child=serializers.CharField(), help_text="Đáp án đúng.")
    feedback = serializers.ListField(child=serializers.CharField())
    score = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    automatic_score = serializers.DecimalField(
        max_digits=9,
        decimal_places=4,
        allow_null=True,
        help_text="Điểm theo đáp án hiện tại (null: tự luận).",
    )
    needs_manual = serializers.BooleanField()
    overridden = serializers.BooleanField(help_text="Điểm tự động đã được người chấm sửa.")
    override_reason = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)
    graded_by = serializers.CharField(allow_null=True)
    graded_at = serializers.DateTimeField(allow_null=True)


class GradedAttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quiz = serializers.IntegerField()
    quiz_title = serializers.CharField()
    learner = serializers.CharField(allow_null=True)
    unit = serializers.CharField(allow_null=True)
    number = serializers.IntegerField()
    finished_at = serializers.DateTimeField()
    needs_grading = serializers.BooleanField()
    score = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    max_score = serializers.DecimalField(max_digits=9, decimal_places=4)
    percent = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    grade_percent = serializers.DecimalField(
        max_digits=7,
        decimal_places=4,
        allow_null=True,
        help_text="Điểm bài kiểm tra của học viên theo cách tính điểm của bài.",
    )
    grade_passed = serializers.BooleanField(allow_null=True)
    slots = GradedSlotSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


__all__ = ["QuestionVersion"]
