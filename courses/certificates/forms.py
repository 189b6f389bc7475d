"""The per-course certificate form (title, signatory, images, regrade policy)."""

from __future__ import annotations

from typing import Any

import filetype
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CertificateSettings

MAX_IMAGE_BYTES = 2 * 1024 * 1024


class CertificateSettingsForm(forms.ModelForm):
    class Meta:
        model = CertificateSettings
        fields = [
            "title",
            "place",
            "signatory_title",
            "signatory_name",
            "signature",
            "seal",
            "background",
            "on_failed_regrade",
            "reminder_days",
        ]
        widgets = {"signatory_title": forms.Textarea(attrs={"rows": 2})}

    def _clean_image(self, name: str) -> Any:
        upload = self.cleaned_data.get(name)
        if not upload or not hasattr(upload, "content_type"):
            return upload  # unchanged or cleared
        if upload.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(_("Ảnh quá lớn (tối đa 2 MB)."))
        kind = filetype.guess(upload.read(512))
        upload.seek(0)
        if kind is None or kind.mime not in ("image/png", "image/jpeg"):
            raise forms.ValidationError(_("Chỉ nhận ảnh PNG hoặc JPEG."))
        return upload

    def clean_signature(self) -> Any:
        return self._clean_image("signature")

    def clean_seal(self) -> Any:
        return self._clean_image("seal")

    def clean_background(self) -> Any:
        return self._clean_image("background")
