from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Unit
from courses.models import Course, Module

from .models import Registration, SessionMaterial, TrainingSession


class SessionMaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionMaterial
        fields = ["id", "title", "url", "has_file"]

    url = serializers.CharField(source="safe_url", read_only=True)
    has_file = serializers.SerializerMethodField()

    def get_has_file(self, obj: SessionMaterial) -> bool:
        return bool(obj.file)


class TrainingSessionSerializer(serializers.ModelSerializer):
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    module = serializers.PrimaryKeyRelatedField(
        queryset=Module.objects.all(), required=False, allow_null=True
    )
    invited_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, allow_empty=False
    )
    materials = SessionMaterialSerializer(many=True, read_only=True)
    registered = serializers.IntegerField(read_only=True, default=0)
    waitlisted = serializers.IntegerField(read_only=True, default=0)
    my_registration = serializers.CharField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The caller's own answer: registered, waitlisted, declined or null.",
    )

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "course",
            "module",
            "title",
            "topic",
            "speakers",
            "venue",
            "starts_at",
            "ends_at",
            "capacity",
            "invited_units",
            "checkin_opens_minutes",
            "status",
            "materials",
            "registered",
            "waitlisted",
            "my_registration",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        starts = attrs.get("starts_at", getattr(instance, "starts_at", None))
        ends = attrs.get("ends_at", getattr(instance, "ends_at", None))
        if starts and ends and ends <= starts:
            raise serializers.ValidationError({"ends_at": _("Giờ kết thúc phải sau giờ bắt đầu.")})
        if instance is not None and "course" in attrs and attrs["course"] != instance.course:
            raise serializers.ValidationError(
                {"course": _("Không đổi được khóa học của buổi tập huấn.")}
            )
        return attrs


class RegisterRequestSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(
        choices=[("register", "register"), ("decline", "decline")], default="register"
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RegistrationSerializer(serializers.ModelSerializer):
    waitlist_position = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["session", "status", "decline_reason", "waitlist_position", "updated_at"]
        read_only_fields = fields

    def get_waitlist_position(self, obj: Registration) -> int | None:
        if obj.status != Registration.Status.WAITLISTED:
            return None
        return (
            Registration.objects.filter(
                session_id=obj.session_id,
                status=Registration.Status.WAITLISTED,
                created_at__lt=obj.created_at,
            ).count()
            + 1
        )


class CancelRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
