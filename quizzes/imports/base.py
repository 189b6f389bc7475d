"""What every importer produces: parsed questions and per-line problems."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

MAX_BYTES = 5 * 1024 * 1024


@dataclass
class Parsed:
    line: int
    type: str
    text: str
    data: dict[str, Any]
    points: Decimal = Decimal(1)
    title: str = ""
    category: str = ""  # sub-path below the import's category ("" = the category itself)
    tags: list[str] = field(default_factory=list)
    # Files embedded in the source (Moodle XML <file encoding="base64">): name -> bytes.
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Problem:
    line: int
    message: str


@dataclass
class Skipped:
    """A question the file holds that we cannot import (e.g. Moodle's cloze):
    listed in the preview, left out only if the trainer agrees."""

    line: int
    type: str
    title: str = ""


@dataclass
class ParseResult:
    questions: list[Parsed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# Moodle's grade options for answers (question_bank::fraction_options_full),
# as exact fractions: a file's "33.33333" means one third, as Moodle reads it.
_GRADES = [n / d for d in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20) for n in range(0, d + 1)]


def snap_fraction(value: float) -> float:
    """A file's answer grade, snapped as Moodle does to its grade options
    (within 0.00001); other values are kept as written."""
    for grade in _GRADES:
        for candidate in (grade, -grade):
            if abs(value - candidate) < 0.00001:
                return candidate
    return value


_BREAKS = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|tr)>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """HTML as a reader sees it, in plain text (our questions are plain text):
    line breaks kept, tags dropped, entities decoded."""
    text = html.unescape(strip_tags(_BREAKS.sub("\n", value)))
    lines = [" ".join(line.split()) for line in text.replace("\xa0", " ").splitlines()]
    return "\n".join(line for line in lines if line).strip()


def read_text(upload: IO[bytes]) -> tuple[str | None, list[Problem]]:
    """Decode a text upload as UTF-8, reporting the first bad line otherwise."""
    data = upload.read(MAX_BYTES + 1)
    if isinstance(data, str):
        return data, []
    if len(data) > MAX_BYTES:
        return None, [Problem(0, _("Tệp quá lớn (tối đa 5 MB)."))]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                line,
                _("Tệp không ở mã UTF-8 (dòng %(line)s). Hãy lưu lại với mã UTF-8.")
                % {"line": line},
            )
        ]


# The types we cannot import, for the preview: what they are in Vietnamese,
# then the name Moodle gives them (what the trainer sees in Moodle).
UNSUPPORTED_NAMES = {
    "cloze": (_lazy("Câu điền nhiều chỗ trống"), "Cloze (multianswer)"),
    "multianswer": (_lazy("Câu điền nhiều chỗ trống"), "Cloze (multianswer)"),
    "calculated": (_lazy("Câu tính toán"), "Calculated"),
    "calculatedsimple": (_lazy("Câu tính toán"), "Calculated simple"),
    "calculatedmulti": (_lazy("Câu tính toán nhiều lựa chọn"), "Calculated multichoice"),
    "ddwtos": (_lazy("Kéo thả vào đoạn văn"), "Drag and drop into text"),
    "ddimageortext": (_lazy("Kéo thả lên hình"), "Drag and drop onto image"),
    "ddmarker": (_lazy("Kéo thả điểm đánh dấu"), "Drag and drop markers"),
    "gapselect": (_lazy("Chọn từ còn thiếu"), "Select missing words"),
    "randomsamatch": (
        _lazy("Ghép đôi ngẫu nhiên từ câu trả lời ngắn"),
        "Random short-answer matching",
    ),
    "description": (_lazy("Đoạn mô tả, không phải câu hỏi"), "Description"),
}


def unsupported_name(qtype: str) -> str:
    vi, moodle = UNSUPPORTED_NAMES.get(qtype, (_lazy("Loại chưa hỗ trợ"), qtype))
    return f"{vi} ({moodle})"
