from typing import Any, cast

from django.utils.translation import gettext as _
from rest_framework import serializers

from .models import AuditLog, Unit, User


class UnitSerializer(serializers.ModelSerializer):
    # The serializer metaclass takes declared fields out of the class: no
    # clash with Field.parent.
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Unit.objects.all(), required=False, allow_null=True, write_only=True
    )
    parent_id = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["id", "name", "code", "kind", "place", "depth", "parent", "parent_id"]
        read_only_fields = ["depth"]

    def get_parent_id(self, unit: Unit) -> int | None:
        parent_path = unit.path[: -Unit.steplen]
        parents = cast(dict[str, Any], self.context).setdefault("_parents", {})
        if parent_path and parent_path not in parents:
            parents.update(Unit.objects.filter(path=parent_path).values_list("path", "pk"))
        return parents.get(parent_path)

    def validate_parent(self, parent: Unit | None) -> Unit | None:
        user = self.context["request"].user
        if parent is not None and not user.can_see_unit(parent):
            raise serializers.ValidationError(_("Đơn vị không tồn tại."))
        return parent


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "phone",
            "unit",
            "role",
            "appointment_date",
            "is_active",
            "password",
        ]
        read_only_fields = ["is_active"]

    def validate_unit(self, unit: Unit | None) -> Unit | None:
        user = self.context["request"].user
        if not user.can_see_unit(unit):
            raise serializers.ValidationError(_("Đơn vị không tồn tại."))
        return unit

    def validate_role(self, role: str) -> str:
        actor = self.context["request"].user
        if role == User.Role.ADMIN and not actor.is_unit_admin:
            raise serializers.ValidationError(_("Bạn không có quyền gán vai trò này."))
        return role


class MeSerializer(serializers.ModelSerializer):
    unit = UnitSerializer(read_only=True)
    granted_units = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "phone",
            "unit",
            "role",
            "appointment_date",
            "is_superuser",
            "granted_units",
        ]
        read_only_fields = fields

    def get_granted_units(self, user: User) -> list[dict[str, Any]]:
        return [
            {"id": g.unit_id, "name": g.unit.name, "code": g.unit.code}
            for g in user.grants.select_related("unit")
        ]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class AuditLogSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)
    unit = serializers.CharField(source="unit.name", default=None, read_only=True)
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = AuditLog
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "action_label",
            "unit",
            "target",
            "data",
            "reason",
        ]
        read_only_fields = fields
