"""Trainer pages: a course's surveys (author from a template), editing the
questions, aggregate results with charts and their XLSX.

Learners get a 404 everywhere here; trainers reach the surveys of the
courses they author, admins those of the courses they see.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Unit
from accounts.text import fold
from config.ids import parse_id
from courses.models import Course
from courses.reports.builders import _authority
from training.models import TrainingSession
from training.surveys import MIN_RESPONSES, services
from training.surveys.exports import results_xlsx
from training.surveys.models import Survey, SurveyQuestion
from training.surveys.results import course_summary, survey_results, unit_groups

from ..courses.common import error_text
from .charts import hbars


def _require_trainer(request: HttpRequest) -> Any:
    if not request.user.is_authenticated or not request.user.is_trainer:  # type: ignore[union-attr]
        raise Http404
    return request.user


def _course(request: HttpRequest, pk: int) -> Course:
    user = _require_trainer(request)
    qs = Course.objects.editable_by(user)
    if user.is_unit_admin:
        qs = Course.objects.visible_to(user)
    return get_object_or_404(qs.select_related("owner_unit"), pk=pk)


def _survey(request: HttpRequest, pk: int, *, edit: bool = False) -> Survey:
    user = _require_trainer(request)
    qs = Survey.objects.editable_by(user) if edit else Survey.objects.results_visible_to(user)
    return get_object_or_404(qs.select_related("course", "session"), pk=pk)


class SurveyCreateForm(forms.Form):
    session = forms.ChoiceField(label=gettext_lazy("Phiếu đánh giá cho"))
    source = forms.ChoiceField(label=gettext_lazy("Mẫu câu hỏi"), required=False)
    required = forms.BooleanField(
        label=gettext_lazy("Bắt buộc điền để hoàn thành khóa học"), required=False
    )

    def __init__(self, *args: Any, course: Course, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = set(Survey.objects.filter(course=course).values_list("session_id", flat=True))
        choices = []
        if None not in taken:
            choices.append(("", _("Cuối khóa học")))
        for s in TrainingSession.objects.filter(course=course).order_by("starts_at"):
            if s.pk not in taken:
                label = f"{s.title} — {timezone.localtime(s.starts_at):%d/%m/%Y %H:%M}"
                choices.append((str(s.pk), label))
        self.fields["session"].choices = choices
        self.fields["source"].choices = [
            ("", _("Mẫu mặc định (5 câu thang điểm, 1 câu chọn, 1 câu ý kiến)"))
        ] + [
            (str(s.pk), _("Chép câu hỏi của: %(title)s") % {"title": s.title})
            for s in Survey.objects.editable_by(user).order_by("-pk")[:50]
        ]


@login_required
def course_surveys(request: HttpRequest, pk: int) -> HttpResponse:
    """A course's sessions and surveys: counts, averages (when shown), the
    attendance sheets, and the form that creates a survey from a template."""
    course = _course(request, pk)
    user = request.user
    can_edit = Course.objects.editable_by(user).filter(pk=course.pk).exists()  # type: ignore[arg-type]
    form = SurveyCreateForm(request.POST or None, course=course, user=user) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            session = (
                TrainingSession.objects.filter(
                    course=course, pk=parse_id(form.cleaned_data["session"])
                ).first()
                if form.cleaned_data["session"]
                else None
            )
            source = (
                Survey.objects.editable_by(user)
                .filter(pk=parse_id(form.cleaned_data["source"]))
                .first()
                if form.cleaned_data["source"]
                else None
            )
            try:
                survey = services.create_survey(
                    actor=user,  # type: ignore[arg-type]
                    course=course,
                    session=session,
                    source=source,
                    required=form.cleaned_data["required"],
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Đã tạo phiếu đánh giá. Hãy xem lại các câu hỏi."))
                return redirect("frontend:survey-edit", survey.pk)
    summary = course_summary(course)
    by_session = {s.survey.session_id: s for s in summary}
    sessions = list(TrainingSession.objects.filter(course=course).order_by("starts_at", "pk"))
    chart_rows = [
        (
            s.survey.session.title if s.survey.session else _("Cuối khóa"),
            s.mean,
            f"{s.mean:.2f}".replace(".", ","),
        )
        for s in summary
        if s.mean is not None
    ]
    return render(
        request,
        "frontend/surveys/course.html",
        {
            "course": course,
            "can_edit": can_edit,
            "form": form,
            "sessions": [(s, by_session.get(s.pk)) for s in sessions],
            "course_survey": by_session.get(None),
            "chart": hbars(chart_rows, 5) if chart_rows else None,
            "minimum": MIN_RESPONSES,
        },
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại câu hỏi"), choices=SurveyQuestion.Kind.choices
    )
    text = forms.CharField(label=gettext_lazy("Nội dung câu hỏi"), max_length=500)
    choices = forms.CharField(
        label=gettext_lazy("Phương án (mỗi dòng một phương án)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Chỉ dùng cho câu hỏi chọn một phương án."),
    )
    required = forms.BooleanField(
        label=gettext_lazy("Bắt buộc trả lời"), required=False, initial=True
    )


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "is_open", "required"]


@login_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, edit=True)
    settings_form = SurveySettingsForm(instance=survey)
    question_form = QuestionForm()
    if request.method == "POST":
        if request.POST.get("action") == "question":
            question_form = QuestionForm(request.POST)
            if question_form.is_valid():
                data = question_form.cleaned_data
                try:
                    services.add_question(
                        actor=request.user,  # type: ignore[arg-type]
                        survey=survey,
                        kind=data["kind"],
                        text=data["text"],
                        choices=data["choices"].splitlines(),
                        required=data["required"],
                    )
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for field, errs in exc.message_dict.items():
                            question_form.add_error(
                                field if field in question_form.fields else None, errs
                            )
                    else:
                        question_form.add_error(None, exc.messages)
                else:
                    messages.success(request, _("Đã thêm câu hỏi."))
                    return redirect("frontend:survey-edit", survey.pk)
        else:
            settings_form = SurveySettingsForm(request.POST, instance=survey)
            if settings_form.is_valid():
                settings_form.save()
                messages.success(request, _("Đã lưu phiếu đánh giá."))
                return redirect("frontend:survey-edit", survey.pk)
    return render(
        request,
        "frontend/surveys/edit.html",
        {
            "survey": survey,
            "settings_form": settings_form,
            "question_form": question_form,
            "questions": list(survey.questions.all()),
            "locked": survey.submissions.exists(),
            "submissions": survey.submissions.count(),
        },
    )


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey(request, pk, edit=True)
    question = get_object_or_404(SurveyQuestion, pk=question_pk, survey=survey)
    try:
        services.delete_question(actor=request.user, question=question)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã xóa câu hỏi."))
    return redirect("frontend:survey-edit", survey.pk)


def _group(request: HttpRequest) -> Unit | None:
    raw = request.GET.get("unit")
    if not raw:
        return None
    unit = Unit.objects.visible_to(request.user).filter(pk=parse_id(raw)).first()  # type: ignore[arg-type]
    if unit is None:
        raise Http404
    return unit


@login_required
def survey_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    unit = _group(request)
    results = survey_results(survey, unit=unit)
    charts = []
    if results is not None:
        for q in results.questions:
            chart = None
            if q.options:
                chart = hbars(
                    [(o.label, o.count, f"{o.count} ({o.share:.0f}%)") for o in q.options],
                    max([o.count for o in q.options] + [1]),
                )
            charts.append((q, chart))
    return render(
        request,
        "frontend/surveys/results.html",
        {
            "survey": survey,
            "unit": unit,
            "results": results,
            "charts": charts,
            "groups": unit_groups(survey, request.user),  # type: ignore[arg-type]
            "submissions": survey.submissions.count(),
            "minimum": MIN_RESPONSES,
        },
    )


@login_required
def survey_results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    unit = _group(request)
    results = survey_results(survey, unit=unit)
    if results is None:
        messages.error(
            request,
            _("Chưa đủ %(n)s phiếu trong nhóm này nên chưa thể xuất kết quả.")
            % {"n": MIN_RESPONSES},
        )
        url = redirect("frontend:survey-results", survey.pk).url
        return redirect(f"{url}?unit={unit.pk}" if unit else url)
    authority, unit_name, place = _authority(request.user, unit or survey.course.owner_unit)  # type: ignore[arg-type]
    content = results_xlsx(results, authority=authority, unit_name=unit_name, place=place)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = slugify(fold(survey.title))[:50] or "phieu-danh-gia"
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{name}.xlsx"'
    return response
