from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from courses.models import Course, Module
from training import services
from training.models import AttendanceRule, TrainingSession

from ...forms import UnitChoiceField

DT_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DT_FORMAT, **kwargs)


class ModuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, module: Module) -> str:
        return f"{module.course.code} · {module.title}"


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Khóa học"), queryset=Course.objects.none())
    module = ModuleChoiceField(
        label=_("Học phần (không bắt buộc)"), queryset=Module.objects.none(), required=False
    )
    title = forms.CharField(label=_("Tên buổi tập huấn"), max_length=255)
    topic = forms.CharField(
        label=_("Chuyên đề"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    speakers = forms.CharField(label=_("Báo cáo viên"), max_length=255, required=False)
    venue = forms.CharField(label=_("Địa điểm"), max_length=255)
    starts_at = forms.DateTimeField(
        label=_("Bắt đầu"), widget=DateTimeLocal(), input_formats=[DT_FORMAT, "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Kết thúc"), widget=DateTimeLocal(), input_formats=[DT_FORMAT, "%Y-%m-%d %H:%M"]
    )
    capacity = forms.IntegerField(
        label=_("Số chỗ"), min_value=1, required=False, help_text=_("Để trống nếu không giới hạn.")
    )
    checkin_opens_minutes = forms.IntegerField(
        label=_("Mở điểm danh trước giờ bắt đầu (phút)"), min_value=0, max_value=720, initial=30
    )
    invited_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được mời"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mời một đơn vị là mời mọi học viên thuộc đơn vị đó và các đơn vị trực thuộc."),
    )

    def __init__(
        self, *args: Any, actor: User, session: TrainingSession | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        courses = services.courses_for_sessions(actor).order_by("title")
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
        self.fields["module"].queryset = (  # type: ignore[attr-defined]
            Module.objects.filter(course__in=courses)
            .select_related("course")
            .order_by("course__title", "order")
        )
        units = self.fields["invited_units"]
        units.queryset = Unit.objects.visible_to(actor).order_by("path")  # type: ignore[attr-defined]
        units.label_from_instance = UnitChoiceField.label_from_instance.__get__(units)  # type: ignore[attr-defined]
        if session is not None:
            self.fields["course"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Giờ kết thúc phải sau giờ bắt đầu."))
        module, course = data.get("module"), data.get("course")
        if module and course and module.course_id != course.pk:
            self.add_error("module", _("Học phần không thuộc khóa học này."))
        return data

    def session_data(self) -> services.SessionData:
        d = self.cleaned_data
        return services.SessionData(
            title=d["title"],
            venue=d["venue"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            topic=d.get("topic") or "",
            speakers=d.get("speakers") or "",
            capacity=d.get("capacity"),
            module=d.get("module"),
            checkin_opens_minutes=d.get("checkin_opens_minutes") or 0,
        )


def initial_for(session: TrainingSession) -> dict[str, Any]:
    return {
        "course": session.course_id,
        "module": session.module_id,
        "title": session.title,
        "topic": session.topic,
        "speakers": session.speakers,
        "venue": session.venue,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "capacity": session.capacity,
        "checkin_opens_minutes": session.checkin_opens_minutes,
        "invited_units": list(session.invited_units.all()),
    }


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do không tham dự"),
        max_length=2000,
        widget=forms.TextInput(attrs={"list": "decline-reasons"}),
        error_messages={"required": _("Hãy nhập lý do không tham dự.")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy nhập lý do hủy.")},
    )


MAX_MATERIAL_BYTES = 20 * 1024 * 1024


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255)
    file = forms.FileField(label=_("Tệp"), required=False)
    url = forms.URLField(label=_("hoặc liên kết"), required=False, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, url = data.get("file"), data.get("url")
        if not upload and not url:
            raise forms.ValidationError(_("Hãy chọn một tệp hoặc nhập một liên kết."))
        if upload and url:
            raise forms.ValidationError(_("Chỉ chọn tệp hoặc liên kết, không cả hai."))
        if upload and upload.size > MAX_MATERIAL_BYTES:
            self.add_error("file", _("Tệp quá lớn (tối đa 20 MB)."))
        return data


class AttendanceRuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại yêu cầu"), choices=AttendanceRule.Kind.choices)
    minimum = forms.IntegerField(label=_("Mức tối thiểu"), min_value=1, max_value=1000)
    module = forms.ModelChoiceField(
        label=_("Chỉ tính buổi của học phần"), queryset=Module.objects.none(), required=False
    )

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = course.modules.order_by("order")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("kind") == AttendanceRule.Kind.HOURS_PERCENT
            and (data.get("minimum") or 0) > 100
        ):
            self.add_error("minimum", _("Tỷ lệ tối đa là 100%."))
        return data
