"""Report tables written as an official-looking XLSX, or CSV with a UTF-8 BOM.

XLSX is the default: Excel opens a BOM-less CSV in the local code page and
garbles Vietnamese. The sheet carries the party header (the issuing unit on
the left, "ĐẢNG CỘNG SẢN VIỆT NAM" on the right), the place and date line,
the title, the unit and the date it was made, then the table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

# A table row: its values, its indent level (roll-up tree) and whether it is bold.
TableRow = tuple[list[Any], int, bool]


@dataclass
class Table:
    title: str
    authority: str  # the unit issuing the report (left of the header)
    unit_name: str
    place: str
    header: list[str]
    rows: Iterable[TableRow]
    subtitle: str = ""
    widths: list[int] = field(default_factory=list)
    sheet_name: str = ""
    extra_sheets: list[Table] = field(default_factory=list)


def date_line(place: str, day: date | None = None) -> str:
    day = day or timezone.localdate()
    text = _("ngày %(day)02d tháng %(month)02d năm %(year)d") % {
        "day": day.day,
        "month": day.month,
        "year": day.year,
    }
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def write_csv(table: Table, out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([table.title])
    if table.subtitle:
        writer.writerow([table.subtitle])
    writer.writerow([_("Đơn vị: %(unit)s") % {"unit": table.unit_name}])
    writer.writerow([date_line(table.place)])
    writer.writerow(table.header)
    for values, level, _bold in table.rows:
        values = list(values)
        if level and len(values) > 1:
            # The tree as indented names, as in the spreadsheet.
            values[1] = "    " * level + str(values[1])
        writer.writerow(["" if v is None else v for v in values])
    text.flush()
    text.detach()


def write_xlsx(table: Table, out: IO[bytes]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    _fill_sheet(sheet, table)
    for extra in table.extra_sheets:
        _fill_sheet(book.create_sheet(), extra)
    book.save(out)


def _fill_sheet(sheet: Any, table: Table) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    sheet.title = (table.sheet_name or table.title)[:31]
    columns = max(len(table.header), 4)
    half = max(2, columns // 2)
    last = get_column_letter(columns)
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def put(cell: str, value: str, font: Font, merge_to: str | None = None) -> None:
        sheet[cell] = value
        sheet[cell].font = font
        sheet[cell].alignment = centre
        if merge_to:
            sheet.merge_cells(f"{cell}:{merge_to}")

    right = get_column_letter(half + 1)
    put("A1", table.authority.upper(), normal, f"{get_column_letter(half)}1")
    put(f"{right}1", _("ĐẢNG CỘNG SẢN VIỆT NAM"), bold, f"{last}1")
    put("A2", table.unit_name.upper(), bold, f"{get_column_letter(half)}2")
    put(
        f"{right}2",
        date_line(table.place),
        Font(name="Times New Roman", italic=True, size=12),
        f"{last}2",
    )
    put("A4", table.title.upper(), Font(name="Times New Roman", bold=True, size=14), f"{last}4")
    row = 5
    if table.subtitle:
        put(f"A{row}", table.subtitle, bold, f"{last}{row}")
        row += 1
    put(
        f"A{row}",
        _("Đơn vị: %(unit)s — Ngày lập: %(date)s")
        % {"unit": table.unit_name, "date": timezone.localdate().strftime("%d/%m/%Y")},
        normal,
        f"{last}{row}",
    )
    header_row = row + 2
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="DDE4EE")
    for col, title in enumerate(table.header, start=1):
        cell = sheet.cell(row=header_row, column=col, value=title)
        cell.font = bold
        cell.alignment = centre
        cell.border = border
        cell.fill = fill
    r = header_row
    for values, level, strong in table.rows:
        r += 1
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=col, value=value)
            cell.border = border
            cell.font = bold if strong else normal
            if col == 2 and level:
                cell.alignment = Alignment(indent=level * 2)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for col, width in enumerate(table.widths or [], start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
