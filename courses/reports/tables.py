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
from datetime import date, datetime
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.tables import csv_safe, excel_value, keep_as_text, set_date_format

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


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return csv_safe(value)


def write_csv(table: Table, out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    lines: list[list[Any]] = [[table.title]]
    if table.subtitle:
        lines.append([table.subtitle])
    lines.append([_("Đơn vị: %(unit)s") % {"unit": table.unit_name}])
    lines.append([date_line(table.place)])
    lines.append(list(table.header))
    for values, level, _bold in table.rows:
        values = list(values)
        if level and len(values) > 1:
            # The tree as indented names, as in the spreadsheet.
            values[1] = "    " * level + str(values[1])
        lines.append(values)
    # Every cell, titles included: a course named "=1+1" must not become a formula.
    writer.writerows([_csv_cell(v) for v in line] for line in lines)
    text.flush()
    text.detach()


def write_xlsx(table: Table, out: IO[bytes]) -> None:
    """Stream the sheet (write-only mode): 5,000 styled rows in seconds, not minutes.

    Titles are centred across the columns ("centre across selection")
    rather than merged, which write-only sheets cannot do and which keeps
    the file friendly to sorting and filtering.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet_table in [table, *table.extra_sheets]:
        _fill_sheet(book, book.create_sheet(), sheet_table)
    book.save(out)


class _Styles:
    """One prototype cell per style; cells copy its style array (cheap)
    instead of assigning font, border and alignment one by one (slow)."""

    def __init__(self, sheet: Any) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.sheet = sheet
        self.make = WriteOnlyCell
        thin = Side(style="thin")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        centre = Alignment(horizontal="centerContinuous", vertical="center")
        self.protos: dict[str, Any] = {}

        def proto(name: str, **style: Any) -> None:
            cell = WriteOnlyCell(sheet)
            for key, value in style.items():
                setattr(cell, key, value)
            self.protos[name] = cell

        font = {"name": "Times New Roman", "size": 12}
        proto("title", font=Font(**font, bold=True), alignment=centre)
        proto("big", font=Font(name="Times New Roman", size=14, bold=True), alignment=centre)
        proto("line", font=Font(**font), alignment=centre)
        proto("italic", font=Font(**font, italic=True), alignment=centre)
        proto(
            "header",
            font=Font(**font, bold=True),
            border=box,
            fill=PatternFill("solid", fgColor="DDE4EE"),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        proto("cell", font=Font(**font), border=box)
        proto("bold", font=Font(**font, bold=True), border=box)
        for level in range(1, 9):
            proto(
                f"cell{level}", font=Font(**font), border=box, alignment=Alignment(indent=2 * level)
            )
            proto(
                f"bold{level}",
                font=Font(**font, bold=True),
                border=box,
                alignment=Alignment(indent=2 * level),
            )

    def cell(self, value: Any, style: str) -> Any:
        from copy import copy

        cell = self.make(self.sheet, value=excel_value(value))
        cell._style = copy(self.protos[style]._style)
        keep_as_text([cell])
        set_date_format(cell)
        return cell


def _fill_sheet(book: Any, sheet: Any, table: Table) -> None:
    from openpyxl.utils import get_column_letter

    sheet.title = (table.sheet_name or table.title)[:31]
    columns = max(len(table.header), 4)
    half = max(2, columns // 2)
    for col, width in enumerate(table.widths or [], start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    header_row = 7 if table.subtitle else 6
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    st = _Styles(sheet)

    def spread(left: tuple[str, str], right: tuple[str, str] | None = None) -> list[Any]:
        """A title line centred across the columns (or two halves of them)."""
        if right is None:
            return [st.cell(left[0], left[1])] + [
                st.cell(None, left[1]) for _ in range(columns - 1)
            ]
        return (
            [st.cell(left[0], left[1])]
            + [st.cell(None, left[1]) for _ in range(half - 1)]
            + [st.cell(right[0], right[1])]
            + [st.cell(None, right[1]) for _ in range(columns - half - 1)]
        )

    # The party document header: issuing unit | ĐẢNG CỘNG SẢN VIỆT NAM,
    # the unit | place and date; then the title, the subject and the unit.
    sheet.append(spread((table.authority.upper(), "line"), (_("ĐẢNG CỘNG SẢN VIỆT NAM"), "title")))
    sheet.append(spread((table.unit_name.upper(), "title"), (date_line(table.place), "italic")))
    sheet.append([])
    sheet.append(spread((table.title.upper(), "big")))
    if table.subtitle:
        sheet.append(spread((table.subtitle, "title")))
    sheet.append(
        spread(
            (
                _("Đơn vị: %(unit)s — Ngày lập: %(date)s")
                % {"unit": table.unit_name, "date": timezone.localdate().strftime("%d/%m/%Y")},
                "line",
            )
        )
    )
    sheet.append([st.cell(title, "header") for title in table.header])
    for values, level, strong in table.rows:
        base = "bold" if strong else "cell"
        indented = f"{base}{min(level, 8)}" if level else base
        sheet.append(
            [st.cell(value, indented if col == 1 else base) for col, value in enumerate(values)]
        )
