"""Survey models (app label "training"; imported by training.models)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.text import nfc


class SurveyQuerySet(models.QuerySet["Survey"]):
    def editable_by(self, user: Any) -> SurveyQuerySet:
        """Surveys of the courses a trainer authors (any course for a superuser)."""
        from courses.models import Course

        if not user.is_authenticated or not user.is_trainer:
            return self.none()
        return self.filter(course__in=Course.objects.editable_by(user))

    def results_visible_to(self, user: Any) -> SurveyQuerySet:
        """Who may read a survey's (aggregate) results: its course's authors,
        and admins who see the course."""
        from courses.models import Course

        if not user.is_authenticated or not user.is_trainer:
            return self.none()
        if user.is_unit_admin:
            return self.filter(course__in=Course.objects.visible_to(user))
        return self.editable_by(user)


class Survey(models.Model):
    """A phiếu đánh giá of a session (session set) or of a whole course (session empty)."""

    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("khóa học"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    session = models.ForeignKey(
        "training.TrainingSession",
        verbose_name=_("buổi tập huấn"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
        help_text=_("Để trống: phiếu đánh giá cuối khóa học."),
    )
    title = models.CharField(_("tên phiếu"), max_length=255)
    intro = models.TextField(_("lời dẫn"), blank=True)
    is_open = models.BooleanField(_("đang nhận phiếu"), default=True)
    required = models.BooleanField(
        _("bắt buộc để hoàn thành khóa học"),
        default=False,
        help_text=_("Học viên phải điền phiếu này thì khóa học mới được tính là hoàn thành."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["course", "pk"]
        verbose_name = _("phiếu đánh giá")
        verbose_name_plural = _("phiếu đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(session__isnull=False), name="one_survey_a_session"
            ),
            models.UniqueConstraint(
                fields=["course"], condition=Q(session__isnull=True), name="one_course_survey"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title).strip()
        self.intro = nfc(self.intro)
        super().save(*args, **kwargs)


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("Thang điểm 1–5")
        CHOICE = "choice", _("Chọn một phương án")
        TEXT = "text", _("Trả lời tự do")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("loại câu hỏi"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("nội dung câu hỏi"), max_length=500)
    # The options of a single-choice question, in order (answers store the index).
    choices = models.JSONField(_("phương án"), default=list, blank=True)
    required = models.BooleanField(_("bắt buộc trả lời"), default=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("câu hỏi đánh giá")
        verbose_name_plural = _("câu hỏi đánh giá")

    def __str__(self) -> str:
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text = nfc(self.text).strip()
        self.choices = [nfc(str(c)).strip() for c in self.choices or [] if str(c).strip()]
        super().save(*args, **kwargs)


class SurveySubmission(models.Model):
    """That a learner has answered (never what): one per learner per survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_submissions"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt điền phiếu")
        verbose_name_plural = _("lượt điền phiếu")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="one_submission_a_learner")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.survey}"


class SurveyResponse(models.Model):
    """What someone answered, with no link to who: no user, no time, and a
    random id, so neither a column nor the insertion order ties it to a
    `SurveySubmission`. The unit is kept for grouping only (shown when the
    group has enough answers). `answers` maps a question id (as a string) to
    1–5 (Likert), an option index (single choice) or a text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        indexes = [models.Index(fields=["survey", "unit"])]

    def __str__(self) -> str:
        return str(self.survey)
