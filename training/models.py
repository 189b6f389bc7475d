"""In-person training sessions (buổi tập huấn) of a course: invitations by unit
subtree, registration with a waiting list, attendance, and the attendance
rules a course's completion may require.

A separate app beside `courses`: sessions bring their own models, API,
periodic task, calendar feed and check-in flow, and courses must keep
working (and stay importable) without them; courses only consults the
completion requirement registry (courses/requirements.py) this app fills.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import subtree_q
from accounts.text import nfc
from courses.models import private_storage

if TYPE_CHECKING:
    from accounts.models import User


class TrainingSessionQuerySet(models.QuerySet):
    def upcoming(self, now: datetime) -> TrainingSessionQuerySet:
        return self.filter(ends_at__gte=now).exclude(status=TrainingSession.Status.CANCELLED)

    def in_scope_of(self, user: User) -> TrainingSessionQuerySet:
        """Sessions a trainer/admin may see and run check-in for: of courses their
        units own, or inviting a unit in their scope. Changing one takes
        `editable_by`."""
        if user.is_superuser:
            return self
        if not user.is_staff_role:
            return self.none()
        paths = user.granted_paths()
        return self.filter(
            Q(course__in=_courses_owned_under(paths))
            | Q(
                pk__in=TrainingSession.invited_units.through.objects.filter(
                    subtree_q(paths, "unit__path")
                ).values("trainingsession_id")
            )
        )

    def editable_by(self, user: User) -> TrainingSessionQuerySet:
        """Sessions a user may change (edit, postpone, cancel, delete, materials,
        invited units): those of the courses they may author. A unit merely
        invited gives its trainers the check-in and their own learners' roll
        call, never the session itself."""
        from courses.models import Course

        if user.is_superuser:
            return self
        return self.filter(course__in=Course.objects.editable_by(user).values("pk"))

    def invited(self, user: User) -> TrainingSessionQuerySet:
        """Sessions whose invited units contain the user's unit (any ancestor)."""
        if user.unit_id is None:
            return self.none()
        from courses.services import ancestor_paths

        assert user.unit is not None
        return self.filter(
            pk__in=TrainingSession.invited_units.through.objects.filter(
                unit__path__in=ancestor_paths(user.unit)
            ).values("trainingsession_id")
        )


def _courses_owned_under(paths: list[str]) -> Any:
    from courses.models import Course

    return Course.objects.filter(subtree_q(paths, "owner_unit__path")).values("pk")


class TrainingSession(models.Model):
    """A buổi tập huấn of a course, optionally tied to one of its modules."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Đã lên lịch")
        POSTPONED = "postponed", _("Đã hoãn")
        CANCELLED = "cancelled", _("Đã hủy")

    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("khóa học"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    module = models.ForeignKey(
        "courses.Module",
        verbose_name=_("học phần"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    title = models.CharField(_("tên buổi tập huấn"), max_length=255)
    topic = models.TextField(_("chuyên đề"), blank=True)
    speakers = models.CharField(_("báo cáo viên"), max_length=255, blank=True)
    venue = models.CharField(_("địa điểm"), max_length=255)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    capacity = models.PositiveIntegerField(
        _("số chỗ"), null=True, blank=True, help_text=_("Để trống nếu không giới hạn.")
    )
    invited_units = models.ManyToManyField(
        "accounts.Unit", verbose_name=_("đơn vị được mời"), related_name="+"
    )
    checkin_opens_minutes = models.PositiveSmallIntegerField(
        _("mở điểm danh trước (phút)"), default=30
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("buổi tập huấn")
        verbose_name_plural = _("buổi tập huấn")
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title).strip()
        self.topic = nfc(self.topic)
        self.speakers = nfc(self.speakers).strip()
        self.venue = nfc(self.venue).strip()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("frontend:session-detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Giờ kết thúc phải sau giờ bắt đầu.")})
        module = self.module if self.module_id else None
        if module is not None and module.course_id != self.course_id:
            raise ValidationError({"module": _("Học phần không thuộc khóa học này.")})

    def hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))

    def checkin_window(self) -> tuple[datetime, datetime]:
        return self.starts_at - timedelta(minutes=self.checkin_opens_minutes), self.ends_at

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_over(self) -> bool:
        return self.ends_at <= timezone.now()


def _material_path(instance: SessionMaterial, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"training/materials/{uuid.uuid4().hex}.{ext}"


class SessionMaterial(models.Model):
    """A handout (private file, served by an access-checked view) or a link."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(
        _("tệp"), storage=private_storage, upload_to=_material_path, max_length=255, blank=True
    )
    url = models.URLField(_("liên kết"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("tài liệu buổi tập huấn")
        verbose_name_plural = _("tài liệu buổi tập huấn")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title).strip()
        super().save(*args, **kwargs)

    @property
    def safe_url(self) -> str:
        """The link, only if it is a web address (never javascript: or data:)."""
        url = (self.url or "").strip()
        return url if url.lower().startswith(("https://", "http://")) else ""


class Registration(models.Model):
    """A learner's answer to an invitation; the waiting list is ordered by created_at."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Đã đăng ký")
        WAITLISTED = "waitlisted", _("Danh sách chờ")
        DECLINED = "declined", _("Từ chối")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_registrations"
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices)
    decline_reason = models.TextField(_("lý do"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The day-before reminder went out for this start time (a postponement resets it).
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["session", "created_at", "pk"]
        verbose_name = _("đăng ký tham dự")
        verbose_name_plural = _("đăng ký tham dự")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="unique_registration")
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.session}"


class Attendance(models.Model):
    """One record per learner per session; present and late both count as attended."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Có mặt")
        LATE = "late", _("Đến muộn")
        EXCUSED = "excused", _("Vắng có lý do")
        ABSENT = "absent", _("Vắng")

    class Method(models.TextChoices):
        QR = "qr", _("Quét mã QR")
        CODE = "code", _("Mã cá nhân")
        MANUAL = "manual", _("Điểm danh thủ công")

    ATTENDED = (Status.PRESENT, Status.LATE)

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices)
    method = models.CharField(
        _("cách điểm danh"), max_length=20, choices=Method.choices, default=Method.MANUAL
    )
    checked_in_at = models.DateTimeField(_("giờ điểm danh"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="unique_attendance")
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.session} · {self.status}"

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED


class AttendanceRule(models.Model):
    """A course completion requirement: attend ≥ N sessions (of a module), or
    ≥ P % of the scheduled hours (of a module)."""

    class Kind(models.TextChoices):
        SESSIONS = "sessions", _("Số buổi tham dự tối thiểu")
        HOURS_PERCENT = "hours_percent", _("Tỷ lệ giờ tham dự tối thiểu (%)")

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="attendance_rules"
    )
    module = models.ForeignKey(
        "courses.Module",
        verbose_name=_("học phần"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance_rules",
        help_text=_("Để trống: tính mọi buổi tập huấn của khóa học."),
    )
    kind = models.CharField(_("loại yêu cầu"), max_length=20, choices=Kind.choices)
    minimum = models.PositiveSmallIntegerField(_("mức tối thiểu"))

    class Meta:
        ordering = ["course", "pk"]
        verbose_name = _("yêu cầu tham dự")
        verbose_name_plural = _("yêu cầu tham dự")
        constraints = [
            models.CheckConstraint(condition=Q(minimum__gte=1), name="attendance_rule_minimum"),
            models.CheckConstraint(
                condition=~Q(kind="hours_percent") | Q(minimum__lte=100),
                name="attendance_rule_percent_max",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label())

    def label(self) -> str:
        from django.utils.translation import gettext

        where = (
            gettext("của học phần “%(module)s”") % {"module": self.module.title}
            if self.module_id and self.module
            else gettext("của khóa học")
        )
        if self.kind == self.Kind.SESSIONS:
            return gettext("Tham dự ít nhất %(n)s buổi tập huấn %(where)s") % {
                "n": self.minimum,
                "where": where,
            }
        return gettext("Tham dự ít nhất %(n)s%% số giờ tập huấn %(where)s") % {
            "n": self.minimum,
            "where": where,
        }


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A learner's private calendar feed URL: the token is the only credential,
    so it is long, random, and can be replaced (the old URL stops working)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lịch cá nhân")
        verbose_name_plural = _("lịch cá nhân")

    def __str__(self) -> str:
        return f"{self.user}"

    def rotate(self) -> None:
        self.token = _feed_token()
        self.save(update_fields=["token", "created_at"])


# The evaluation surveys live in their own module (owned by the survey work).
from .surveys.models import (  # noqa: E402, F401
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveySubmission,
)
