"""Uploaded files kept server-side between a preview and its import.

The preview page gets a signed token naming the stored file, the user it
was uploaded by and the import's settings; importing from the preview
needs only the token, not the file again. The file lives in private
storage (never under MEDIA_URL), the token expires, and it is refused for
any user but the uploader. Files of expired tokens are purged whenever a
new one is staged.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from accounts.models import User

SALT = "accounts.staging"


def max_age() -> int:
    return int(getattr(settings, "IMPORT_STAGING_SECONDS", 3600))


class StagingExpired(Exception):
    """The token is unknown, expired, altered, for another user or another kind."""


def storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.MEDIA_ROOT / "private", base_url=None)


def _purge(kind: str) -> None:
    store, folder = storage(), f"imports/{kind}"
    try:
        _dirs, files = store.listdir(folder)
    except FileNotFoundError:
        return
    limit = time.time() - max_age()
    for name in files:
        path = f"{folder}/{name}"
        try:
            if store.get_modified_time(path).timestamp() < limit:
                store.delete(path)
        except FileNotFoundError:
            continue


def stage(*, user: User, kind: str, data: bytes, meta: dict[str, Any] | None = None) -> str:
    """Keep `data` for `user` and return the token that gives it back."""
    _purge(kind)
    name = storage().save(f"imports/{kind}/{uuid.uuid4().hex}.bin", ContentFile(data))
    return signing.dumps({"n": name, "u": user.pk, "k": kind, "m": meta or {}}, salt=SALT)


def _payload(token: str, *, user: User, kind: str) -> dict[str, Any]:
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.BadSignature as exc:  # also SignatureExpired
        raise StagingExpired from exc
    if not isinstance(payload, dict) or payload.get("u") != user.pk or payload.get("k") != kind:
        raise StagingExpired
    if not storage().exists(payload["n"]):
        raise StagingExpired
    return payload


def load(token: str, *, user: User, kind: str) -> tuple[bytes, dict[str, Any]]:
    """The staged bytes and settings, or StagingExpired."""
    payload = _payload(token, user=user, kind=kind)
    with storage().open(payload["n"]) as f:
        return f.read(), payload["m"]


def discard(token: str, *, user: User, kind: str) -> None:
    try:
        payload = _payload(token, user=user, kind=kind)
    except StagingExpired:
        return
    storage().delete(payload["n"])
