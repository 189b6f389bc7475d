from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from courses.models import Assignment, Course
from quizzes.models import Quiz


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return "— " * (unit.depth - 1) + f"{unit.name} ({unit.code})"


def _quizzes_for(actor: User) -> Any:
    manager = Quiz.objects
    qs = manager.visible_to(actor) if hasattr(manager, "visible_to") else manager.all()
    return qs.order_by("title")


class CourseForm(forms.Form):
    code = forms.CharField(label=_("Mã khóa học"), max_length=50)
    title = forms.CharField(label=_("Tên khóa học"), max_length=255)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea, required=False)
    tags = forms.CharField(
        label=_("Chủ đề"),
        required=False,
        max_length=500,
        help_text=_("Các chủ đề cách nhau bởi dấu phẩy."),
    )
    owner_unit = UnitChoiceField(label=_("Đơn vị quản lý"), queryset=Unit.objects.none())
    issuing_unit = UnitChoiceField(
        label=_("Đơn vị cấp giấy chứng nhận"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Để trống: dùng đơn vị quản lý."),
    )
    validity_months = forms.IntegerField(
        label=_("Thời hạn hiệu lực (tháng)"),
        required=False,
        min_value=1,
        max_value=240,
        help_text=_("Để trống nếu giấy chứng nhận không hết hạn."),
    )
    sequential = forms.BooleanField(
        label=_("Học tuần tự (mở học phần sau khi hoàn thành học phần trước)"), required=False
    )
    self_enrol = forms.BooleanField(label=_("Khóa học mở (cho phép tự ghi danh)"), required=False)
    final_exam = forms.ModelChoiceField(
        label=_("Bài kiểm tra cuối khóa"), queryset=Quiz.objects.none(), required=False
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(actor).order_by("path")
        for name in ("owner_unit", "issuing_unit"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = units
        exam = self.fields["final_exam"]
        assert isinstance(exam, forms.ModelChoiceField)
        exam.queryset = _quizzes_for(actor)

    @staticmethod
    def initial_for(course: Course) -> dict[str, Any]:
        return {
            "code": course.code,
            "title": course.title,
            "description": course.description,
            "tags": ", ".join(course.tags),
            "owner_unit": course.owner_unit_id,
            "issuing_unit": course.issuing_unit_id,
            "validity_months": course.validity_months,
            "sequential": course.sequential,
            "self_enrol": course.self_enrol,
            "final_exam": course.final_exam_id,
        }

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = [t.strip() for t in data["tags"].split(",") if t.strip()]
        return data


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Tên học phần"), max_length=255)
    quiz = forms.ModelChoiceField(
        label=_("Bài kiểm tra của học phần"), queryset=Quiz.objects.none(), required=False
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quiz = self.fields["quiz"]
        assert isinstance(quiz, forms.ModelChoiceField)
        quiz.queryset = _quizzes_for(actor)


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Tên bài học"), max_length=255)
    body = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
        help_text=_("Viết bằng Markdown: **đậm**, *nghiêng*, danh sách bắt đầu bằng “- ”."),
    )
    video_url = forms.URLField(label=_("Liên kết video"), required=False, assume_scheme="https")


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp đính kèm"), help_text=_("PDF, Word (DOCX), PNG hoặc JPEG; tối đa 20 MB.")
    )


class AssignmentForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    deadline_kind = forms.ChoiceField(
        label=_("Hạn hoàn thành"),
        choices=Assignment.DeadlineKind.choices,
        widget=forms.RadioSelect,
        initial=Assignment.DeadlineKind.RELATIVE,
    )
    due_date = forms.DateField(
        label=_("Ngày hết hạn (nếu chọn ngày cố định)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    due_days = forms.IntegerField(
        label=_("Số ngày sau ngày bổ nhiệm (nếu chọn hạn tương đối)"),
        required=False,
        min_value=1,
        max_value=3650,
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.visible_to(actor).order_by("path")


class BulkEnrolForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (XLSX hoặc CSV)"),
        help_text=_("Cột “Tên đăng nhập” (bắt buộc) và “Hạn hoàn thành” (dd/mm/yyyy, tùy chọn)."),
    )


class UnitEnrolForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        help_text=_("Gồm cả các đơn vị trực thuộc."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.visible_to(actor).order_by("path")
