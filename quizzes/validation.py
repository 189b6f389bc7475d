"""Checking a question's content before it enters the bank.

Used by the editor, the API and every importer so a question is either
complete and gradable or refused with a reason.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.text import nfc

from .models.bank import QuestionType


def _fraction(value: Any) -> float:
    try:
        number = float(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError(_("Tỉ lệ điểm không hợp lệ: %(v)s.") % {"v": value}) from exc
    if not -1 <= number <= 1:
        raise ValidationError(_("Tỉ lệ điểm phải từ -100% đến 100%."))
    return number


def _ids(entries: list[dict[str, Any]], prefix: str) -> None:
    """Give every entry a unique id (kept if already there)."""
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        ident = str(entry.get("id") or f"{prefix}{n}")
        while ident in seen:
            ident += "_"
        seen.add(ident)
        entry["id"] = ident


def check_question(qtype: str, text: str, data: dict[str, Any], points: Any) -> dict[str, Any]:
    """Return `data` cleaned (NFC text, ids, numbers) or raise ValidationError."""
    if qtype not in QuestionType.values:
        raise ValidationError(_("Loại câu hỏi không hợp lệ: %(t)s.") % {"t": qtype})
    if not nfc(text):
        raise ValidationError(_("Câu hỏi chưa có nội dung."))
    try:
        if Decimal(str(points)) <= 0:
            raise ValidationError(_("Điểm của câu hỏi phải lớn hơn 0."))
    except InvalidOperation as exc:
        raise ValidationError(_("Điểm của câu hỏi không hợp lệ.")) from exc
    if not isinstance(data, dict):
        raise ValidationError(_("Dữ liệu câu hỏi không hợp lệ."))
    out: dict[str, Any] = {"feedback": nfc(data.get("feedback", ""))}
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        choices: list[dict[str, Any]] = [
            {
                "id": c.get("id"),
                "text": nfc(c.get("text", "")),
                "fraction": _fraction(c.get("fraction", 0)),
                "feedback": nfc(c.get("feedback", "")),
            }
            for c in data.get("choices", [])
            if isinstance(c, dict)
        ]
        if len(choices) < 2 or any(not c["text"] for c in choices):
            raise ValidationError(_("Cần ít nhất hai phương án, không phương án nào để trống."))
        if max(c["fraction"] for c in choices) <= 0:
            raise ValidationError(_("Chưa có phương án đúng."))
        _ids(choices, "c")
        out["choices"] = choices
    elif qtype == QuestionType.TRUE_FALSE:
        if not isinstance(data.get("answer"), bool):
            raise ValidationError(_("Câu Đúng/Sai cần đáp án đúng hoặc sai."))
        out["answer"] = data["answer"]
        out["feedback_true"] = nfc(data.get("feedback_true", ""))
        out["feedback_false"] = nfc(data.get("feedback_false", ""))
    elif qtype == QuestionType.SHORT:
        answers: list[dict[str, Any]] = [
            {
                "text": nfc(a.get("text", "")),
                "fraction": _fraction(a.get("fraction", 1)),
                "feedback": nfc(a.get("feedback", "")),
            }
            for a in data.get("answers", [])
            if isinstance(a, dict)
        ]
        if not answers or any(not a["text"] for a in answers):
            raise ValidationError(_("Cần ít nhất một đáp án được chấp nhận, không để trống."))
        if max(a["fraction"] for a in answers) <= 0:
            raise ValidationError(_("Chưa có đáp án đúng."))
        out["answers"] = answers
        out["accent_insensitive"] = bool(data.get("accent_insensitive"))
        if data.get("case_sensitive"):
            out["case_sensitive"] = True
    elif qtype == QuestionType.NUMERIC:
        answers = []
        for a in data.get("answers", []):
            try:
                value, tol = float(a["value"]), float(a.get("tolerance", 0) or 0)
            except (KeyError, TypeError, ValueError) as exc:
                raise ValidationError(_("Đáp án số không hợp lệ.")) from exc
            if tol < 0:
                raise ValidationError(_("Sai số cho phép không được âm."))
            answers.append(
                {
                    "value": value,
                    "tolerance": tol,
                    "fraction": _fraction(a.get("fraction", 1)),
                    "feedback": nfc(a.get("feedback", "")),
                }
            )
        if not answers:
            raise ValidationError(_("Cần ít nhất một đáp án số."))
        out["answers"] = answers
        unit = nfc(str(data.get("unit") or ""))
        if len(unit) > 30:
            raise ValidationError(_("Đơn vị đo tối đa 30 ký tự."))
        if unit:
            out["unit"] = unit
        if nfc(data.get("feedback_wrong", "")):
            out["feedback_wrong"] = nfc(data["feedback_wrong"])
    elif qtype == QuestionType.MATCHING:
        rights = [
            {"id": r.get("id"), "text": nfc(r.get("text", ""))} for r in data.get("rights", [])
        ]
        pairs = [
            {"id": p.get("id"), "left": nfc(p.get("left", "")), "right_id": p.get("right_id")}
            for p in data.get("pairs", [])
        ]
        _ids(rights, "r")
        _ids(pairs, "m")
        known = {r["id"] for r in rights}
        if len([p for p in pairs if p["left"]]) < 2 or any(not r["text"] for r in rights):
            raise ValidationError(_("Câu ghép đôi cần ít nhất hai cặp, không để trống."))
        if any(p["right_id"] not in known for p in pairs):
            raise ValidationError(_("Cặp ghép trỏ tới vế phải không tồn tại."))
        out["rights"], out["pairs"] = rights, pairs
    elif qtype == QuestionType.ORDERING:
        items = [{"id": i.get("id"), "text": nfc(i.get("text", ""))} for i in data.get("items", [])]
        if len(items) < 2 or any(not i["text"] for i in items):
            raise ValidationError(_("Câu sắp xếp cần ít nhất hai mục, không để trống."))
        _ids(items, "o")
        out["items"] = items
    elif qtype == QuestionType.ESSAY:
        out["rubric"] = nfc(data.get("rubric", ""))
        template = nfc(str(data.get("response_template") or ""))
        if len(template) > 5000:
            raise ValidationError(_("Mẫu bài làm tối đa 5.000 ký tự."))
        if template:
            out["response_template"] = template
    return out
