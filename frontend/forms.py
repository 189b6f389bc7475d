from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return "\u2003" * (unit.depth - 1) + f"{unit.name} ({unit.code})"


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    code = forms.CharField(label=_("Mã đơn vị"), max_length=50)
    kind = forms.ChoiceField(label=_("Loại"), choices=Unit.Kind.choices)
    place = forms.CharField(
        label=_("Địa danh"),
        max_length=100,
        required=False,
        help_text=_(
            "Dùng cho dòng “..., ngày ... tháng ... năm ...” của giấy chứng nhận. "
            "Để trống: theo đơn vị cấp trên."
        ),
    )
    parent = UnitChoiceField(label=_("Trực thuộc"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, actor: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.visible_to(actor).order_by("path")
        if editing:
            del self.fields["parent"]


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Mật khẩu"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Để trống nếu không đổi. Người dùng có thể tự đặt lại qua email."),
    )
    grants = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phụ trách"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ dành cho báo cáo viên và quản trị: phụ trách cả các đơn vị trực thuộc."),
    )

    class Meta:
        model = User
        fields = ["full_name", "username", "email", "phone", "unit", "role", "appointment_date"]
        widgets = {"appointment_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"unit": UnitChoiceField}

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(actor).order_by("path")
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        unit_field.required = True
        grants = self.fields["grants"]
        assert isinstance(grants, forms.ModelMultipleChoiceField)
        grants.queryset = units
        grants.label_from_instance = UnitChoiceField.label_from_instance.__get__(grants)  # type: ignore[method-assign]
        if self.instance.pk:
            self.fields["grants"].initial = list(
                self.instance.grants.values_list("unit", flat=True)
            )
        if not actor.is_superuser and not actor.is_unit_admin:
            self.fields["role"].choices = [(User.Role.LEARNER, User.Role.LEARNER.label)]

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if password:
            from django.contrib.auth.password_validation import validate_password

            validate_password(password, self.instance)
        return password


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp XLSX hoặc CSV"),
        help_text=_(
            "Các cột: họ và tên, tên đăng nhập, email, điện thoại, "
            "đơn vị (mã hoặc đường dẫn), vai trò, ngày bổ nhiệm."
        ),
    )
