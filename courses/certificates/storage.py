"""Where certificate PDFs, ZIP exports and signature images are kept.

Through Django's storage API, never under MEDIA_URL: they hold personal
data, so only access-checked views stream them. `STORAGES["certificates"]`
selects the backend (for production on S3-compatible storage, e.g.
django-storages' S3 backend with a private bucket); without it, local files
under MEDIA_ROOT/private.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _CertificateStorage(LazyObject):
    def _setup(self) -> None:
        if "certificates" in settings.STORAGES:
            self._wrapped = storages["certificates"]
        else:
            self._wrapped = FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "private")


_storage = _CertificateStorage()


def certificate_storage() -> Storage:
    return _storage  # type: ignore[return-value]


@receiver(setting_changed)
def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting in ("STORAGES", "MEDIA_ROOT"):
        _storage._wrapped = empty  # type: ignore[assignment]
