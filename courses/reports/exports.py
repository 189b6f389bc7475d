"""Report exports: requested by a trainer, built by a Celery task, kept for a while.

The file is built with the requester's scope, never more: a trainer of
unit A exporting "unit B" is refused at request time, and whatever the
parameters, only learners in the requester's scope are ever written.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.text import fold
from config.ids import parse_id
from courses.models import Course
from quizzes.models import Quiz

from . import builders
from .gradebook import RowStatus
from .models import Export
from .tables import write_csv, write_xlsx

logger = logging.getLogger(__name__)


def _int(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    pk = parse_id(value)
    if pk is None:
        raise ValidationError({field: _("Giá trị không hợp lệ.")})
    return pk


def _date(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        parsed = parse_date(str(value)) if not isinstance(value, date) else value
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({field: _("Ngày không hợp lệ (định dạng YYYY-MM-DD).")})
    return parsed.isoformat()


def resolve(viewer: User, kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Check an export's parameters against the viewer's scope; return them clean.

    Also used again when the task runs: scope may have changed in between.
    """
    if not viewer.is_trainer:
        raise PermissionDenied(_("Bạn không có quyền xuất báo cáo."))
    params: dict[str, Any] = {}
    course_id = _int(raw.get("course"), "course")
    unit_id = _int(raw.get("unit"), "unit")
    quiz_id = _int(raw.get("quiz"), "quiz")
    if course_id is not None:
        if not Course.objects.visible_to(viewer).filter(pk=course_id).exists():
            raise ValidationError({"course": _("Không tìm thấy khóa học.")})
        params["course"] = course_id
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None or not viewer.can_see_unit(unit):
            raise ValidationError({"unit": _("Không tìm thấy đơn vị trong phạm vi của bạn.")})
        params["unit"] = unit_id
    if kind in (Export.Kind.GRADEBOOK, Export.Kind.ROLLUP) and course_id is None:
        raise ValidationError({"course": _("Hãy chọn khóa học.")})
    if kind == Export.Kind.ROLLUP and unit_id is None:
        raise ValidationError({"unit": _("Hãy chọn đơn vị.")})
    if kind == Export.Kind.STATISTICS:
        if quiz_id is None or not Quiz.objects.visible_to(viewer).filter(pk=quiz_id).exists():
            raise ValidationError({"quiz": _("Không tìm thấy bài kiểm tra.")})
        params["quiz"] = quiz_id
    if kind == Export.Kind.GRADEBOOK:
        status = str(raw.get("status") or "")
        if status and status not in RowStatus.LABELS:
            raise ValidationError({"status": _("Trạng thái không hợp lệ.")})
        if status:
            params["status"] = status
        for name in ("due_from", "due_to"):
            value = _date(raw.get(name), name)
            if value:
                params[name] = value
    return params


def start_export(
    *, actor: User, kind: str, format: str = Export.Format.XLSX, params: dict[str, Any]
) -> Export:
    if kind not in Export.Kind.values:
        raise ValidationError({"kind": _("Loại báo cáo không hợp lệ.")})
    if format not in Export.Format.values:
        raise ValidationError({"format": _("Định dạng không hợp lệ.")})
    clean = resolve(actor, kind, params)
    with transaction.atomic():
        export = Export.objects.create(requested_by=actor, kind=kind, format=format, params=clean)
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(pk: int) -> None:
    from .tasks import build_report_export

    options = {"queue": settings.REPORTS_QUEUE} if settings.REPORTS_QUEUE else {}
    try:
        build_report_export.apply_async(args=[pk], retry=False, **options)
    except Exception:
        logger.exception("could not enqueue report export %s", pk)
        Export.objects.filter(pk=pk, status=Export.Status.PENDING).update(
            status=Export.Status.FAILED, error=_("Không gửi được yêu cầu tới máy chủ xử lý.")
        )


def _progress(pk: int):  # type: ignore[no-untyped-def]
    def report(done: int, total: int) -> None:
        Export.objects.filter(pk=pk).update(done=done, total=total)

    return report


def build_export(*, export_id: int, now: datetime | None = None) -> Export:
    """Write the file (idempotent: a finished export is left alone)."""
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    if export.finished:
        return export
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, done=0)
    try:
        viewer = export.requested_by
        params = resolve(viewer, export.kind, export.params)
        table, stem = builders.table_for(viewer, export.kind, params, _progress(export.pk))
        writer = write_xlsx if export.format == Export.Format.XLSX else write_csv
        with tempfile.TemporaryFile() as handle:
            writer(table, handle)
            handle.seek(0)
            export.file.save(f"report.{export.format}", File(handle), save=False)
        stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M")
        name = f"{slugify(fold(stem))[:60] or export.kind}-{stamp}.{export.format}"
        Export.objects.filter(pk=export.pk).update(
            file=export.file.name,
            filename=name,
            status=Export.Status.DONE,
            finished_at=timezone.now(),
        )
    except (ValidationError, PermissionDenied) as exc:
        message = "; ".join(getattr(exc, "messages", [str(exc)]))
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED, error=message[:500], finished_at=timezone.now()
        )
    except Exception:
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED,
            error=_("Không tạo được tệp. Vui lòng thử lại."),
            finished_at=timezone.now(),
        )
        raise
    export.refresh_from_db()
    return export


def purge_expired(*, now: datetime | None = None) -> int:
    """Delete export files (and their rows) past their expiry time."""
    now = now or timezone.now()
    count = 0
    for export in Export.objects.filter(expires_at__lte=now):
        if export.file:
            try:
                export.file.delete(save=False)
            except OSError:
                logger.warning("could not delete report file %s", export.file.name)
        export.delete()
        count += 1
    return count
