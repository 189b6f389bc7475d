"""Read an uploaded XLSX or CSV table into rows keyed by known columns.

Shared by every importer (users, enrolments, questions) so they all report
problems the same way: a line number and a reason.
"""

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .text import fold, nfc

MAX_ROWS = 20000


@dataclass
class Problem:
    line: int
    message: str


@dataclass
class Table:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class TableError(Exception):
    """The file as a whole cannot be read (not XLSX/CSV, wrong encoding...)."""


def _is_xlsx(head: bytes) -> bool:
    return head[:4] == b"PK\x03\x04"


def _xlsx_rows(data: bytes) -> Iterable[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(_("Không đọc được tệp XLSX: tệp hỏng hoặc không phải bảng tính.")) from exc
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield list(row)


def _csv_rows(data: bytes) -> Iterable[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            _("Tệp CSV không ở mã UTF-8 (dòng %(line)s). Hãy lưu lại tệp với mã UTF-8.")
            % {"line": data[: exc.start].count(b"\n") + 1}
        ) from exc
    if "\x00" in text:
        raise TableError(_("Tệp không phải XLSX hoặc CSV."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    yield from csv.reader(io.StringIO(text), dialect)


def read_table(upload: IO[bytes], columns: dict[str, tuple[str, ...]], required: set[str]) -> Table:
    """Parse `upload` (XLSX or CSV, told apart by content) into rows.

    `columns` maps each field to its accepted header spellings (compared
    accent- and case-insensitively, so "Họ và tên" and "ho va ten" both
    work). Returns rows as (line number, {field: value}).
    """
    data = upload.read()
    if not data.strip():
        raise TableError(_("Tệp rỗng."))
    rows = iter(_xlsx_rows(data) if _is_xlsx(data) else _csv_rows(data))
    table = Table()
    header = next(rows, None)
    if not header:
        raise TableError(_("Tệp không có dòng tiêu đề."))
    aliases = {fold(alias): name for name, names in columns.items() for alias in (name, *names)}
    mapping: dict[int, str] = {}
    for index, cell in enumerate(header):
        title = fold(str(cell or ""))
        if not title:
            continue
        if title not in aliases:
            table.problems.append(Problem(1, _("Cột không xác định: “%(col)s”.") % {"col": cell}))
        else:
            mapping[index] = aliases[title]
    missing = required - set(mapping.values())
    if missing:
        table.problems.append(
            Problem(1, _("Thiếu cột bắt buộc: %(cols)s.") % {"cols": ", ".join(sorted(missing))})
        )
    if table.problems:
        return table
    for line, raw in enumerate(rows, start=2):
        if line > MAX_ROWS:
            table.problems.append(
                Problem(line, _("Tệp quá lớn: tối đa %(n)s dòng.") % {"n": MAX_ROWS})
            )
            break
        values = {name: _clean(raw[i] if i < len(raw) else None) for i, name in mapping.items()}
        if any(v not in ("", None) for v in values.values()):
            table.rows.append((line, values))
    return table


def _clean(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def parse_date(value: Any) -> date | None:
    """Accept spreadsheet dates, dd/mm/yyyy and yyyy-mm-dd; '' gives None."""
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(str(value), fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def keep_as_text(cells: Iterable[Any]) -> None:
    """Store string cells as text: a name such as '=HYPERLINK(...)' must never be a formula."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def excel_value(value: Any) -> Any:
    """Datetimes as local wall-clock time: a spreadsheet cell has no time zone."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value


def set_date_format(cell: Any) -> None:
    """A real date cell shown as dd/mm/yyyy (with the time for datetimes), so it sorts."""
    if isinstance(cell.value, datetime):
        cell.number_format = "dd/mm/yyyy hh:mm"
    elif isinstance(cell.value, date):
        cell.number_format = "dd/mm/yyyy"


def csv_safe(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def template_workbook(
    *,
    title: str,
    headers: list[str],
    examples: list[list[Any]],
    rules: list[tuple[str, str]],
) -> bytes:
    """An import template: the sheet to fill (headers and example rows that
    import as they are) and a second sheet with the rule of every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in examples:
        sheet.append(row)
        keep_as_text(sheet[sheet.max_row])
    sheet.freeze_panes = "A2"
    for n, header in enumerate(headers, 1):
        sheet.column_dimensions[sheet.cell(1, n).column_letter].width = max(12, len(header) + 4)
    guide = book.create_sheet(_("Quy tắc"))
    guide.append([_("Cột"), _("Cách điền")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column, rule in rules:
        guide.append([column, rule])
        keep_as_text(guide[guide.max_row])
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
