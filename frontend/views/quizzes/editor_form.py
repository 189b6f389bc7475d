"""The per-type question editor: scalar fields in a Django form, answer rows beside it
(editor_rows). The form builds the same `data` the API takes, and `check_question`
has the last word for both.
"""

from __future__ import annotations

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

from .editor_rows import ROW_KIND, Row


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
