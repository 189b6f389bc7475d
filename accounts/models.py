from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .text import fold, nfc


def subtree_q(paths: list[str], field: str = "path") -> Q:
    """Q matching rows whose unit path lies under any of `paths`.

    Materialised paths make "everything under unit X" a single indexed
    prefix match, whatever the depth of the tree.
    """
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


class UnitQuerySet(MP_NodeQuerySet):
    def visible_to(self, user: User) -> UnitQuerySet:
        if user.is_superuser:
            return self
        if user.is_staff_role:
            return self.filter(subtree_q(user.granted_paths()))
        if user.unit_id:
            return self.filter(pk=user.unit_id)
        return self.none()


class UnitManager(MP_NodeManager):
    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user: User) -> UnitQuerySet:
        return self.get_queryset().visible_to(user)


class Unit(MP_Node):
    """A party organisation: bloc, grassroots organisation or cell, any depth."""

    class Kind(models.TextChoices):
        BLOC = "bloc", _("Đảng bộ khối")
        GRASSROOTS = "grassroots", _("Đảng bộ cơ sở / Chi bộ cơ sở")
        CELL = "cell", _("Chi bộ")

    name = models.CharField(_("tên đơn vị"), max_length=255)
    code = models.CharField(_("mã đơn vị"), max_length=50, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.CELL)
    place = models.CharField(
        _("địa danh"), max_length=100, blank=True, help_text=_("Dùng cho dòng ngày tháng.")
    )

    node_order_by = ["code"]
    objects = UnitManager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.code = nfc(self.code).upper()
        self.place = nfc(self.place)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("frontend:unit-detail", args=[self.pk])

    def subtree(self) -> UnitQuerySet:
        return Unit.objects.filter(path__startswith=self.path)

    def contains(self, other: Unit | None) -> bool:
        return other is not None and other.path.startswith(self.path)


class UserQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> UserQuerySet:
        """The one answer to "which people may this user see"."""
        if user.is_superuser:
            return self
        if user.is_staff_role:
            return self.filter(subtree_q(user.granted_paths(), "unit__path") | Q(pk=user.pk))
        return self.filter(pk=user.pk)

    def learners(self) -> UserQuerySet:
        return self.filter(role=User.Role.LEARNER, is_active=True)


class AccountManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person: learner, trainer or organisation admin.

    Trainers and admins hold grants on units; a grant covers the unit's
    whole subtree.
    """

    class Role(models.TextChoices):
        LEARNER = "learner", _("Học viên")
        TRAINER = "trainer", _("Báo cáo viên")
        ADMIN = "admin", _("Quản trị đơn vị")

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("họ và tên"), max_length=255)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.LEARNER)
    appointment_date = models.DateField(_("ngày bổ nhiệm"), null=True, blank=True)
    # Name, username and email folded (no accents, đ as d): "nguyen" finds "Nguyễn".
    search_key = models.TextField(blank=True, default="", editable=False)

    objects: ClassVar[AccountManager] = AccountManager()
    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name = nfc(self.full_name)
        self.username = nfc(self.username)
        self.email = nfc(self.email)
        self.phone = nfc(self.phone)
        self.position = nfc(self.position).strip()
        self.search_key = self.folded_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"full_name", "username", "email"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def folded_search_key(self) -> str:
        return " ".join(fold(part) for part in (self.full_name, self.username, self.email))

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username

    @property
    def is_staff_role(self) -> bool:
        """Trainer or organisation admin (not Django's is_staff)."""
        return self.role in (self.Role.TRAINER, self.Role.ADMIN)

    @property
    def is_unit_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_trainer(self) -> bool:
        return self.is_superuser or self.is_staff_role

    def granted_paths(self) -> list[str]:
        """Paths of the units this trainer/admin was granted, cached per request."""
        if not hasattr(self, "_granted_paths"):
            self._granted_paths = list(
                Unit.objects.filter(grants__user=self).values_list("path", flat=True)
            )
        return self._granted_paths

    def scope_q(self, unit_path_field: str) -> Q | None:
        """Q limiting rows (by their unit's path) to this user's scope; None = no limit."""
        if self.is_superuser:
            return None
        if self.is_staff_role:
            return subtree_q(self.granted_paths(), unit_path_field)
        return Q(pk__in=[])

    def can_see_unit(self, unit: Unit | None) -> bool:
        if self.is_superuser:
            return True
        if unit is None:
            return False
        return any(unit.path.startswith(p) for p in self.granted_paths())

    def can_see_user(self, other: User) -> bool:
        return other.pk == self.pk or (
            (self.is_staff_role or self.is_superuser) and (self.can_see_unit(other.unit))
        )


class Grant(models.Model):
    """A trainer's or admin's responsibility for a unit and everything under it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="grants")

    class Meta:
        verbose_name = _("phân quyền đơn vị")
        verbose_name_plural = _("phân quyền đơn vị")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="unique_grant")]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"


class AuditLogQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> AuditLogQuerySet:
        if user.is_superuser:
            return self
        if user.is_unit_admin:
            return self.filter(subtree_q(user.granted_paths(), "unit__path"))
        return self.none()

    # Append-only: no bulk rewrite or purge through the ORM either (PostgreSQL also
    # refuses it with a trigger, see migration 0002).
    def update(self, **kwargs: Any) -> int:
        raise ValidationError(_("Nhật ký chỉ được ghi thêm, không được sửa."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("Nhật ký chỉ được ghi thêm, không được xóa."))


class AuditLog(models.Model):
    """Append-only record of who changed what: grades, revocations, roles, units."""

    class Action(models.TextChoices):
        USER_CREATED = "user_created", _("Tạo người dùng")
        USER_CHANGED = "user_changed", _("Sửa người dùng")
        USER_MOVED = "user_moved", _("Chuyển đơn vị")
        USER_DEACTIVATED = "user_deactivated", _("Khóa tài khoản")
        ROLE_CHANGED = "role_changed", _("Đổi vai trò / phân quyền")
        UNIT_CHANGED = "unit_changed", _("Sửa đơn vị")
        USERS_IMPORTED = "users_imported", _("Nhập người dùng")
        GRADE_CHANGED = "grade_changed", _("Đổi điểm")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Thu hồi giấy chứng nhận")
        CERTIFICATE_REISSUED = "certificate_reissued", _("Cấp lại giấy chứng nhận")
        ATTENDANCE_CHANGED = "attendance_changed", _("Sửa điểm danh")
        SESSION_CHANGED = "session_changed", _("Sửa buổi tập huấn")
        SESSION_CANCELLED = "session_cancelled", _("Hủy buổi tập huấn")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Nhật ký chỉ được ghi thêm, không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("Nhật ký chỉ được ghi thêm, không được xóa."))
