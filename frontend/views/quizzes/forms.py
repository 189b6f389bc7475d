"""Forms for the bank and the quiz builder.

A question's answers are edited as plain lines (one option per line), the
same way for every type, so the editor works on a phone and by keyboard.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts.models import Unit, User
from quizzes.models import QuestionCategory, QuestionType, Quiz, Tag
from quizzes.validation import check_question

_WEIGHT = re.compile(r"^\[(-?\d+(?:[.,]\d+)?)\s*%\]\s*")
ANSWER_HELP = _l(
    "Mỗi dòng một phương án. Một/nhiều lựa chọn: đánh dấu * trước phương án đúng, "
    "hoặc ghi tỉ lệ điểm như [50%]; thêm “ # nhận xét” ở cuối dòng nếu cần. "
    "Đúng/Sai: ghi Đúng hoặc Sai. Trả lời ngắn: mỗi dòng một đáp án được chấp nhận. "
    "Số: 27 hoặc 27 ± 0,5. Ghép đôi: “vế trái = vế phải” (dòng “= vế phải” là phương án nhiễu). "
    "Sắp xếp: các mục theo đúng thứ tự. Tự luận: hướng dẫn chấm."
)


def _split(line: str) -> tuple[float | None, str, str]:
    weight = None
    m = _WEIGHT.match(line)
    if m:
        weight = float(m.group(1).replace(",", ".")) / 100
        line = line[m.end() :]
    text, _sep, feedback = line.partition(" # ")
    return weight, text.strip(), feedback.strip()


def lines_to_data(qtype: str, text: str, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """Parse the answer lines; ids of `previous` are kept by position (key fixes)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    previous = previous or {}

    def keep_ids(entries: list[dict[str, Any]], key: str) -> None:
        old = previous.get(key, [])
        for n, entry in enumerate(entries):
            if n < len(old) and old[n].get("id"):
                entry["id"] = old[n]["id"]

    data: dict[str, Any] = {}
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        choices = []
        stars = sum(1 for line in lines if line.startswith("*"))
        explicit = any(_WEIGHT.match(line.lstrip("*").strip()) for line in lines)
        for line in lines:
            right = line.startswith("*")
            weight, body, feedback = _split(line.lstrip("*").strip())
            if weight is None:
                weight = (1 / max(stars, 1)) if right else 0.0
                if qtype == QuestionType.MULTIPLE and not right and not explicit:
                    weight = -1 / max(stars, 1)
                if qtype == QuestionType.SINGLE and right:
                    weight = 1.0
            choices.append({"text": body, "fraction": weight, "feedback": feedback})
        keep_ids(choices, "choices")
        data["choices"] = choices
    elif qtype == QuestionType.TRUE_FALSE:
        value = (lines[0] if lines else "").lower()
        if value not in ("đúng", "sai", "true", "false"):
            raise ValidationError(_("Câu Đúng/Sai: ghi “Đúng” hoặc “Sai”."))
        data["answer"] = value in ("đúng", "true")
    elif qtype == QuestionType.SHORT:
        answers = []
        for line in lines:
            weight, body, feedback = _split(line)
            answers.append(
                {"text": body, "fraction": 1.0 if weight is None else weight, "feedback": feedback}
            )
        data["answers"] = answers
    elif qtype == QuestionType.NUMERIC:
        answers = []
        for line in lines:
            weight, body, feedback = _split(line)
            value, _sep, tol = body.replace("±", ":").partition(":")
            try:
                answers.append(
                    {
                        "value": float(value.strip().replace(",", ".")),
                        "tolerance": float(tol.strip().replace(",", ".") or 0),
                        "fraction": 1.0 if weight is None else weight,
                        "feedback": feedback,
                    }
                )
            except ValueError as exc:
                raise ValidationError(_("Đáp án số không hợp lệ: “%(l)s”.") % {"l": line}) from exc
        data["answers"] = answers
    elif qtype == QuestionType.MATCHING:
        rights: list[dict[str, Any]] = []
        pairs = []
        for line in lines:
            if "=" not in line:
                raise ValidationError(_("Ghép đôi: mỗi dòng cần dạng “vế trái = vế phải”."))
            left, right = (p.strip() for p in line.split("=", 1))
            match = next((r for r in rights if r["text"] == right), None)
            if match is None:
                match = {"id": f"r{len(rights) + 1}", "text": right}
                rights.append(match)
            pairs.append({"id": f"m{len(pairs) + 1}", "left": left, "right_id": match["id"]})
        old_rights = {r["text"]: r["id"] for r in previous.get("rights", [])}
        renamed = {r["id"]: old_rights.get(r["text"], r["id"]) for r in rights}
        for r in rights:
            r["id"] = renamed[r["id"]]
        for p in pairs:
            p["right_id"] = renamed[p["right_id"]]
        keep_ids(pairs, "pairs")
        data["rights"], data["pairs"] = rights, pairs
    elif qtype == QuestionType.ORDERING:
        items = [{"text": line} for line in lines]
        keep_ids(items, "items")
        data["items"] = items
    else:
        data["rubric"] = text.strip()
    return data


def data_to_lines(qtype: str, data: dict[str, Any]) -> str:
    def pct(f: float) -> str:
        return f"[{float(f) * 100:g}%] "

    def fb(entry: dict[str, Any]) -> str:
        return f" # {entry['feedback']}" if entry.get("feedback") else ""

    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        out = []
        for c in data.get("choices", []):
            f = float(c["fraction"])
            prefix = "* " if f == 1 and qtype == QuestionType.SINGLE else ("" if f == 0 else pct(f))
            out.append(f"{prefix}{c['text']}{fb(c)}")
        return "\n".join(out)
    if qtype == QuestionType.TRUE_FALSE:
        return "Đúng" if data.get("answer") else "Sai"
    if qtype == QuestionType.SHORT:
        return "\n".join(
            ("" if float(a["fraction"]) == 1 else pct(a["fraction"])) + a["text"] + fb(a)
            for a in data.get("answers", [])
        )
    if qtype == QuestionType.NUMERIC:
        return "\n".join(
            ("" if float(a["fraction"]) == 1 else pct(a["fraction"]))
            + f"{a['value']:g} ± {a['tolerance']:g}"
            + fb(a)
            for a in data.get("answers", [])
        )
    if qtype == QuestionType.MATCHING:
        rights = {r["id"]: r["text"] for r in data.get("rights", [])}
        return "\n".join(
            f"{p['left']} = {rights.get(p['right_id'], '')}" for p in data.get("pairs", [])
        )
    if qtype == QuestionType.ORDERING:
        return "\n".join(i["text"] for i in data.get("items", []))
    return str(data.get("rubric", ""))


class QuestionForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_l("Danh mục"), queryset=QuestionCategory.objects.none()
    )
    type = forms.ChoiceField(label=_l("Loại câu hỏi"), choices=QuestionType.choices)
    title = forms.CharField(label=_l("Tiêu đề (không bắt buộc)"), required=False, max_length=255)
    text = forms.CharField(label=_l("Nội dung câu hỏi"), widget=forms.Textarea(attrs={"rows": 4}))
    answers = forms.CharField(
        label=_l("Phương án / đáp án"),
        required=False,
        help_text=ANSWER_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    feedback = forms.CharField(
        label=_l("Nhận xét chung"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    points = forms.DecimalField(
        label=_l("Điểm"), min_value=0.01, max_digits=7, decimal_places=2, initial=1
    )
    accent_insensitive = forms.BooleanField(
        label=_l("Trả lời ngắn: không phân biệt dấu (đ = d)"), required=False
    )
    tags = forms.CharField(label=_l("Thẻ (cách nhau bằng dấu phẩy)"), required=False)

    def __init__(
        self, *args: Any, actor: User, previous: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.previous = previous
        editable = [
            c.pk
            for c in QuestionCategory.objects.visible_to(actor).select_related("owner_unit")
            if actor.can_see_unit(c.owner_unit)
        ]
        self.fields["category"].queryset = QuestionCategory.objects.filter(pk__in=editable)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        qtype = cleaned["type"]
        try:
            data = lines_to_data(qtype, cleaned.get("answers", ""), self.previous)
            data["feedback"] = cleaned.get("feedback", "")
            if qtype == QuestionType.SHORT:
                data["accent_insensitive"] = cleaned.get("accent_insensitive", False)
            cleaned["data"] = check_question(qtype, cleaned["text"], data, cleaned["points"])
        except ValidationError as exc:
            self.add_error("answers", exc)
        return cleaned


class CategoryForm(forms.Form):
    name = forms.CharField(label=_l("Tên danh mục"), max_length=255)
    parent = forms.ModelChoiceField(
        label=_l("Thuộc danh mục"), required=False, queryset=QuestionCategory.objects.none()
    )
    owner_unit = forms.ModelChoiceField(label=_l("Đơn vị sở hữu"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(actor)
        self.fields["owner_unit"].queryset = units
        self.fields["parent"].queryset = QuestionCategory.objects.filter(owner_unit__in=units)


class ImportForm(forms.Form):
    file = forms.FileField(label=_l("Tệp câu hỏi"))
    format = forms.ChoiceField(
        label=_l("Định dạng"),
        choices=[
            ("gift", "GIFT"),
            ("aiken", "Aiken"),
            ("moodlexml", "Moodle XML"),
            ("xlsx", _l("Mẫu XLSX")),
        ],
    )
    category = forms.CharField(
        label=_l("Danh mục đích (ví dụ: Nghị quyết 4/Nhóm 1)"), max_length=255
    )
    owner_unit = forms.ModelChoiceField(label=_l("Đơn vị sở hữu"), queryset=Unit.objects.none())
    preview = forms.BooleanField(label=_l("Chỉ xem trước, chưa nhập"), required=False, initial=True)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = Unit.objects.visible_to(actor)


class FixKeyForm(forms.Form):
    answers = forms.CharField(
        label=_l("Đáp án đã sửa"), help_text=ANSWER_HELP, widget=forms.Textarea(attrs={"rows": 8})
    )
    reason = forms.CharField(label=_l("Lý do sửa đáp án (ghi vào nhật ký)"), max_length=500)


class QuizForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = [
            "title",
            "description",
            "owner_unit",
            "is_published",
            "open_at",
            "close_at",
            "time_limit",
            "expiry",
            "grace_seconds",
            "attempts_allowed",
            "grading_method",
            "pass_percent",
            "shuffle_questions",
            "shuffle_choices",
            "navigation",
            "per_page",
            "review_score",
            "review_correctness",
            "review_answers",
            "review_feedback",
        ]
        widgets = {
            "open_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "close_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = Unit.objects.visible_to(actor)
        self.fields["owner_unit"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            cleaned.get("open_at")
            and cleaned.get("close_at")
            and cleaned["close_at"] <= cleaned["open_at"]
        ):
            self.add_error("close_at", _("Thời điểm đóng phải sau thời điểm mở."))
        return cleaned


class ItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_l("Loại"),
        choices=[("fixed", _l("Câu hỏi cố định")), ("random", _l("Rút ngẫu nhiên"))],
    )
    question = forms.IntegerField(label=_l("Mã câu hỏi (cố định)"), required=False)
    category = forms.ModelChoiceField(
        label=_l("Danh mục (rút ngẫu nhiên)"),
        required=False,
        queryset=QuestionCategory.objects.none(),
    )
    tag = forms.ModelChoiceField(
        label=_l("Chỉ câu có thẻ"), required=False, queryset=Tag.objects.all()
    )
    count = forms.IntegerField(label=_l("Số câu rút"), min_value=1, max_value=200, initial=1)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = QuestionCategory.objects.visible_to(actor)


class GradeForm(forms.Form):
    points = forms.DecimalField(label=_l("Điểm"), min_value=0, max_digits=7, decimal_places=2)
    comment = forms.CharField(
        label=_l("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_l("Lý do (khi sửa điểm đã chấm)"), required=False, max_length=500
    )


class OverrideForm(forms.Form):
    username = forms.CharField(label=_l("Tên đăng nhập của học viên"), max_length=150)
    extra_minutes = forms.IntegerField(label=_l("Thêm thời gian (phút)"), min_value=0, initial=0)
    extra_attempts = forms.IntegerField(label=_l("Thêm lượt làm bài"), min_value=0, initial=0)
