"""The register for admins: filtering, XLSX export, ZIP of PDFs built in the background."""

from __future__ import annotations

import io
import logging
import tempfile
import zipfile
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.tables import excel_value, keep_as_text, set_date_format
from accounts.text import fold
from courses.models import Course

from .models import Certificate, CertificateExport
from .services import served_pdf

logger = logging.getLogger(__name__)

STATES = ("valid", "expired", "revoked", "replaced", "review")


def register_for(user: User) -> Any:
    """The certificates an admin or trainer may list (learners: their own)."""
    return Certificate.objects.visible_to(user).select_related("user__unit", "course")


def filter_register(
    queryset: Any,
    *,
    unit: Unit | None = None,
    course: Course | None = None,
    state: str = "",
    query: str = "",
    year: int | None = None,
) -> Any:
    if unit is not None:
        queryset = queryset.filter(user__unit__path__startswith=unit.path)
    if course is not None:
        queryset = queryset.filter(course=course)
    if state in STATES:
        queryset = queryset.with_state(state)
    if year:
        queryset = queryset.filter(issued_at__year=year)
    query = (query or "").strip()
    if query:
        folded = fold(query)
        queryset = queryset.filter(
            Q(learner_name__icontains=query)
            | Q(serial__icontains=query)
            | Q(former_serial__icontains=query)
            | Q(code__icontains=query.replace("-", "").upper())
            | Q(user__username__icontains=folded)
        )
    return queryset


def _cells(sheet: Any, values: list[Any]) -> list[Any]:
    """Text stays text: a name such as "=HYPERLINK(...)" must not become a formula."""
    from openpyxl.cell import WriteOnlyCell

    cells = [WriteOnlyCell(sheet, value=excel_value(value)) for value in values]
    keep_as_text(cells)
    for cell in cells:
        set_date_format(cell)
    return cells


def register_xlsx(queryset: Any) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Sổ cấp chứng nhận"))
    sheet.append(
        [
            _("Số hiệu"),
            _("Mã xác thực"),
            _("Họ và tên"),
            _("Tên đăng nhập"),
            _("Đơn vị"),
            _("Khóa học"),
            _("Điểm (%)"),
            _("Ngày hoàn thành"),
            _("Ngày cấp"),
            _("Hiệu lực đến"),
            _("Đơn vị cấp"),
            _("Trạng thái"),
            _("Ngày thu hồi"),
            _("Lý do thu hồi"),
        ]
    )
    for c in queryset.iterator(chunk_size=500):
        sheet.append(
            _cells(
                sheet,
                [
                    c.serial,
                    c.display_code,
                    c.learner_name,
                    c.user.username,
                    c.user.unit.name if c.user.unit else "",
                    c.course_title,
                    float(c.score) if c.score is not None else None,
                    c.completed_on,
                    timezone.localdate(c.issued_at),
                    c.expires_on,
                    c.issuing_unit_name,
                    c.state_label(),
                    timezone.localdate(c.revoked_at) if c.revoked_at else None,
                    c.revocation_reason,
                ],
            )
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def start_export(
    *, actor: User, unit: Unit | None = None, course: Course | None = None
) -> CertificateExport:
    """Queue a ZIP of the PDFs of a unit (its subtree) or a course, within the actor's scope."""
    if not actor.is_unit_admin:
        raise PermissionDenied(_("Chỉ quản trị đơn vị được tải giấy chứng nhận hàng loạt."))
    if unit is not None and not actor.can_see_unit(unit):
        raise PermissionDenied(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."))
    with transaction.atomic():
        export = CertificateExport.objects.create(requested_by=actor, unit=unit, course=course)
    from .tasks import build_export as task

    try:
        task.apply_async(args=[export.pk], retry=False)
    except Exception:
        logger.exception("could not enqueue certificate export %s", export.pk)
        CertificateExport.objects.filter(pk=export.pk).update(
            status=CertificateExport.Status.FAILED
        )
        export.refresh_from_db()
    return export


def revoked_since_built(export: CertificateExport) -> bool:
    """Was a certificate the ZIP may hold revoked after it was built?

    Its copy in the ZIP is then the unstamped original, so the ZIP must not
    be handed out any more: the admin builds a fresh one.
    """
    return (
        filter_register(register_for(export.requested_by), unit=export.unit, course=export.course)
        .filter(status=Certificate.Status.REVOKED, revoked_at__gte=export.created_at)
        .exists()
    )


def _archive_name(c: Certificate) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in fold(c.learner_name)).strip("_")
    return f"{c.serial}_{safe or c.user_id}.pdf"


def build_export(*, export_id: int) -> CertificateExport:
    export = CertificateExport.objects.select_related("requested_by", "unit", "course").get(
        pk=export_id
    )
    if export.status == CertificateExport.Status.DONE:
        return export
    certificates = filter_register(
        register_for(export.requested_by).filter(status=Certificate.Status.VALID),
        unit=export.unit,
        course=export.course,
    ).order_by("serial", "pk")
    items = list(certificates)
    CertificateExport.objects.filter(pk=export.pk).update(
        status=CertificateExport.Status.RUNNING, total=len(items), done=0
    )
    try:
        with tempfile.TemporaryFile() as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                for index, certificate in enumerate(items, start=1):
                    # Read afresh: one revoked since the list was taken goes in stamped.
                    with served_pdf(certificate).open("rb") as pdf:
                        archive.writestr(_archive_name(certificate), pdf.read())
                    if index % 5 == 0 or index == len(items):
                        CertificateExport.objects.filter(pk=export.pk).update(done=index)
            handle.seek(0)
            export.file.save("export.zip", File(handle), save=False)
        CertificateExport.objects.filter(pk=export.pk).update(
            file=export.file.name,
            status=CertificateExport.Status.DONE,
            done=len(items),
            finished_at=timezone.now(),
        )
    except Exception:
        CertificateExport.objects.filter(pk=export.pk).update(
            status=CertificateExport.Status.FAILED, finished_at=timezone.now()
        )
        raise
    export.refresh_from_db()
    return export
