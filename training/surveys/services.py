"""Survey workflows: author from a template, answer once, anonymously."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.text import nfc

from .models import Survey, SurveyQuestion, SurveyResponse, SurveySubmission
from .templates import default_questions

if TYPE_CHECKING:
    from accounts.models import User
    from courses.models import Course
    from training.models import TrainingSession

TEXT_MAX = 2000


def _check_author(actor: User, course: Course) -> None:
    from courses.models import Course

    if not Course.objects.editable_by(actor).filter(pk=course.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền soạn phiếu đánh giá cho khóa học này."))


@transaction.atomic
def create_survey(
    *,
    actor: User,
    course: Course,
    session: TrainingSession | None = None,
    title: str = "",
    source: Survey | None = None,
    required: bool = False,
) -> Survey:
    """A survey for a session (or the course's end) with the questions of
    `source` (another survey the actor may edit) or of the default template."""
    _check_author(actor, course)
    if session is not None and session.course_id != course.pk:
        raise ValidationError({"session": _("Buổi tập huấn không thuộc khóa học này.")})
    taken = Survey.objects.filter(course=course, session=session)
    if taken.exists():
        raise ValidationError(
            {
                "session": _("Buổi tập huấn này đã có phiếu đánh giá.")
                if session
                else _("Khóa học này đã có phiếu đánh giá cuối khóa.")
            }
        )
    if not title:
        title = (
            _("Phiếu đánh giá buổi tập huấn “%(title)s”") % {"title": session.title}
            if session
            else _("Phiếu đánh giá cuối khóa “%(title)s”") % {"title": course.title}
        )
    survey = Survey.objects.create(
        course=course, session=session, title=title[:255], required=required, created_by=actor
    )
    if source is not None:
        if not Survey.objects.editable_by(actor).filter(pk=source.pk).exists():
            raise PermissionDenied(_("Bạn không có quyền dùng phiếu mẫu này."))
        questions = [
            {"kind": q.kind, "text": q.text, "choices": q.choices, "required": q.required}
            for q in source.questions.all()
        ]
    else:
        questions = default_questions()
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            survey=survey,
            position=n,
            kind=q["kind"],
            text=nfc(q["text"]),
            choices=q.get("choices", []),
            required=q.get("required", True),
        )
        for n, q in enumerate(questions)
    )
    return survey


def check_editable(survey: Survey) -> None:
    """Questions are fixed once someone has answered: the answers refer to them."""
    if survey.submissions.exists():
        raise ValidationError(
            _("Đã có người điền phiếu nên không thể sửa câu hỏi. Hãy tạo phiếu mới nếu cần.")
        )


@transaction.atomic
def add_question(
    *, actor: User, survey: Survey, kind: str, text: str, choices: list[str], required: bool
) -> SurveyQuestion:
    _check_author(actor, survey.course)
    check_editable(survey)
    text = nfc(text or "").strip()
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung câu hỏi.")})
    if kind not in SurveyQuestion.Kind.values:
        raise ValidationError({"kind": _("Loại câu hỏi không hợp lệ.")})
    choices = [nfc(c).strip() for c in choices if c and c.strip()]
    if kind == SurveyQuestion.Kind.CHOICE and len(choices) < 2:
        raise ValidationError({"choices": _("Câu hỏi chọn một phương án cần ít nhất 2 phương án.")})
    if kind != SurveyQuestion.Kind.CHOICE:
        choices = []
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    return SurveyQuestion.objects.create(
        survey=survey,
        kind=kind,
        text=text[:500],
        choices=choices,
        required=required,
        position=(last or 0) + 1,
    )


@transaction.atomic
def delete_question(*, actor: User, question: SurveyQuestion) -> None:
    _check_author(actor, question.survey.course)
    check_editable(question.survey)
    question.delete()


# ------------------------------------------------------------------ answering


def answerable_q(user: User) -> Q:
    """Surveys a learner may fill: a session's once they attended it, the
    course's while they are enrolled."""
    from courses.models import Enrollment
    from training.models import Attendance

    attended = Attendance.objects.filter(user=user, status__in=Attendance.ATTENDED).values(
        "session_id"
    )
    enrolled = Enrollment.objects.filter(user=user, status=Enrollment.Status.ACTIVE).values(
        "course_id"
    )
    return Q(is_open=True) & (
        Q(session__isnull=False, session_id__in=attended)
        | Q(session__isnull=True, course_id__in=enrolled)
    )


def answerable(user: User) -> QuerySet[Survey]:
    """Open surveys the learner may fill and has not filled yet."""
    if not user.is_authenticated:
        return Survey.objects.none()
    return (
        Survey.objects.filter(answerable_q(user))
        .exclude(submissions__user=user)
        .select_related("course", "session")
        .order_by("pk")
    )


def may_answer(user: User, survey: Survey) -> bool:
    return Survey.objects.filter(answerable_q(user), pk=survey.pk).exists()


def clean_answers(survey: Survey, data: Any) -> dict[str, Any]:
    """Form or JSON data (`q<id>` or `<id>` keys) → {question id: value};
    a ValidationError names every question that is wrong."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for q in survey.questions.all():
        key = f"q{q.pk}"
        raw = data.get(key, data.get(str(q.pk)))
        if isinstance(raw, str):
            raw = raw.strip()
        if raw in (None, ""):
            if q.required:
                errors[key] = _("Hãy trả lời câu hỏi này.")
            continue
        if q.kind == SurveyQuestion.Kind.TEXT:
            text = nfc(str(raw)).strip()
            if len(text) > TEXT_MAX:
                errors[key] = _("Câu trả lời dài quá %(n)s ký tự.") % {"n": TEXT_MAX}
                continue
            answers[str(q.pk)] = text
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = -1
        top = 5 if q.kind == SurveyQuestion.Kind.LIKERT else len(q.choices) - 1
        low = 1 if q.kind == SurveyQuestion.Kind.LIKERT else 0
        if isinstance(raw, bool) or not low <= value <= top:
            errors[key] = _("Lựa chọn không hợp lệ.")
            continue
        answers[str(q.pk)] = value
    if errors:
        raise ValidationError(errors)
    return answers


@transaction.atomic
def submit_response(*, user: User, survey: Survey, data: Any) -> SurveySubmission:
    """Record that the learner answered, and (separately, unlinked) what.

    Both rows in one transaction: a learner who is refused as a second
    answer leaves no answers behind. A required survey may complete the course.
    """
    if not may_answer(user, survey):
        raise PermissionDenied(_("Phiếu đánh giá này không dành cho đồng chí hoặc đã đóng."))
    answers = clean_answers(survey, data)
    try:
        with transaction.atomic():
            submission = SurveySubmission.objects.create(survey=survey, user=user)
    except IntegrityError:
        raise ValidationError(_("Đồng chí đã điền phiếu đánh giá này rồi.")) from None
    SurveyResponse.objects.create(survey=survey, unit_id=user.unit_id, answers=answers)
    if survey.required:
        _recheck_completion(user, survey)
    return submission


def _recheck_completion(user: User, survey: Survey) -> None:
    from courses.services import recheck_learners

    recheck_learners(course_id=survey.course_id, user_ids=[user.pk])
