"""The attendance sheet of a session (Danh sách học viên tham dự), as the
office prints it for signatures: XLSX and PDF in the same layout.

Listed: everyone registered for the session, and anyone with an attendance
record (a walk-in checked in by the trainer), ordered by unit then name.
Columns STT, Họ và tên, Chức vụ, Đơn vị, Ký tên (blank, for the signature),
then a totals line.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.tables import excel_value, keep_as_text
from accounts.text import nfc, vi_order
from courses.reports.tables import date_line

if TYPE_CHECKING:
    from .models import TrainingSession


@dataclass
class SheetRow:
    number: int
    name: str
    position: str
    unit: str
    status: str  # attendance status, "" when none recorded


@dataclass
class Sheet:
    session: TrainingSession
    authority: str  # the issuing unit's parent (left of the header)
    unit_name: str  # the unit organising the course
    place: str
    day: date
    rows: list[SheetRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def present(self) -> int:
        return sum(1 for r in self.rows if r.status in ("present", "late"))

    @property
    def absent(self) -> int:
        return sum(1 for r in self.rows if r.status in ("absent", "excused"))

    @property
    def has_attendance(self) -> bool:
        return any(r.status for r in self.rows)

    def totals_line(self) -> str:
        text = _("Tổng số: %(n)s học viên") % {"n": self.total}
        if self.has_attendance:
            text += "; " + _("có mặt: %(present)s; vắng: %(absent)s") % {
                "present": self.present,
                "absent": self.absent,
            }
        return text

    def time_line(self) -> str:
        start = timezone.localtime(self.session.starts_at)
        end = timezone.localtime(self.session.ends_at)
        return f"{start:%H:%M} – {end:%H:%M}"


def build_sheet(session: TrainingSession, scope: Q | None = None) -> Sheet:
    """Three queries: the session's course units, the statuses, the people.
    `scope`: only these people (a trainer of a merely invited unit prints their
    own learners; see rollcall.viewer_scope); None: everyone."""
    from .models import Registration

    statuses = dict(session.attendances.values_list("user_id", "status"))
    people = User.objects.filter(
        Q(
            session_registrations__session=session,
            session_registrations__status=Registration.Status.REGISTERED,
        )
        | Q(pk__in=list(statuses))
    )
    if scope is not None:
        people = people.filter(scope)
    people = (
        people.distinct().select_related("unit").order_by("unit__path", vi_order("full_name"), "pk")
    )
    rows = [
        SheetRow(
            number=n,
            name=nfc(u.full_name or u.username),
            position=nfc(getattr(u, "position", "") or ""),
            unit=u.unit.name if u.unit else "",
            status=statuses.get(u.pk, ""),
        )
        for n, u in enumerate(people, start=1)
    ]
    owner = session.course.owner_unit if session.course.owner_unit_id else None
    parent = Unit.objects.get_parent(owner) if owner is not None and owner.depth > 1 else None
    root = Unit.objects.get_root(owner) if owner is not None and owner.depth > 1 else owner
    return Sheet(
        session=session,
        authority=(parent.name if parent else "") if owner else "",
        unit_name=owner.name if owner else "",
        place=(owner.place or (root.place if root else "")) if owner else "",
        day=timezone.localdate(session.starts_at),
        rows=rows,
    )


def sheet_xlsx(sheet: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    ws = book.active
    ws.title = _("Danh sách tham dự")[:31]
    font = "Times New Roman"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col, width in zip("ABCDE", (6, 30, 24, 36, 20), strict=True):
        ws.column_dimensions[col].width = width
    session = sheet.session

    def put(
        ref: str,
        value: object,
        *,
        bold: bool = False,
        italic: bool = False,
        size: int = 12,
        align: Alignment | None = None,
        merge: str = "",
    ) -> None:
        cell = ws[ref]
        cell.value = excel_value(value)
        cell.font = Font(name=font, size=size, bold=bold, italic=italic)
        if align is not None:
            cell.alignment = align
        keep_as_text([cell])
        if merge:
            ws.merge_cells(f"{ref}:{merge}")

    put("A1", sheet.authority.upper(), align=centre, merge="B1")
    put("C1", _("ĐẢNG CỘNG SẢN VIỆT NAM"), bold=True, align=centre, merge="E1")
    put("A2", sheet.unit_name.upper(), bold=True, align=centre, merge="B2")
    put("C2", date_line(sheet.place, timezone.localdate()), italic=True, align=centre, merge="E2")
    put("A4", _("DANH SÁCH HỌC VIÊN THAM DỰ"), bold=True, size=14, align=centre, merge="E4")
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    lines = [
        (_("Buổi tập huấn:"), session.title),
        (_("Khóa học:"), session.course.title),
        (_("Địa điểm:"), session.venue),
        (_("Ngày:"), sheet.day),
        (_("Thời gian:"), sheet.time_line()),
    ]
    row = 5
    for label, value in lines:
        put(f"B{row}", label, bold=True, align=left)
        put(f"C{row}", value, align=left, merge=f"E{row}")
        if isinstance(value, date):
            ws[f"C{row}"].number_format = "dd/mm/yyyy"
        row += 1
    row += 1
    header_row = row
    for col, title in zip(
        "ABCDE", (_("STT"), _("Họ và tên"), _("Chức vụ"), _("Đơn vị"), _("Ký tên")), strict=True
    ):
        cell = ws[f"{col}{row}"]
        cell.value = title
        cell.font = Font(name=font, size=12, bold=True)
        cell.border = box
        cell.alignment = centre
    for r in sheet.rows:
        row += 1
        ws.row_dimensions[row].height = 26
        for col, value in zip("ABCDE", (r.number, r.name, r.position, r.unit, None), strict=True):
            cell = ws[f"{col}{row}"]
            cell.value = value
            cell.font = Font(name=font, size=12)
            cell.border = box
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            keep_as_text([cell])
    row += 1
    put(f"A{row}", sheet.totals_line(), bold=True, merge=f"E{row}")
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_html(sheet: Sheet) -> str:
    with translation.override("vi"):
        return render_to_string(
            "training/attendance_sheet.html",
            {
                "sheet": sheet,
                "session": sheet.session,
                "date_line": date_line(sheet.place, timezone.localdate()),
            },
        )


def sheet_pdf(sheet: Sheet) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from courses.certificates.pdf import FONTS_DIR

    html = HTML(string=render_html(sheet), base_url=str(FONTS_DIR) + "/")
    return html.write_pdf(font_config=FontConfiguration())
