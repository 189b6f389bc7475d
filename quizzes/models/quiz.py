from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.text import nfc

from .bank import QuestionCategory, Tag, shared_scope_q

if TYPE_CHECKING:
    from accounts.models import User


class ReviewWhen(models.TextChoices):
    NEVER = "never", _("Không bao giờ")
    AFTER_SUBMIT = "after_submit", _("Ngay sau khi nộp bài")
    AFTER_CLOSE = "after_close", _("Sau khi bài kiểm tra đóng")


class QuizQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> QuizQuerySet:
        """Quizzes a trainer may read (own subtree and shared from ancestors)."""
        q = shared_scope_q(user)
        return self if q is None else self.filter(q)


class Quiz(models.Model):
    """A quiz paired with a module or used as a course's final exam.

    The quiz engine (issue 4) grows this model; courses only refers to it.
    """

    title = models.CharField(_("tên bài kiểm tra"), max_length=255)
    owner_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("đơn vị sở hữu"),
        on_delete=models.PROTECT,
        related_name="quizzes",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Expiry(models.TextChoices):
        AUTO_SUBMIT = "auto_submit", _("Tự động nộp bài")
        GRACE = "grace", _("Cho thêm thời gian chỉ để nộp bài")

    class Grading(models.TextChoices):
        HIGHEST = "highest", _("Điểm cao nhất")
        LATEST = "latest", _("Lượt cuối cùng")
        AVERAGE = "average", _("Điểm trung bình")
        FIRST = "first", _("Lượt đầu tiên")

    class Navigation(models.TextChoices):
        FREE = "free", _("Tự do")
        SEQUENTIAL = "sequential", _("Tuần tự")

    description = models.TextField(_("hướng dẫn"), blank=True)
    is_published = models.BooleanField(_("đã công bố"), default=True)
    open_at = models.DateTimeField(_("thời điểm mở"), null=True, blank=True)
    close_at = models.DateTimeField(_("thời điểm đóng"), null=True, blank=True)
    # Durations are stored in seconds (the API speaks seconds, documented there);
    # people enter and read them in minutes (frontend forms, templatetag `minutes`).
    time_limit = models.PositiveIntegerField(
        _("thời gian làm bài"),
        null=True,
        blank=True,
        help_text=_("Tính bằng giây. Để trống: không giới hạn."),
    )
    expiry = models.CharField(
        _("khi hết giờ"), max_length=20, choices=Expiry.choices, default=Expiry.AUTO_SUBMIT
    )
    grace_seconds = models.PositiveIntegerField(
        _("thời gian ân hạn"), default=0, help_text=_("Tính bằng giây.")
    )
    attempts_allowed = models.PositiveIntegerField(
        _("số lượt được làm"), default=1, help_text=_("0: không giới hạn.")
    )
    grading_method = models.CharField(
        _("cách tính điểm"), max_length=20, choices=Grading.choices, default=Grading.HIGHEST
    )
    pass_percent = models.DecimalField(
        _("điểm đạt (%)"), max_digits=5, decimal_places=2, default=Decimal(50)
    )
    shuffle_questions = models.BooleanField(_("xáo trộn câu hỏi"), default=False)
    shuffle_choices = models.BooleanField(_("xáo trộn phương án"), default=True)
    navigation = models.CharField(
        _("cách di chuyển"), max_length=20, choices=Navigation.choices, default=Navigation.FREE
    )
    per_page = models.PositiveIntegerField(
        _("số câu mỗi trang"), default=0, help_text=_("0: tất cả trên một trang.")
    )
    review_score = models.CharField(
        _("xem điểm"), max_length=20, choices=ReviewWhen.choices, default=ReviewWhen.AFTER_SUBMIT
    )
    review_correctness = models.CharField(
        _("xem đúng/sai"),
        max_length=20,
        choices=ReviewWhen.choices,
        default=ReviewWhen.AFTER_SUBMIT,
    )
    review_answers = models.CharField(
        _("xem đáp án đúng"),
        max_length=20,
        choices=ReviewWhen.choices,
        default=ReviewWhen.AFTER_CLOSE,
    )
    review_feedback = models.CharField(
        _("xem nhận xét"),
        max_length=20,
        choices=ReviewWhen.choices,
        default=ReviewWhen.AFTER_SUBMIT,
    )
    max_grade = models.DecimalField(
        _("điểm tối đa của bài"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(10),
        help_text=_("Thang điểm báo cho học viên, ví dụ 10 hoặc 100."),
    )
    feedback_bands = models.JSONField(
        _("nhận xét theo khoảng điểm"),
        default=list,
        blank=True,
        help_text=_('Danh sách {"min": phần trăm, "text": "nhận xét"}.'),
    )

    objects = QuizQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài kiểm tra")
        verbose_name_plural = _("bài kiểm tra")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("frontend:quiz-start", args=[self.pk])

    def is_open_for_starting(self, now: datetime) -> bool:
        return (self.open_at is None or self.open_at <= now) and (
            self.close_at is None or now < self.close_at
        )

    def deadline_for(self, started: datetime, extra_seconds: int = 0) -> datetime | None:
        """When answering ends: the time limit (plus extra time) capped by the close time."""
        ends = []
        if self.time_limit:
            ends.append(started + timedelta(seconds=self.time_limit + extra_seconds))
        if self.close_at:
            ends.append(self.close_at)
        return min(ends) if ends else None

    def review_allows(self, what: str, now: datetime) -> bool:
        when = getattr(self, f"review_{what}")
        if when == ReviewWhen.AFTER_SUBMIT:
            return True
        if when == ReviewWhen.AFTER_CLOSE:
            return self.close_at is not None and now >= self.close_at
        return False

    def feedback_for(self, percent: Decimal | None) -> str:
        if percent is None:
            return ""
        best: tuple[float, str] | None = None
        for band in self.feedback_bands or []:
            try:
                low = float(band.get("min", 0))
            except (TypeError, ValueError, AttributeError):
                continue
            if float(percent) >= low and (best is None or low >= best[0]):
                best = (low, str(band.get("text", "")))
        return best[1] if best else ""


class QuizItem(models.Model):
    """One line of a quiz: a fixed question, or N questions drawn from a category."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Câu hỏi cố định")
        RANDOM = "random", _("Rút ngẫu nhiên")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FIXED)
    question = models.ForeignKey(
        "quizzes.Question", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        QuestionCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    include_subcategories = models.BooleanField(_("gồm cả danh mục con"), default=True)
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("số câu"), default=1)
    # None: each question keeps its own points (the version's).
    points = models.DecimalField(
        _("điểm mỗi câu"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    page_break_after = models.BooleanField(_("sang trang mới sau mục này"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("mục của bài kiểm tra")
        verbose_name_plural = _("mục của bài kiểm tra")

    def __str__(self) -> str:
        return f"{self.quiz_id}:{self.position}"


class QuizOverride(models.Model):
    """Per-learner exceptions: extra time, extra attempts."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_overrides"
    )
    extra_seconds = models.PositiveIntegerField(
        _("thêm thời gian"), default=0, help_text=_("Tính bằng giây.")
    )
    extra_attempts = models.PositiveIntegerField(_("thêm lượt làm bài"), default=0)

    class Meta:
        verbose_name = _("ngoại lệ cho học viên")
        verbose_name_plural = _("ngoại lệ cho học viên")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user"], name="unique_quiz_override")
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.user_id}"
