"""Attempts, their slots (one per question, holding the saved response) and grades."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .bank import QuestionType, QuestionVersion
from .quiz import Quiz


class Attempt(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Đang làm")
        FINISHED = "finished", _("Đã nộp")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    seed = models.BigIntegerField(default=0)
    started_at = models.DateTimeField()
    # Answering ends at `deadline`; in grace mode submitting is allowed until `submit_by`.
    deadline = models.DateTimeField(null=True, blank=True)
    submit_by = models.DateTimeField(null=True, blank=True)
    last_saved_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    max_score = models.DecimalField(max_digits=9, decimal_places=4, default=Decimal(0))
    percent = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField(null=True)
    needs_grading = models.BooleanField(default=False)
    # Sequential navigation: the furthest page reached; earlier pages are closed.
    current_page = models.PositiveIntegerField(default=0)
    # A trainer trying the quiz as a learner would: graded and reviewable, but
    # never in grades, statistics, gradebooks, completion or reports.
    is_preview = models.BooleanField(_("xem thử"), default=False)

    class Meta:
        verbose_name = _("lượt làm bài")
        verbose_name_plural = _("lượt làm bài")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"], condition=Q(state="open"), name="one_open_attempt"
            ),
            models.UniqueConstraint(fields=["user", "quiz", "number"], name="unique_attempt_no"),
        ]
        indexes = [
            models.Index(fields=["state", "submit_by"], name="attempt_sweep"),
            models.Index(fields=["quiz", "user"], name="attempt_quiz_user"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.user_id}#{self.number}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("frontend:quiz-attempt", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def is_overdue(self, now: datetime) -> bool:
        """Open but past the last moment anything may still happen (submit_by)."""
        return self.is_open and self.submit_by is not None and now >= self.submit_by

    def may_answer(self, now: datetime) -> bool:
        return self.is_open and (self.deadline is None or now < self.deadline)

    def remaining_seconds(self, now: datetime) -> int | None:
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - now).total_seconds()))

    @property
    def is_graded(self) -> bool:
        return self.state == self.State.FINISHED and not self.needs_grading


class AttemptSlot(models.Model):
    """One question of an attempt: its version, choice order and the saved answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveIntegerField()
    page = models.PositiveIntegerField(default=0)
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="slots")
    choice_order = models.JSONField(default=list)
    max_points = models.DecimalField(max_digits=7, decimal_places=2)
    response = models.JSONField(null=True, blank=True)
    seq = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    needs_manual = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    # Why a grader replaced the automatic mark (empty while the key decides).
    # Such a mark stays when the key is fixed later: see services.regrade.
    override_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["position"]
        verbose_name = _("câu trong lượt làm bài")
        verbose_name_plural = _("câu trong lượt làm bài")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="unique_slot_position")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.position}"

    @property
    def is_answered(self) -> bool:
        return self.response is not None

    @property
    def is_overridden(self) -> bool:
        """An automatic mark replaced by a grader's (needs `version` loaded)."""
        return self.graded_by_id is not None and self.version.type != QuestionType.ESSAY

    def automatic_points(self) -> Decimal | None:
        """What the current key gives this response (None for an essay)."""
        from ..scoring import fraction, points

        share = fraction(self.version.type, self.version.data, self.response)
        return None if share is None else points(self.max_points, share)


class QuizGrade(models.Model):
    """A learner's grade on a quiz by the quiz's grading method (one row per user and quiz).

    `passed_at` is when the grade first became passing; it is cleared when the
    grade stops passing (a regrade can do that).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_grades"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="grades")
    percent = models.DecimalField(max_digits=7, decimal_places=4, default=Decimal(0))
    passed = models.BooleanField(default=False)
    passed_at = models.DateTimeField(null=True, blank=True)
    attempt = models.ForeignKey(
        Attempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_percent = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    # When the course completion this pass may bring was last decided
    # (courses.services.complete_after_pass; emptied when a passing grade
    # changes): the drain and the sweep look only at passes not decided since.
    completion_checked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("điểm bài kiểm tra")
        verbose_name_plural = _("điểm bài kiểm tra")
        constraints = [models.UniqueConstraint(fields=["user", "quiz"], name="unique_quiz_grade")]
        indexes = [
            models.Index(fields=["passed_at"], name="quiz_grade_passed", condition=Q(passed=True))
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.user_id}: {self.percent}"
