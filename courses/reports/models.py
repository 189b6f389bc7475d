"""Report files built in the background (gradebook, roll-up, item analysis, register).

A file holds personal data: it lives in private storage, only its requester
may download it, and it is deleted once `expires_at` has passed.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import private_storage


def _export_path(instance: Export, filename: str) -> str:
    return f"reports/{uuid.uuid4().hex}.{instance.format}"


def _default_expiry() -> Any:
    return timezone.now() + timedelta(hours=settings.REPORT_EXPORT_TTL_HOURS)


class Export(models.Model):
    class Kind(models.TextChoices):
        GRADEBOOK = "gradebook", _("Bảng điểm")
        ROLLUP = "rollup", _("Tổng hợp theo đơn vị")
        STATISTICS = "statistics", _("Phân tích câu hỏi")
        CERTIFICATES = "certificates", _("Sổ cấp chứng nhận")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (XLSX)")
        CSV = "csv", _("CSV (UTF-8)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Lỗi")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports"
    )
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=Kind.choices)
    format = models.CharField(
        _("định dạng"), max_length=10, choices=Format.choices, default=Format.XLSX
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(
        storage=private_storage, upload_to=_export_path, blank=True, max_length=255
    )
    filename = models.CharField(max_length=255, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=_default_expiry, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tệp báo cáo")
        verbose_name_plural = _("tệp báo cáo")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("frontend:report-export", args=[self.pk])

    def download_url(self) -> str:
        return reverse("frontend:report-export-download", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(self.done * 100 / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def is_available(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.DONE and bool(self.file) and self.expires_at > now
