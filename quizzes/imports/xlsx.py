"""The XLSX template: one question per row, for trainers who work in Excel.

Columns (Vietnamese or English headers): Loại, Câu hỏi, Phương án A–F,
Đáp án, Điểm, Nhận xét, Thẻ, Tiêu đề, Danh mục, Bỏ qua dấu.
Đáp án: a letter ("B"), letters ("A, C") or weights ("A:50%, C:50%,
B:-100%"); Đúng/Sai; accepted texts separated by "|" (optionally "(50%)");
a number with tolerance ("27 ± 0,5"). Matching: each option "trái = phải";
ordering: options in the right order.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

from accounts.tables import TableError, read_table
from accounts.text import fold

from ..models.bank import QuestionType
from .base import Parsed, ParseResult, Problem

LETTERS = "ABCDEF"
COLUMNS: dict[str, tuple[str, ...]] = {
    "type": ("Loại", "Loại câu hỏi"),
    "text": ("Câu hỏi", "Nội dung"),
    **{f"option_{c.lower()}": (f"Phương án {c}", f"Option {c}") for c in LETTERS},
    "answer": ("Đáp án",),
    "points": ("Điểm",),
    "feedback": ("Nhận xét",),
    "tags": ("Thẻ",),
    "title": ("Tiêu đề",),
    "category": ("Danh mục",),
    "accents": ("Bỏ qua dấu",),
}
HEADERS = [
    "Loại",
    "Câu hỏi",
    *[f"Phương án {c}" for c in LETTERS],
    "Đáp án",
    "Điểm",
    "Nhận xét",
    "Thẻ",
    "Tiêu đề",
    "Danh mục",
    "Bỏ qua dấu",
]
TYPE_NAMES = {
    QuestionType.SINGLE: ("single", "mot lua chon", "trac nghiem"),
    QuestionType.MULTIPLE: ("multiple", "nhieu lua chon"),
    QuestionType.TRUE_FALSE: ("truefalse", "dung/sai", "dung sai"),
    QuestionType.SHORT: ("short", "tra loi ngan"),
    QuestionType.NUMERIC: ("numeric", "so"),
    QuestionType.MATCHING: ("matching", "ghep doi"),
    QuestionType.ORDERING: ("ordering", "sap xep", "sap xep thu tu"),
    QuestionType.ESSAY: ("essay", "tu luan"),
}
_BY_NAME = {name: t for t, names in TYPE_NAMES.items() for name in names}
_WEIGHTED = re.compile(r"^([A-F])\s*:\s*(-?\d+(?:[.,]\d+)?)\s*%$")
_SHORT = re.compile(r"^(.*?)\s*\((\d+(?:[.,]\d+)?)\s*%\)$")


class RowError(ValueError):
    pass


def _choice_data(options: list[tuple[str, str]], answer: str, multiple: bool) -> dict[str, Any]:
    letters = [o[0] for o in options]
    weights: dict[str, float] = {}
    parts = [p.strip().upper() for p in re.split(r"[,;]", answer) if p.strip()]
    if any("%" in p for p in parts):
        for part in parts:
            m = _WEIGHTED.match(part)
            if not m:
                raise RowError(
                    _("Đáp án có trọng số phải có dạng “%(example)s”.") % {"example": "A:50%"}
                )
            weights[m.group(1)] = float(m.group(2).replace(",", ".")) / 100
    else:
        if not parts or (not multiple and len(parts) != 1):
            raise RowError(_("Câu một lựa chọn cần đúng một chữ cái đáp án."))
        for part in parts:
            weights[part] = 1 / len(parts)
        if multiple:
            wrong = [x for x in letters if x not in weights]
            for x in wrong:
                weights[x] = -1 / len(parts)
    unknown = set(weights) - set(letters)
    if unknown:
        raise RowError(
            _("Đáp án “%(a)s” không có trong các phương án.") % {"a": ", ".join(sorted(unknown))}
        )
    return {
        "choices": [
            {"id": x.lower(), "text": t, "fraction": round(weights.get(x, 0), 6)}
            for x, t in options
        ]
    }


def _row(values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    qtype = _BY_NAME.get(fold(str(values.get("type", ""))))
    if qtype is None:
        raise RowError(_("Loại câu hỏi không xác định: “%(t)s”.") % {"t": values.get("type", "")})
    options = [(c, str(values.get(f"option_{c.lower()}", "")).strip()) for c in LETTERS]
    options = [o for o in options if o[1]]
    answer = str(values.get("answer", "")).strip()
    data: dict[str, Any] = {"feedback": str(values.get("feedback", ""))}
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        data.update(_choice_data(options, answer, qtype == QuestionType.MULTIPLE))
    elif qtype == QuestionType.TRUE_FALSE:
        value = fold(answer)
        if value not in ("dung", "sai", "true", "false"):
            raise RowError(_("Đáp án câu Đúng/Sai phải là “Đúng” hoặc “Sai”."))
        data["answer"] = value in ("dung", "true")
    elif qtype == QuestionType.SHORT:
        answers = []
        for part in (p.strip() for p in answer.split("|")):
            if not part:
                continue
            m = _SHORT.match(part)
            text, fraction = (
                (m.group(1), float(m.group(2).replace(",", ".")) / 100) if m else (part, 1.0)
            )
            answers.append({"text": text, "fraction": fraction})
        data["answers"] = answers
        data["accent_insensitive"] = fold(str(values.get("accents", ""))) in ("x", "co", "yes", "1")
    elif qtype == QuestionType.NUMERIC:
        value, _sep, tol = answer.replace("±", ":").partition(":")
        try:
            data["answers"] = [
                {
                    "value": float(value.strip().replace(",", ".")),
                    "tolerance": float(tol.strip().replace(",", ".") or 0),
                }
            ]
        except ValueError as exc:
            raise RowError(_("Đáp án số không hợp lệ: “%(a)s”.") % {"a": answer}) from exc
    elif qtype == QuestionType.MATCHING:
        rights: list[dict[str, str]] = []
        pairs: list[dict[str, str]] = []
        for _c, text in options:
            if "=" not in text:
                raise RowError(_("Câu ghép đôi: mỗi phương án cần dạng “trái = phải”."))
            left, right = (p.strip() for p in text.split("=", 1))
            match = next((r for r in rights if r["text"] == right), None)
            if match is None:
                match = {"id": f"r{len(rights) + 1}", "text": right}
                rights.append(match)
            pairs.append({"id": f"m{len(pairs) + 1}", "left": left, "right_id": match["id"]})
        data["rights"], data["pairs"] = rights, pairs
    elif qtype == QuestionType.ORDERING:
        data["items"] = [{"id": f"o{n}", "text": t} for n, (_c, t) in enumerate(options, 1)]
    else:
        data["rubric"] = answer
    return qtype, data


def parse_xlsx(upload: IO[bytes]) -> ParseResult:
    result = ParseResult()
    try:
        table = read_table(upload, COLUMNS, required={"type", "text"})
    except TableError as exc:
        result.problems.append(Problem(0, str(exc)))
        return result
    result.problems += [Problem(p.line, p.message) for p in table.problems]
    for line, values in table.rows:
        try:
            qtype, data = _row(values)
            points = Decimal(str(values.get("points") or 1).replace(",", "."))
        except RowError as exc:
            result.problems.append(Problem(line, str(exc)))
            continue
        except InvalidOperation:
            result.problems.append(Problem(line, _("Điểm không hợp lệ.")))
            continue
        tags = [t.strip() for t in str(values.get("tags", "")).split(",") if t.strip()]
        result.questions.append(
            Parsed(
                line=line,
                type=qtype,
                text=str(values.get("text", "")),
                data=data,
                points=points,
                title=str(values.get("title", "")),
                category=str(values.get("category", "")).strip("/ "),
                tags=tags,
            )
        )
    return result
