"""The per-type question editor: scalar fields in a Django form, answer rows beside it.

Rows (choices, short-answer alternatives, numeric answers, matching pairs,
ordering items) are posted as a list of row keys in page order
(`<input type="hidden" name="choices" value="k">`) and one field per column
(`choices-k-text`). Adding, removing and moving rows are plain submit buttons
(`op=add:choices`), so the editor works without JavaScript; htmx posts the
same buttons and swaps only the rows. The form builds the same `data` the
API takes, and `check_question` has the last word for both.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import Unit, User
from accounts.text import nfc
from quizzes.models import QuestionCategory, QuestionType
from quizzes.validation import check_question

# Which rows each type edits, and their columns.
ROW_KIND = {
    QuestionType.SINGLE: "choices",
    QuestionType.MULTIPLE: "choices",
    QuestionType.SHORT: "alts",
    QuestionType.NUMERIC: "nums",
    QuestionType.MATCHING: "pairs",
    QuestionType.ORDERING: "items",
}
COLUMNS = {
    "choices": ("text", "fraction", "feedback"),
    "alts": ("text", "fraction", "feedback"),
    "nums": ("value", "tolerance", "fraction", "feedback"),
    "pairs": ("left", "right"),
    "items": ("text",),
}
BLANK_ROWS = {"choices": 4, "alts": 2, "nums": 1, "pairs": 3, "items": 4}
MAX_ROWS = 100
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@dataclass
class Row:
    key: str
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    def is_blank(self) -> bool:
        return not any(v.strip() for v in self.values.values())

    def error(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)


def new_key() -> str:
    return "n" + secrets.token_hex(4)


def blank_row(kind: str) -> Row:
    return Row(new_key(), {c: "" for c in COLUMNS[kind]})


def rows_from_post(post: Any, kind: str) -> list[Row]:
    rows: list[Row] = []
    seen: set[str] = set()
    for key in post.getlist(kind)[:MAX_ROWS]:
        if not _KEY.match(key) or key in seen:
            continue
        seen.add(key)
        rows.append(Row(key, {c: str(post.get(f"{kind}-{key}-{c}", "")) for c in COLUMNS[kind]}))
    return rows


def apply_op(rows: list[Row], kind: str, op: str) -> tuple[list[Row], str | None]:
    """Carry out `op` ("add:kind", "remove:kind:key", "up:kind:key", "down:kind:key")
    on `rows`; return the rows and the key of a row to focus."""
    verb, _sep, rest = op.partition(":")
    target_kind, _sep, key = rest.partition(":")
    if target_kind != kind:
        return rows, None
    if verb == "add" and len(rows) < MAX_ROWS:
        row = blank_row(kind)
        return [*rows, row], row.key
    index = next((i for i, r in enumerate(rows) if r.key == key), None)
    if index is None:
        return rows, None
    if verb == "remove":
        rest = rows[:index] + rows[index + 1 :]
        # the keyboard stays where it was: on the row that took the removed one's place
        near = rest[min(index, len(rest) - 1)].key if rest else None
        return rest, near
    swap = index - 1 if verb == "up" else index + 1 if verb == "down" else None
    if swap is not None and 0 <= swap < len(rows):
        rows = list(rows)
        rows[index], rows[swap] = rows[swap], rows[index]
    return rows, key


def _pct(fraction: Any) -> str:
    return f"{float(fraction) * 100:.7g}"


def _num(value: Any) -> str:
    return f"{float(value):.15g}"


def rows_from_data(qtype: str, data: dict[str, Any]) -> list[Row]:
    """The rows that show `data` (a stored version) in the editor."""
    kind = ROW_KIND.get(qtype)
    if kind is None:
        return []
    if kind == "choices":
        return [
            Row(
                str(c["id"]),
                {
                    "text": c["text"],
                    "fraction": _pct(c["fraction"]),
                    "feedback": c.get("feedback", ""),
                },
            )
            for c in data.get("choices", [])
        ]
    if kind == "alts":
        return [
            Row(
                f"a{n}",
                {
                    "text": a["text"],
                    "fraction": _pct(a.get("fraction", 1)),
                    "feedback": a.get("feedback", ""),
                },
            )
            for n, a in enumerate(data.get("answers", []), 1)
        ]
    if kind == "nums":
        return [
            Row(
                f"a{n}",
                {
                    "value": _num(a["value"]),
                    "tolerance": _num(a.get("tolerance", 0)),
                    "fraction": _pct(a.get("fraction", 1)),
                    "feedback": a.get("feedback", ""),
                },
            )
            for n, a in enumerate(data.get("answers", []), 1)
        ]
    if kind == "pairs":
        rights = {r["id"]: r["text"] for r in data.get("rights", [])}
        used = {p["right_id"] for p in data.get("pairs", [])}
        rows = [
            Row(str(p["id"]), {"left": p["left"], "right": rights.get(p["right_id"], "")})
            for p in data.get("pairs", [])
        ]
        # a right-hand text no pair points to is a distractor: a row with no left side
        rows += [
            Row(f"x{rid}", {"left": "", "right": t}) for rid, t in rights.items() if rid not in used
        ]
        return rows
    return [Row(str(i["id"]), {"text": i["text"]}) for i in data.get("items", [])]


def _parse_number(raw: str) -> Decimal | None:
    text = raw.strip().replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class QuestionEditorForm(forms.Form):
    """Everything but the rows; `rows` are parsed beside it and checked in clean()."""

    category = forms.ModelChoiceField(
        label=gettext_lazy("Danh mục"), queryset=QuestionCategory.objects.none(), required=False
    )
    new_category = forms.CharField(
        label=gettext_lazy("Hoặc tạo danh mục mới"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Nhập tên để tạo danh mục mới và lưu câu hỏi vào đó."),
    )
    new_category_unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị sở hữu danh mục mới"),
        queryset=Unit.objects.none(),
        required=False,
    )
    title = forms.CharField(
        label=gettext_lazy("Tiêu đề (không bắt buộc)"), required=False, max_length=255
    )
    text = forms.CharField(
        label=gettext_lazy("Nội dung câu hỏi"), widget=forms.Textarea(attrs={"rows": 4})
    )
    points = forms.DecimalField(
        label=gettext_lazy("Điểm"), min_value=Decimal("0.01"), max_digits=7, decimal_places=2
    )
    feedback = forms.CharField(
        label=gettext_lazy("Nhận xét chung (hiện sau khi nộp bài)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tags = forms.CharField(label=gettext_lazy("Thẻ (cách nhau bằng dấu phẩy)"), required=False)
    # true/false
    answer = forms.TypedChoiceField(
        label=gettext_lazy("Đáp án đúng"),
        required=False,
        choices=[
            ("true", pgettext_lazy("true/false option", "Đúng")),
            ("false", pgettext_lazy("true/false option", "Sai")),
        ],
        widget=forms.RadioSelect,
    )
    feedback_true = forms.CharField(
        label=gettext_lazy("Nhận xét khi học viên chọn “Đúng”"), required=False
    )
    feedback_false = forms.CharField(
        label=gettext_lazy("Nhận xét khi học viên chọn “Sai”"), required=False
    )
    # short answer
    accent_insensitive = forms.BooleanField(
        label=gettext_lazy("Không phân biệt dấu tiếng Việt (“Hồ Chí Minh” = “ho chi minh”, đ = d)"),
        required=False,
    )
    case_sensitive = forms.BooleanField(
        label=gettext_lazy("Phân biệt chữ hoa, chữ thường"), required=False
    )
    # numeric
    unit = forms.CharField(
        label=gettext_lazy("Đơn vị đo (hiện sau ô nhập, ví dụ: năm, %)"),
        required=False,
        max_length=30,
    )
    feedback_wrong = forms.CharField(label=gettext_lazy("Nhận xét khi trả lời sai"), required=False)
    # essay
    rubric = forms.CharField(
        label=gettext_lazy("Hướng dẫn chấm (chỉ người chấm thấy)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    response_template = forms.CharField(
        label=gettext_lazy("Mẫu bài làm (điền sẵn vào ô bài làm của học viên)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        actor: User,
        qtype: str,
        rows: list[Row],
        previous: dict[str, Any] | None = None,
        shown_category: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.qtype = qtype
        self.kind = ROW_KIND.get(qtype)
        self.rows = rows
        self.previous = previous or {}
        self.rows_problem = ""
        editable = [
            c.pk
            for c in QuestionCategory.objects.visible_to(actor).select_related("owner_unit")
            if actor.can_see_unit(c.owner_unit)
        ]
        if shown_category is not None:  # read-only view of a shared question
            editable.append(shown_category)
        self.fields["category"].queryset = QuestionCategory.objects.filter(
            pk__in=editable
        ).order_by("path")
        self.has_categories = bool(editable)
        units = Unit.objects.visible_to(actor)
        self.fields["new_category_unit"].queryset = units
        if not self.has_categories:
            self.fields["new_category"].label = _("Tên danh mục mới")
            self.fields["new_category"].help_text = ""  # the notice above the field says it

    # -- cleaning ------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("category") and not nfc(cleaned.get("new_category", "")):
            field_name = "category" if self.has_categories else "new_category"
            self.add_error(field_name, _("Chọn danh mục hoặc nhập tên danh mục mới."))
        if (
            nfc(cleaned.get("new_category", ""))
            and not cleaned.get("new_category_unit")
            and "new_category_unit" not in self.errors
        ):
            self.add_error("new_category_unit", _("Chọn đơn vị sở hữu danh mục mới."))
        data = self._type_data(cleaned)
        if self.errors or self.row_errors():
            return cleaned
        try:
            cleaned["data"] = check_question(self.qtype, cleaned["text"], data, cleaned["points"])
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned

    def is_valid(self) -> bool:
        valid = super().is_valid()  # runs clean(), which checks the rows too
        return valid and not self.row_errors()

    def row_errors(self) -> bool:
        return any(r.errors for r in self.rows) or bool(self.rows_problem)

    def _rows_fail(self, message: str) -> None:
        self.rows_problem = message

    def _fraction(self, row: Row, default: str = "0") -> float | None:
        raw = row.values.get("fraction", "").strip() or default
        value = _parse_number(raw.rstrip("%"))
        if value is None or not -100 <= value <= 100:
            row.error("fraction", _("Tỉ lệ điểm phải là số từ -100 đến 100."))
            return None
        return float(value / 100)

    def _type_data(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        qtype = self.qtype
        data: dict[str, Any] = {"feedback": cleaned.get("feedback", "")}
        rows = [r for r in self.rows if not r.is_blank()]
        if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            data["choices"] = self._choices(rows)
        elif qtype == QuestionType.TRUE_FALSE:
            if cleaned.get("answer") not in ("true", "false"):
                self.add_error("answer", _("Chọn đáp án đúng: Đúng hoặc Sai."))
            data["answer"] = cleaned.get("answer") == "true"
            data["feedback_true"] = cleaned.get("feedback_true", "")
            data["feedback_false"] = cleaned.get("feedback_false", "")
        elif qtype == QuestionType.SHORT:
            data["answers"] = self._alternatives(rows)
            data["accent_insensitive"] = bool(cleaned.get("accent_insensitive"))
            data["case_sensitive"] = bool(cleaned.get("case_sensitive"))
        elif qtype == QuestionType.NUMERIC:
            data["answers"] = self._numbers(rows)
            data["unit"] = cleaned.get("unit", "")
            data["feedback_wrong"] = cleaned.get("feedback_wrong", "")
        elif qtype == QuestionType.MATCHING:
            data.update(self._pairs(rows))
        elif qtype == QuestionType.ORDERING:
            for row in rows:
                if not nfc(row.values["text"]):
                    row.error("text", _("Mục không được để trống."))
            if len(rows) < 2:
                self._rows_fail(_("Cần ít nhất hai mục để sắp xếp."))
            data["items"] = [{"id": r.key, "text": r.values["text"]} for r in rows]
        else:
            data["rubric"] = cleaned.get("rubric", "")
            data["response_template"] = cleaned.get("response_template", "")
        return data

    def _choices(self, rows: list[Row]) -> list[dict[str, Any]]:
        choices = []
        for row in rows:
            if not nfc(row.values["text"]):
                row.error("text", _("Phương án không được để trống."))
            fraction = self._fraction(row)
            choices.append(
                {
                    "id": row.key,
                    "text": row.values["text"],
                    "fraction": fraction or 0.0,
                    "feedback": row.values["feedback"],
                }
            )
        if len(rows) < 2:
            self._rows_fail(_("Cần ít nhất hai phương án."))
        elif not any(r.errors for r in rows):
            fractions = [c["fraction"] for c in choices]
            if self.qtype == QuestionType.SINGLE:
                if not any(abs(f - 1) < 1e-6 for f in fractions):
                    self._rows_fail(_("Chưa có phương án đúng: cần một phương án có tỉ lệ 100%."))
            else:
                positive = sum(f for f in fractions if f > 0)
                if positive <= 0:
                    self._rows_fail(
                        _("Chưa có phương án đúng: cho các phương án đúng tỉ lệ dương.")
                    )
                elif abs(positive - 1) > 1e-4:
                    self._rows_fail(
                        _("Tổng tỉ lệ các phương án đúng là %(sum)s%%, phải bằng 100%%.")
                        % {"sum": f"{positive * 100:.4g}"}
                    )
        return choices

    def _alternatives(self, rows: list[Row]) -> list[dict[str, Any]]:
        answers = []
        for row in rows:
            if not nfc(row.values["text"]):
                row.error("text", _("Đáp án không được để trống."))
            fraction = self._fraction(row, default="100")
            answers.append(
                {
                    "text": row.values["text"],
                    "fraction": fraction or 0.0,
                    "feedback": row.values["feedback"],
                }
            )
        if not rows:
            self._rows_fail(_("Cần ít nhất một đáp án được chấp nhận."))
        elif not any(r.errors for r in rows) and not any(
            abs(a["fraction"] - 1) < 1e-6 for a in answers
        ):
            self._rows_fail(_("Chưa có đáp án đúng: cần một đáp án có tỉ lệ 100%."))
        return answers

    def _numbers(self, rows: list[Row]) -> list[dict[str, Any]]:
        answers = []
        for row in rows:
            value = _parse_number(row.values["value"])
            if value is None:
                row.error("value", _("Đáp số phải là một số, ví dụ 27 hoặc 3,5."))
            tolerance = _parse_number(row.values["tolerance"] or "0")
            if tolerance is None:
                row.error("tolerance", _("Sai số cho phép phải là một số."))
            elif tolerance < 0:
                row.error("tolerance", _("Sai số cho phép không được âm."))
            fraction = self._fraction(row, default="100")
            answers.append(
                {
                    "value": float(value or 0),
                    "tolerance": float(tolerance or 0),
                    "fraction": fraction or 0.0,
                    "feedback": row.values["feedback"],
                }
            )
        if not rows:
            self._rows_fail(_("Cần ít nhất một đáp số."))
        elif not any(r.errors for r in rows) and not any(
            abs(a["fraction"] - 1) < 1e-6 for a in answers
        ):
            self._rows_fail(_("Chưa có đáp số đúng: cần một đáp số có tỉ lệ 100%."))
        return answers

    def _pairs(self, rows: list[Row]) -> dict[str, Any]:
        old_rights = {r["text"]: r["id"] for r in self.previous.get("rights", [])}
        rights: list[dict[str, Any]] = []
        pairs = []
        for row in rows:
            left, right = nfc(row.values["left"]), nfc(row.values["right"])
            if not right:
                row.error("right", _("Vế phải không được để trống."))
                continue
            match = next((r for r in rights if r["text"] == right), None)
            if match is None:
                ident = old_rights.get(right)
                if ident is None:  # a new text: an id no old or current text has
                    taken = set(old_rights.values()) | {r["id"] for r in rights}
                    ident = next(f"r{n}" for n in range(1, 10**4) if f"r{n}" not in taken)
                match = {"id": ident, "text": right}
                rights.append(match)
            if left:
                pairs.append({"id": row.key, "left": left, "right_id": match["id"]})
        if len(pairs) < 2:
            self._rows_fail(_("Cần ít nhất hai cặp ghép có đủ vế trái và vế phải."))
        return {"rights": rights, "pairs": pairs}


def initial_from_version(question: Any) -> dict[str, Any]:
    """Scalar fields of the editor for a stored question."""
    version = question.current_version
    data = version.data
    initial: dict[str, Any] = {
        "category": question.category_id,
        "title": question.title,
        "text": version.text,
        "points": version.points,
        "feedback": data.get("feedback", ""),
        "tags": ", ".join(t.name for t in question.tags.all()),
        "accent_insensitive": data.get("accent_insensitive", False),
        "case_sensitive": data.get("case_sensitive", False),
        "unit": data.get("unit", ""),
        "feedback_wrong": data.get("feedback_wrong", ""),
        "feedback_true": data.get("feedback_true", ""),
        "feedback_false": data.get("feedback_false", ""),
        "rubric": data.get("rubric", ""),
        "response_template": data.get("response_template", ""),
    }
    if version.type == QuestionType.TRUE_FALSE:
        initial["answer"] = "true" if data.get("answer") else "false"
    return initial


TYPE_HELP = {
    QuestionType.SINGLE: gettext_lazy(
        "Học viên chọn một phương án. Phương án đúng có tỉ lệ 100%; phương án đúng một phần "
        "có thể cho tỉ lệ nhỏ hơn."
    ),
    QuestionType.MULTIPLE: gettext_lazy(
        "Học viên chọn nhiều phương án. Tổng tỉ lệ các phương án đúng phải bằng 100%; "
        "phương án sai có thể cho tỉ lệ âm để trừ điểm."
    ),
    QuestionType.TRUE_FALSE: gettext_lazy("Học viên chọn Đúng hoặc Sai."),
    QuestionType.SHORT: gettext_lazy(
        "Học viên gõ một câu trả lời ngắn; câu trả lời khớp một đáp án được chấp nhận thì "
        "được tỉ lệ điểm của đáp án đó."
    ),
    QuestionType.NUMERIC: gettext_lazy(
        "Học viên nhập một số; số nằm trong khoảng đáp số ± sai số cho phép thì đúng."
    ),
    QuestionType.MATCHING: gettext_lazy(
        "Học viên ghép mỗi vế trái với một vế phải. Dòng chỉ có vế phải là phương án nhiễu."
    ),
    QuestionType.ORDERING: gettext_lazy(
        "Nhập các mục theo đúng thứ tự; học viên nhận chúng đã xáo trộn và sắp xếp lại."
    ),
    QuestionType.ESSAY: gettext_lazy("Học viên viết bài; người chấm chấm tay."),
}


# Labels name the row ("Phương án 2") so every input has its own accessible name.
CELL_LABELS = {
    ("choices", "text"): gettext_lazy("Phương án %(n)s"),
    ("choices", "fraction"): gettext_lazy("Tỉ lệ điểm phương án %(n)s (%%)"),
    ("choices", "feedback"): gettext_lazy("Nhận xét phương án %(n)s"),
    ("alts", "text"): gettext_lazy("Đáp án %(n)s"),
    ("alts", "fraction"): gettext_lazy("Tỉ lệ điểm đáp án %(n)s (%%)"),
    ("alts", "feedback"): gettext_lazy("Nhận xét đáp án %(n)s"),
    ("nums", "value"): gettext_lazy("Đáp số %(n)s"),
    ("nums", "tolerance"): gettext_lazy("Sai số cho phép đáp số %(n)s (±)"),
    ("nums", "fraction"): gettext_lazy("Tỉ lệ điểm đáp số %(n)s (%%)"),
    ("nums", "feedback"): gettext_lazy("Nhận xét đáp số %(n)s"),
    ("pairs", "left"): gettext_lazy("Vế trái %(n)s"),
    ("pairs", "right"): gettext_lazy("Vế phải %(n)s"),
    ("items", "text"): gettext_lazy("Mục %(n)s"),
}
ROW_NAMES = {
    "choices": gettext_lazy("phương án %(n)s"),
    "alts": gettext_lazy("đáp án %(n)s"),
    "nums": gettext_lazy("đáp số %(n)s"),
    "pairs": gettext_lazy("cặp %(n)s"),
    "items": gettext_lazy("mục %(n)s"),
}
LEGENDS = {
    "choices": gettext_lazy("Các phương án"),
    "alts": gettext_lazy("Các đáp án được chấp nhận"),
    "nums": gettext_lazy("Các đáp số"),
    "pairs": gettext_lazy("Các cặp ghép"),
    "items": gettext_lazy("Các mục, theo đúng thứ tự"),
}
ROWS_HELP = {
    "choices": gettext_lazy(
        "Dòng để trống bị bỏ qua. Tỉ lệ điểm: 100 là đúng hoàn toàn, 0 là sai; "
        "số âm để trừ điểm khi chọn sai."
    ),
    "alts": gettext_lazy("Dòng để trống bị bỏ qua. Tỉ lệ điểm để trống là 100%."),
    "nums": gettext_lazy(
        "Ví dụ đáp số 27 với sai số 0,5 chấp nhận mọi số từ 26,5 đến 27,5. "
        "Tỉ lệ điểm để trống là 100%."
    ),
    "pairs": gettext_lazy("Dòng chỉ có vế phải là phương án nhiễu. Dòng để trống bị bỏ qua."),
    "items": gettext_lazy("Dùng nút Lên/Xuống để đổi thứ tự. Dòng để trống bị bỏ qua."),
}
NUMBER_COLUMNS = {"fraction", "value", "tolerance"}


def row_views(kind: str, rows: list[Row], focus: str | None = None) -> list[dict[str, Any]]:
    """What the template needs to draw each row: its cells, labels and errors."""
    out = []
    for n, row in enumerate(rows, 1):
        cells = []
        for col in COLUMNS[kind]:
            name = f"{kind}-{row.key}-{col}"
            cells.append(
                {
                    "name": name,
                    "id": f"id_{name}",
                    "column": col,
                    "label": CELL_LABELS[(kind, col)] % {"n": n},
                    "value": row.values.get(col, ""),
                    "errors": row.errors.get(col, []),
                    "number": col in NUMBER_COLUMNS,
                    "autofocus": focus == row.key and col == COLUMNS[kind][0],
                }
            )
        out.append(
            {
                "key": row.key,
                "n": n,
                "name": ROW_NAMES[kind] % {"n": n},
                "cells": cells,
                "first": n == 1,
                "last": n == len(rows),
            }
        )
    return out
