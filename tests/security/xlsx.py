"""Read the text of an XLSX file (or of the XLSX files inside a ZIP)."""

import io
import zipfile

from openpyxl import load_workbook


def xlsx_cells(content: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(content))
    return [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]


def xlsx_text(content: bytes) -> str:
    try:
        return " ".join(str(v) for v in xlsx_cells(content) if v is not None)
    except (zipfile.BadZipFile, KeyError, OSError):
        return ""
