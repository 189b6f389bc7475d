from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Unit, User
from quizzes.models import Quiz

from .models import Assignment, Course, Enrollment, Lesson, LessonAttachment, Module


class CourseSerializer(serializers.ModelSerializer):
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=30
    )
    owner_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    issuing_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    final_exam = serializers.PrimaryKeyRelatedField(
        queryset=Quiz.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title",
            "description",
            "tags",
            "status",
            "validity_months",
            "owner_unit",
            "issuing_unit",
            "sequential",
            "self_enrol",
            "final_exam",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is checked by the service (case-insensitively, with a message).
        extra_kwargs: dict[str, dict[str, Any]] = {"code": {"validators": []}}


class LessonBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = ["id", "order", "title"]


class ModuleSerializer(serializers.ModelSerializer):
    quiz = serializers.PrimaryKeyRelatedField(
        queryset=Quiz.objects.all(), required=False, allow_null=True
    )
    lessons = LessonBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["id", "course", "order", "title", "quiz", "lessons"]
        read_only_fields = ["course", "order"]


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = LessonAttachment
        fields = ["id", "original_name", "content_type", "size", "url"]

    def get_url(self, obj: LessonAttachment) -> str:
        return reverse("frontend:attachment-download", args=[obj.pk])


class LessonSerializer(serializers.ModelSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Lesson
        fields = [
            "id",
            "module",
            "order",
            "title",
            "body",
            "body_html",
            "video_url",
            "attachments",
        ]
        read_only_fields = ["module", "order", "body_html"]


class MoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=[("up", _("Lên")), ("down", _("Xuống"))])


class EnrollmentSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "user",
            "user_name",
            "course",
            "course_title",
            "source",
            "status",
            "due_date",
            "enrolled_at",
            "completed_at",
        ]
        read_only_fields = fields


class EnrollmentCreateSerializer(serializers.Serializer):
    """Enrol one learner (`user`) or assign the course to a unit (`unit`)."""

    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    deadline_kind = serializers.ChoiceField(
        choices=Assignment.DeadlineKind.choices, default=Assignment.DeadlineKind.NONE
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    due_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=3650
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("user")) == bool(attrs.get("unit")):
            raise serializers.ValidationError(
                _("Hãy chọn đúng một trong hai: học viên hoặc đơn vị.")
            )
        return attrs


class UnitEnrolSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        help_text="Đơn vị trong phạm vi của bạn (cả đơn vị trực thuộc).",
    )


class UnitEnrolResultSerializer(serializers.Serializer):
    enrolled = serializers.IntegerField(help_text="Ghi danh mới.")
    resumed = serializers.IntegerField(help_text="Đã hủy ghi danh trước đây, nay học tiếp.")
    already = serializers.IntegerField(help_text="Đã ghi danh từ trước.")


class ModuleProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=["locked", "open", "complete"])
    lessons_total = serializers.IntegerField()
    lessons_done = serializers.IntegerField()
    quiz = serializers.IntegerField(allow_null=True)
    quiz_passed = serializers.BooleanField(allow_null=True)


class NextStepSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["lesson", "quiz", "final_exam", "requirement"])
    id = serializers.IntegerField(allow_null=True, help_text="None for a requirement.")
    title = serializers.CharField()


class RequirementSerializer(serializers.Serializer):
    """A completion requirement another app adds (attendance, evaluation)."""

    key = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    done = serializers.BooleanField()


class ProgressSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    enrollment = serializers.IntegerField()
    percent = serializers.IntegerField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    completed_at = serializers.DateTimeField(allow_null=True)
    modules = ModuleProgressSerializer(many=True)
    final_exam = serializers.IntegerField(allow_null=True)
    final_exam_passed = serializers.BooleanField(allow_null=True)
    requirements = RequirementSerializer(many=True)
    next_step = NextStepSerializer(allow_null=True)
