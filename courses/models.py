"""Courses: content (course → modules → lessons), enrolment, progress, completion.

Progress is derived from LessonProgress rows and quizzes.QuizGrade rows that
fall inside the enrolment's current cycle (`cycle_started_at`); a completion
is a recorded event (`Completion`), never recomputed, so editing a course
after people completed it never takes their completion away.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import subtree_q
from accounts.text import nfc

if TYPE_CHECKING:
    from accounts.models import User


class CourseQuerySet(models.QuerySet):
    def published(self) -> CourseQuerySet:
        return self.filter(status=Course.Status.PUBLISHED)

    def editable_by(self, user: User) -> CourseQuerySet:
        """Courses a trainer may author: owned by a unit in their scope."""
        if user.is_superuser:
            return self
        if user.is_staff_role:
            return self.filter(subtree_q(user.granted_paths(), "owner_unit__path"))
        return self.none()

    def visible_to(self, user: User) -> CourseQuerySet:
        """Trainers: what they author plus every published course (to assign it).
        Learners: published open courses and the courses they are enrolled in."""
        if user.is_superuser:
            return self
        if user.is_staff_role:
            return self.filter(
                subtree_q(user.granted_paths(), "owner_unit__path")
                | Q(status=Course.Status.PUBLISHED)
            )
        enrolled = Q(pk__in=Enrollment.objects.filter(user=user).values("course_id"))
        # Archived courses stay readable to those enrolled: their history remains.
        return self.filter(
            Q(status=Course.Status.PUBLISHED, self_enrol=True)
            | Q(status__in=[Course.Status.PUBLISHED, Course.Status.ARCHIVED]) & enrolled
        )


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã xuất bản")
        ARCHIVED = "archived", _("Đã lưu trữ")

    code = models.CharField(_("mã khóa học"), max_length=50, unique=True)
    title = models.CharField(_("tên khóa học"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    tags = models.JSONField(_("chủ đề"), default=list, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    validity_months = models.PositiveSmallIntegerField(
        _("thời hạn hiệu lực (tháng)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu giấy chứng nhận không hết hạn."),
    )
    issuing_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("đơn vị cấp giấy chứng nhận"),
        on_delete=models.PROTECT,
        related_name="issued_courses",
    )
    owner_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("đơn vị quản lý"),
        on_delete=models.PROTECT,
        related_name="owned_courses",
    )
    sequential = models.BooleanField(
        _("học tuần tự"),
        default=False,
        help_text=_("Học phần sau chỉ mở khi đã hoàn thành học phần trước."),
    )
    self_enrol = models.BooleanField(
        _("cho phép tự ghi danh"), default=False, help_text=_("Khóa học mở.")
    )
    final_exam = models.OneToOneField(
        "quizzes.Quiz",
        verbose_name=_("bài kiểm tra cuối khóa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="final_exam_of",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("khóa học")
        verbose_name_plural = _("khóa học")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = nfc(self.code).strip().upper()
        self.title = nfc(self.title).strip()
        self.description = nfc(self.description)
        self.tags = [nfc(str(t)).strip() for t in self.tags or [] if str(t).strip()]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("frontend:course-detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tên học phần"), max_length=255)
    quiz = models.OneToOneField(
        "quizzes.Quiz",
        verbose_name=_("bài kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="module",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "order", "pk"]
        verbose_name = _("học phần")
        verbose_name_plural = _("học phần")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title).strip()
        super().save(*args, **kwargs)


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tên bài học"), max_length=255)
    body = models.TextField(_("nội dung (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    video_url = models.URLField(_("liên kết video"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["module", "order", "pk"]
        verbose_name = _("bài học")
        verbose_name_plural = _("bài học")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        from .markdown import render_markdown

        self.title = nfc(self.title).strip()
        self.body = nfc(self.body)
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("frontend:lesson-detail", args=[self.pk])

    @property
    def video_embed_url(self) -> str:
        """A privacy-friendly player URL for YouTube/Vimeo links (allowed by the CSP), else ''."""
        match = _YOUTUBE.match(self.video_url or "")
        if match:
            return f"https://www.youtube-nocookie.com/embed/{match.group(1)}"
        match = _VIMEO.match(self.video_url or "")
        if match:
            return f"https://player.vimeo.com/video/{match.group(1)}"
        return ""


_YOUTUBE = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/watch\?(?:.*&)?v=|youtu\.be/|youtube\.com/embed/)"
    r"([A-Za-z0-9_-]{6,20})"
)
_VIMEO = re.compile(r"^https?://(?:www\.)?vimeo\.com/(\d{3,12})(?:[/?#]|$)")


def private_storage() -> FileSystemStorage:
    """Attachments live outside MEDIA_URL: only the access-checked view serves them."""
    return FileSystemStorage(location=settings.MEDIA_ROOT / "private", base_url=None)


def _attachment_path(instance: LessonAttachment, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"courses/attachments/{uuid.uuid4().hex}.{ext}"


class LessonAttachment(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["lesson", "pk"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("frontend:attachment-download", args=[self.pk])


class Assignment(models.Model):
    """A course assigned to a unit: everyone in its subtree, now and later, is enrolled."""

    class DeadlineKind(models.TextChoices):
        NONE = "none", _("Không có hạn")
        FIXED = "fixed", _("Ngày cố định")
        RELATIVE = "relative", _("Số ngày sau ngày bổ nhiệm")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="course_assignments"
    )
    deadline_kind = models.CharField(
        _("loại hạn hoàn thành"),
        max_length=20,
        choices=DeadlineKind.choices,
        default=DeadlineKind.NONE,
    )
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    due_days = models.PositiveIntegerField(_("số ngày sau ngày bổ nhiệm"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "unit__path"]
        verbose_name = _("giao khóa học")
        verbose_name_plural = _("giao khóa học")
        constraints = [
            models.UniqueConstraint(fields=["course", "unit"], name="unique_course_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.course} → {self.unit}"

    def due_date_for(self, user: User, enrolled_on: date) -> date | None:
        """The learner's own due date.

        Relative deadlines count from the learner's appointment date; a
        learner with no appointment date on file counts from the day they
        were enrolled, so nobody is overdue on arrival by accident.
        """
        if self.deadline_kind == self.DeadlineKind.FIXED:
            return self.due_date
        if self.deadline_kind == self.DeadlineKind.RELATIVE and self.due_days is not None:
            start = user.appointment_date or enrolled_on
            return start + timedelta(days=self.due_days)
        return None


class EnrollmentQuerySet(models.QuerySet):
    def active(self) -> EnrollmentQuerySet:
        return self.filter(status=Enrollment.Status.ACTIVE)

    def visible_to(self, user: User) -> EnrollmentQuerySet:
        scope = user.scope_q("user__unit__path")
        if scope is None:
            return self
        if user.is_staff_role:
            return self.filter(scope)
        return self.filter(user=user)


class Enrollment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Tự ghi danh")
        UNIT = "unit", _("Giao theo đơn vị")
        BULK = "bulk", _("Ghi danh từ tệp")
        MANUAL = "manual", _("Ghi danh thủ công")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang học")
        UNENROLLED = "unenrolled", _("Đã hủy ghi danh")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    source = models.CharField(
        _("hình thức"), max_length=20, choices=Source.choices, default=Source.SELF
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollments"
    )
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("ngày ghi danh"), default=timezone.now)
    cycle_started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(_("ngày hoàn thành"), null=True, blank=True)
    unenrolled_at = models.DateTimeField(null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at", "-pk"]
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="unique_enrollment")]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.due_date and self.completed_at is None and self.due_date < today)


class LessonProgress(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tiến độ bài học")
        verbose_name_plural = _("tiến độ bài học")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="unique_lesson_progress")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.lesson}"


class Completion(models.Model):
    """One completion event; certificates are issued against it."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("ngày hoàn thành"))
    # When the row was written: completed_at is the learner's last step, which
    # may be long before (the certificate sweeper waits from this moment).
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    score = models.DecimalField(
        _("điểm (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    on_time = models.BooleanField(_("đúng hạn"), default=True)

    class Meta:
        ordering = ["-completed_at", "-pk"]
        verbose_name = _("hoàn thành khóa học")
        verbose_name_plural = _("hoàn thành khóa học")

    def __str__(self) -> str:
        return f"{self.user} · {self.course} · {self.completed_at:%d/%m/%Y}"


class Notice(models.Model):
    """An in-app notice (reminders, "your certificate is ready")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class ReminderLog(models.Model):
    """What was sent to whom, so the daily task never sends a reminder twice."""

    class Kind(models.TextChoices):
        DAYS_7 = "d7", _("Còn 7 ngày")
        DAYS_3 = "d3", _("Còn 3 ngày")
        DAYS_1 = "d1", _("Còn 1 ngày")
        OVERDUE = "overdue", _("Quá hạn")
        DIGEST = "digest", _("Tổng hợp quá hạn gửi quản trị")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nhắc hạn đã gửi")
        verbose_name_plural = _("nhắc hạn đã gửi")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "recipient", "kind", "due_date"], name="unique_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.kind}"
