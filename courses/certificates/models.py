"""The certificate register.

A certificate is issued against one `courses.Completion`; the database
holds at most one *valid* certificate per completion (partial unique
constraint), which is what makes issuing idempotent under redelivery.
Learner name, course title, issuing unit and score are copied at issue
time: the register says what was certified then, whatever changes later.
"""

from __future__ import annotations

import calendar
import datetime
import re
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.text import fold, nfc

from . import codes
from .storage import certificate_storage

if TYPE_CHECKING:
    from accounts.models import User


def _image_path(instance: CertificateSettings, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"certificates/settings/{uuid.uuid4().hex}.{ext}"


def _pdf_path(instance: Certificate, filename: str) -> str:
    return f"certificates/{instance.issued_at:%Y}/{uuid.uuid4().hex}.pdf"


def _export_path(instance: CertificateExport, filename: str) -> str:
    return f"certificates/exports/{uuid.uuid4().hex}.zip"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months, clamped to the month's last day (31/01 + 1 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class CertificateSettings(models.Model):
    """How one course's certificate looks and what a failing regrade does."""

    class OnFailedRegrade(models.TextChoices):
        FLAG = "flag", _("Đánh dấu để quản trị xem xét")
        REVOKE = "revoke", _("Tự động thu hồi")

    course = models.OneToOneField(
        "courses.Course", on_delete=models.CASCADE, related_name="certificate_settings"
    )
    title = models.CharField(
        _("tiêu đề giấy chứng nhận"),
        max_length=120,
        blank=True,
        help_text=_("Để trống: GIẤY CHỨNG NHẬN."),
    )
    place = models.CharField(
        _("địa danh"), max_length=100, blank=True, help_text=_("Để trống: theo đơn vị cấp.")
    )
    signatory_title = models.CharField(
        _("chức vụ người ký"), max_length=200, blank=True, help_text=_("Ví dụ: T/M BAN THƯỜNG VỤ")
    )
    signatory_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    signature = models.ImageField(
        _("chữ ký"), storage=certificate_storage, upload_to=_image_path, blank=True
    )
    seal = models.ImageField(
        _("con dấu"), storage=certificate_storage, upload_to=_image_path, blank=True
    )
    background = models.ImageField(
        _("hình nền"), storage=certificate_storage, upload_to=_image_path, blank=True
    )
    on_failed_regrade = models.CharField(
        _("khi chấm lại dưới mức đạt"),
        max_length=10,
        choices=OnFailedRegrade.choices,
        default=OnFailedRegrade.FLAG,
    )
    reminder_days = models.PositiveSmallIntegerField(_("nhắc trước khi hết hạn (ngày)"), default=30)

    class Meta:
        verbose_name = _("mẫu giấy chứng nhận")
        verbose_name_plural = _("mẫu giấy chứng nhận")

    def __str__(self) -> str:
        return str(self.course)

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name in ("title", "place", "signatory_title", "signatory_name"):
            setattr(self, name, nfc(getattr(self, name)))
        super().save(*args, **kwargs)


def unit_serial_code(code: str) -> str:
    """The issuing unit's code as a serial prints it: 'STC-VP', 'ĐU 1' -> 'DU-1'.

    ASCII letters and digits joined by hyphens, so a serial reads aloud,
    types on any keyboard and names a file; '' when nothing is left.
    """
    return re.sub(r"[^A-Z0-9]+", "-", fold(code).upper()).strip("-")


def format_serial(prefix: str, year: int, number: int) -> str:
    return f"BD-{prefix}-{year}-{number:06d}"


class SerialCounter(models.Model):
    """Last serial number used under a serial prefix in a year (row-locked when used).

    The counter is keyed by the prefix the serial prints (the issuing unit's
    code), not by the unit: two units whose codes print alike, or a code
    handed to a new unit after the old one was renamed, share one counter,
    so no serial is ever handed out twice.
    """

    prefix = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_serial_prefix_year")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}/{self.year}: {self.last_number}"


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CertificateQuerySet:
        """Learners: their own. Trainers and admins: learners in their units."""
        if user.is_superuser:
            return self
        if user.is_staff_role:
            return self.filter(user.scope_q("user__unit__path"))  # type: ignore[arg-type]
        return self.filter(user=user)

    def valid(self, today: datetime.date | None = None) -> CertificateQuerySet:
        today = today or timezone.localdate()
        return self.filter(status=Certificate.Status.VALID).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )

    def expired(self, today: datetime.date | None = None) -> CertificateQuerySet:
        today = today or timezone.localdate()
        return self.filter(status=Certificate.Status.VALID, expires_on__lt=today)

    def with_state(self, state: str, today: datetime.date | None = None) -> CertificateQuerySet:
        if state == "valid":
            return self.valid(today)
        if state == "expired":
            return self.expired(today)
        if state == "review":
            return self.filter(status=Certificate.Status.VALID, needs_review=True)
        if state in Certificate.Status.values:
            return self.filter(status=state)
        return self


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Còn hiệu lực")
        REVOKED = "revoked", _("Đã thu hồi")
        REPLACED = "replaced", _("Đã được cấp lại")

    completion = models.ForeignKey(
        "courses.Completion", on_delete=models.PROTECT, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(
        "courses.Course", on_delete=models.PROTECT, related_name="certificates"
    )
    issuing_unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="issued_certificates"
    )
    serial = models.CharField(_("số hiệu"), max_length=80)
    # Set only where two units had printed the same serial before serials
    # named their unit: the later one got a unique serial, this is what its
    # paper copy shows.
    former_serial = models.CharField(_("số hiệu cũ"), max_length=30, blank=True)
    code = models.CharField(_("mã xác thực"), max_length=codes.LENGTH, unique=True)
    learner_name = models.CharField(_("họ và tên"), max_length=255)
    course_title = models.CharField(_("khóa học"), max_length=255)
    issuing_unit_name = models.CharField(_("đơn vị cấp"), max_length=255)
    score = models.DecimalField(_("điểm (%)"), max_digits=5, decimal_places=2, null=True)
    completed_on = models.DateField(_("ngày hoàn thành"))
    issued_at = models.DateTimeField(_("ngày cấp"), default=timezone.now)
    expires_on = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )
    needs_review = models.BooleanField(_("cần xem xét"), default=False)
    review_note = models.CharField(_("ghi chú xem xét"), max_length=255, blank=True)
    pdf = models.FileField(
        storage=certificate_storage, upload_to=_pdf_path, blank=True, max_length=255
    )
    # The PDF as served once revoked: the same certificate stamped "ĐÃ THU HỒI"
    # with the date. `pdf`, the original, is kept but never served after that.
    revoked_pdf = models.FileField(
        storage=certificate_storage, upload_to=_pdf_path, blank=True, max_length=255
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("giấy chứng nhận")
        verbose_name_plural = _("giấy chứng nhận")
        constraints = [
            models.UniqueConstraint(
                fields=["completion"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_completion",
            ),
            models.UniqueConstraint(fields=["serial"], name="unique_certificate_serial"),
        ]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.serial} · {self.learner_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.learner_name = nfc(self.learner_name)
        self.course_title = nfc(self.course_title)
        self.issuing_unit_name = nfc(self.issuing_unit_name)
        self.revocation_reason = nfc(self.revocation_reason)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("certificate-verify", args=[self.display_code])

    def verify_url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.get_absolute_url()

    @property
    def display_code(self) -> str:
        return codes.display(self.code)

    def state(self, today: datetime.date | None = None) -> str:
        """valid / expired / revoked / replaced, as the verification page shows it."""
        if self.status != self.Status.VALID:
            return str(self.status)
        today = today or timezone.localdate()
        if self.expires_on is not None and self.expires_on < today:
            return "expired"
        return "valid"

    def state_label(self) -> str:
        labels = {
            "valid": _("Còn hiệu lực"),
            "expired": _("Đã hết hạn"),
            "revoked": _("Đã thu hồi"),
            "replaced": _("Đã được cấp lại"),
        }
        return str(labels[self.state()])


class CertificateExport(models.Model):
    """A ZIP of a unit's or course's PDFs, built in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Lỗi")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "courses.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(
        storage=certificate_storage, upload_to=_export_path, blank=True, max_length=255
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tệp ZIP giấy chứng nhận")
        verbose_name_plural = _("tệp ZIP giấy chứng nhận")

    def __str__(self) -> str:
        return f"{self.pk} · {self.status}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
