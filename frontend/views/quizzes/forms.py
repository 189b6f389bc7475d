"""Forms for the bank and the quiz builder.

A question's answers are edited as plain lines (one option per line), the
same way for every type, so the editor works on a phone and by keyboard.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from quizzes.models import QuestionCategory, QuestionType, Quiz, Tag
from quizzes.validation import check_question

from .answer_lines import lines_to_data

ANSWER_HELP = _(
    "Mỗi dòng một phương án. Một/nhiều lựa chọn: đánh dấu * trước phương án đúng, "
    "hoặc ghi tỉ lệ điểm như [50%]; thêm “ # nhận xét” ở cuối dòng nếu cần. "
    "Đúng/Sai: ghi Đúng hoặc Sai. Trả lời ngắn: mỗi dòng một đáp án được chấp nhận. "
    "Số: 27 hoặc 27 ± 0,5. Ghép đôi: “vế trái = vế phải” (dòng “= vế phải” là phương án nhiễu). "
    "Sắp xếp: các mục theo đúng thứ tự. Tự luận: hướng dẫn chấm."
)


# Options of a type the answer lines cannot write.
TEXT_LESS_OPTIONS = (
    "case_sensitive",
    "unit",
    "feedback_wrong",
    "feedback_true",
    "feedback_false",
    "response_template",
)


class QuestionForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Danh mục"), queryset=QuestionCategory.objects.none())
    type = forms.ChoiceField(label=_("Loại câu hỏi"), choices=QuestionType.choices)
    title = forms.CharField(label=_("Tiêu đề (không bắt buộc)"), required=False, max_length=255)
    text = forms.CharField(label=_("Nội dung câu hỏi"), widget=forms.Textarea(attrs={"rows": 4}))
    answers = forms.CharField(
        label=_("Phương án / đáp án"),
        required=False,
        help_text=ANSWER_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    feedback = forms.CharField(
        label=_("Nhận xét chung"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    points = forms.DecimalField(
        label=_("Điểm"), min_value=0.01, max_digits=7, decimal_places=2, initial=1
    )
    accent_insensitive = forms.BooleanField(
        label=_("Trả lời ngắn: không phân biệt dấu (đ = d)"), required=False
    )
    tags = forms.CharField(label=_("Thẻ (cách nhau bằng dấu phẩy)"), required=False)

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
            for key in TEXT_LESS_OPTIONS:  # edited in the per-type editor only: kept
                if self.previous and key in self.previous:
                    data.setdefault(key, self.previous[key])
            cleaned["data"] = check_question(qtype, cleaned["text"], data, cleaned["points"])
        except ValidationError as exc:
            self.add_error("answers", exc)
        return cleaned


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Tên danh mục"), max_length=255)
    parent = forms.ModelChoiceField(
        label=_("Thuộc danh mục"), required=False, queryset=QuestionCategory.objects.none()
    )
    owner_unit = forms.ModelChoiceField(label=_("Đơn vị sở hữu"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(actor)
        self.fields["owner_unit"].queryset = units
        self.fields["parent"].queryset = QuestionCategory.objects.filter(owner_unit__in=units)


class ImportForm(forms.Form):
    FORMATS = [
        ("gift", "GIFT"),
        ("aiken", "Aiken"),
        ("moodlexml", "Moodle XML"),
        ("xlsx", _("Mẫu XLSX")),
    ]
    file = forms.FileField(label=_("Tệp câu hỏi"))
    format = forms.ChoiceField(label=_("Định dạng"), choices=FORMATS)
    category = forms.CharField(
        label=_("Danh mục đích (ví dụ: Nghị quyết 4/Nhóm 1)"), max_length=255
    )
    owner_unit = forms.ModelChoiceField(label=_("Đơn vị sở hữu"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = Unit.objects.visible_to(actor)


class FixKeyForm(forms.Form):
    answers = forms.CharField(
        label=_("Đáp án đã sửa"), help_text=ANSWER_HELP, widget=forms.Textarea(attrs={"rows": 8})
    )
    reason = forms.CharField(label=_("Lý do sửa đáp án (ghi vào nhật ký)"), max_length=500)


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
            "expiry",
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

    # Durations are stored in seconds and entered in minutes.
    time_limit_minutes = forms.IntegerField(
        label=_("Thời gian làm bài (phút)"),
        required=False,
        min_value=1,
        max_value=7 * 24 * 60,
        help_text=_("Để trống: không giới hạn. Ví dụ 90 là 1 giờ 30 phút."),
    )
    grace_minutes = forms.IntegerField(
        label=_("Thời gian ân hạn để nộp bài (phút)"),
        required=False,
        min_value=0,
        max_value=24 * 60,
        help_text=_("Chỉ dùng khi hết giờ cho thêm thời gian để nộp bài."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = Unit.objects.visible_to(actor)
        self.fields["owner_unit"].required = True
        if self.instance.pk:
            limit = self.instance.time_limit
            self.initial.setdefault("time_limit_minutes", -(-limit // 60) if limit else None)
            self.initial.setdefault("grace_minutes", -(-self.instance.grace_seconds // 60))
        order = list(self.fields)
        for name in ("grace_minutes", "time_limit_minutes"):
            order.remove(name)
            order.insert(order.index("expiry"), name)
        order.remove("grace_minutes")
        order.insert(order.index("expiry") + 1, "grace_minutes")
        self.order_fields(order)

    def save(self, commit: bool = True) -> Quiz:
        quiz = super().save(commit=False)
        minutes = self.cleaned_data.get("time_limit_minutes")
        quiz.time_limit = minutes * 60 if minutes else None
        quiz.grace_seconds = (self.cleaned_data.get("grace_minutes") or 0) * 60
        if commit:
            quiz.save()
        return quiz

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            cleaned.get("open_at")
            and cleaned.get("close_at")
            and cleaned["close_at"] <= cleaned["open_at"]
        ):
            self.add_error("close_at", _("Thời điểm đóng phải sau thời điểm mở."))
        return cleaned


class BankFilterForm(forms.Form):
    """The builder's bank panel (GET): every field optional."""

    q = forms.CharField(
        label=_("Tìm trong nội dung"),
        required=False,
        max_length=200,
        help_text=_("Không cần gõ dấu: “sinh hoat” tìm được “sinh hoạt”."),
    )
    category = forms.ModelChoiceField(
        label=_("Danh mục"), required=False, queryset=QuestionCategory.objects.none()
    )
    sub = forms.BooleanField(label=_("Gồm cả danh mục con"), required=False, initial=True)
    tag = forms.ModelChoiceField(label=_("Thẻ"), required=False, queryset=Tag.objects.none())
    type = forms.ChoiceField(
        label=_("Loại câu hỏi"),
        required=False,
        choices=[("", _("Mọi loại")), *QuestionType.choices],
    )
    unused = forms.BooleanField(label=_("Chỉ câu chưa có trong bài"), required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = QuestionCategory.objects.visible_to(actor)
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = _indented  # type: ignore[attr-defined]
        self.fields["tag"].queryset = Tag.objects.filter(
            questions__category__in=categories
        ).distinct()


def _indented(category: QuestionCategory) -> str:
    return "— " * category.depth + category.name


class RandomSlotForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Rút từ danh mục"), queryset=QuestionCategory.objects.none()
    )
    include_subcategories = forms.BooleanField(
        label=_("Gồm cả danh mục con"), required=False, initial=True
    )
    tag = forms.ModelChoiceField(
        label=_("Chỉ câu có thẻ"), required=False, queryset=Tag.objects.none()
    )
    count = forms.IntegerField(label=_("Số câu rút"), min_value=1, max_value=200, initial=1)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = QuestionCategory.objects.visible_to(actor)
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = _indented  # type: ignore[attr-defined]
        self.fields["tag"].queryset = Tag.objects.filter(
            questions__category__in=categories
        ).distinct()


class SlotForm(forms.Form):
    """Points of one item (empty: each question's own) and a page break after it."""

    points = forms.DecimalField(
        label=_("Điểm mỗi câu"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=1000,
        max_digits=7,
        decimal_places=2,
        localize=True,  # "2,5" in Vietnamese
    )
    page_break_after = forms.BooleanField(label=_("Sang trang mới sau mục này"), required=False)


class MaxGradeForm(forms.Form):
    max_grade = forms.DecimalField(
        label=_("Điểm tối đa của bài"),
        min_value=Decimal("0.01"),
        max_value=10000,
        max_digits=7,
        decimal_places=2,
        localize=True,
    )


class GradeForm(forms.Form):
    points = forms.DecimalField(label=_("Điểm"), min_value=0, max_digits=7, decimal_places=2)
    comment = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Lý do (khi sửa điểm đã chấm)"), required=False, max_length=500
    )


class OverrideForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập của học viên"), max_length=150)
    extra_minutes = forms.IntegerField(label=_("Thêm thời gian (phút)"), min_value=0, initial=0)
    extra_attempts = forms.IntegerField(label=_("Thêm lượt làm bài"), min_value=0, initial=0)
