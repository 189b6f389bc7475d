from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Certificate, CertificateSettings


@admin.register(CertificateSettings)
class CertificateSettingsAdmin(admin.ModelAdmin):
    list_display = ["course", "title", "signatory_name", "on_failed_regrade"]
    search_fields = ["course__title", "course__code"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: the register changes only through revoke and re-issue (audited)."""

    list_display = ["serial", "learner_name", "course_title", "issued_at", "status"]
    list_filter = ["status", "issuing_unit"]
    search_fields = ["serial", "code", "learner_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
