"""Learner pages: my courses, the course page, the lesson page, attachments.

Every page runs a fixed number of queries: progress is computed in bulk by
`courses.progress.progress_for`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from courses import services
from courses.models import Course, Enrollment, Lesson, LessonAttachment, Notice
from courses.progress import CourseProgress, progress_for, progress_of
from quizzes.states import learner_quiz_states

from ..training.sessions import DECLINE_REASONS, course_section
from .common import error_text, quiz_url, step_url


def _row(progress: CourseProgress, today: Any) -> dict[str, Any]:
    step = progress.next_step()
    return {
        "enrollment": progress.enrollment,
        "course": progress.enrollment.course,
        "percent": progress.percent,
        "overdue": progress.enrollment.is_overdue(today),
        "next_url": step_url(step) or progress.enrollment.course.get_absolute_url(),
        "next_step": step,
    }


def my_course_rows(user: Any) -> list[dict[str, Any]]:
    enrollments = list(
        Enrollment.objects.active()
        .filter(user=user, course__status__in=["published", "archived"])
        .select_related("course__final_exam")
        .order_by("completed_at", "due_date", "-enrolled_at")
    )
    today = timezone.localdate()
    by_pk = progress_for(enrollments)
    return [_row(by_pk[e.pk], today) for e in enrollments]


def dashboard_section(request: AuthedRequest) -> dict[str, Any] | None:
    """ "Khóa học của tôi" on the dashboard (constant queries)."""
    user = request.user
    rows = my_course_rows(user)
    notices = list(Notice.objects.filter(user=user, read_at__isnull=True)[:5])
    if not rows and not notices and user.is_trainer:
        return None
    return {"template": "frontend/courses/_dashboard.html", "rows": rows, "notices": notices}


@login_required
def course_list(request: AuthedRequest) -> HttpResponse:
    """My courses, then the open courses I can enrol in."""
    rows = my_course_rows(request.user)
    mine = {row["course"].pk for row in rows}
    open_courses = (
        Course.objects.published()
        .filter(self_enrol=True)
        .exclude(pk__in=mine)
        .exclude(enrollments__user=request.user, enrollments__status="active")
        .order_by("title")
    )
    return render(
        request, "frontend/courses/list.html", {"rows": rows, "open_courses": open_courses}
    )


def _get_course(request: AuthedRequest, pk: int) -> Course:
    return get_object_or_404(
        Course.objects.visible_to(request.user).select_related("final_exam"), pk=pk
    )


@login_required
def course_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Module states (locked/open/complete), due date and the next step.
    Trainers see a preview as a new learner (`?preview=1` or when not enrolled)."""
    course = _get_course(request, pk)
    user = request.user
    enrollment = (
        Enrollment.objects.filter(user=user, course=course, status="active")
        .select_related("course__final_exam")
        .first()
    )
    preview = enrollment is None or request.GET.get("preview") == "1"
    if enrollment is None or preview:
        enrollment = Enrollment(user=user, course=course, cycle_started_at=timezone.now())
    progress = progress_of(enrollment)
    step = progress.next_step()
    certificate = None
    if not preview and enrollment.completed_at:
        # the one issued for this completion (or a later one), once the task has run
        from courses.certificates.models import Certificate

        certificate = (
            Certificate.objects.filter(user=user, course=course, status="valid")
            .order_by("-pk")
            .first()
        )
    locked = {m.module.quiz_id for m in progress.modules if m.locked}
    if progress.final_exam_locked:
        locked.add(course.final_exam_id)
    quiz_states = learner_quiz_states(
        user=user,
        quizzes=[m.module.quiz for m in progress.modules] + [course.final_exam],
        now=timezone.now(),
        locked=locked,
    )
    return render(
        request,
        "frontend/courses/detail.html",
        {
            "course": course,
            "enrollment": None if preview else enrollment,
            "preview": preview and user.is_trainer,
            "progress": progress,
            "certificate": certificate,
            "next_step": step,
            "next_url": step_url(step),
            "final_exam_url": quiz_url(course.final_exam),
            "quiz_states": quiz_states,
            "can_enrol": preview and course.is_published and course.self_enrol,
            "sessions": [] if user.is_trainer else course_section(user, course),
            "reasons": DECLINE_REASONS,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def course_enrol(request: AuthedRequest, pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    try:
        services.self_enrol(user=request.user, course=course)
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Bạn đã ghi danh khóa học."))
    return redirect(course.get_absolute_url())


def _lesson_context(request: AuthedRequest, pk: int) -> dict[str, Any]:
    """The lesson with the learner's progress; 404 when not enrolled (trainers preview)."""
    lesson = get_object_or_404(
        Lesson.objects.select_related("module__course__final_exam").prefetch_related(
            Prefetch("attachments", queryset=LessonAttachment.objects.order_by("pk"))
        ),
        pk=pk,
    )
    course = lesson.module.course
    user = request.user
    enrollment = (
        Enrollment.objects.filter(
            user=user, course=course, status="active", course__status__in=["published", "archived"]
        )
        .select_related("course__final_exam")
        .first()
    )
    preview = enrollment is None
    if enrollment is None:
        if not (user.is_trainer and Course.objects.visible_to(user).filter(pk=course.pk).exists()):
            raise Http404
        enrollment = Enrollment(user=user, course=course, cycle_started_at=timezone.now())
    progress = progress_of(enrollment)
    state = next(m for m in progress.modules if m.module.pk == lesson.module_id)
    # Previous/next lesson links only lead to lessons the learner may open.
    ordered = [le for m in progress.modules if preview or not m.locked for le in m.lessons]
    if lesson.pk not in {le.pk for le in ordered}:
        ordered = [le for m in progress.modules for le in m.lessons]
    index = next(i for i, le in enumerate(ordered) if le.pk == lesson.pk)
    step = progress.next_step()
    if step and step["kind"] == "lesson" and step["object"].pk == lesson.pk:
        step = None  # this very lesson: the page offers "mark done" and the next lesson
    return {
        "lesson": lesson,
        "course": course,
        "module": lesson.module,
        "preview": preview,
        "archived": course.status == Course.Status.ARCHIVED,
        "locked": state.locked and not preview,
        "done": lesson.pk in state.done_lessons,
        "progress": progress,
        "previous": ordered[index - 1] if index > 0 else None,
        "following": ordered[index + 1] if index + 1 < len(ordered) else None,
        "next_step": step,
        "next_url": step_url(step),
        "module_quiz_url": quiz_url(lesson.module.quiz),
    }


@login_required
def lesson_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    context = _lesson_context(request, pk)
    if context["locked"]:
        messages.error(request, _("Học phần này chưa mở. Hãy hoàn thành học phần trước."))
        return redirect(context["course"].get_absolute_url())
    return render(request, "frontend/courses/lesson.html", context)


@login_required
@require_POST
def lesson_done(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.select_related("module__course"), pk=pk)
    try:
        services.mark_lesson_done(user=request.user, lesson=lesson)
    except PermissionDenied as exc:
        if request.htmx:
            return HttpResponse(error_text(exc), status=403)
        messages.error(request, error_text(exc))
        return redirect(lesson.module.course.get_absolute_url())
    context = _lesson_context(request, pk)
    if request.htmx:
        return render(request, "frontend/courses/lesson.html#lesson-status", context)
    return redirect(context["next_url"] or lesson.module.course.get_absolute_url())


@login_required
def attachment_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Attachments are served only here: to enrolled learners and trainers in scope."""
    attachment = get_object_or_404(
        LessonAttachment.objects.select_related("lesson__module__course"), pk=pk
    )
    course = attachment.lesson.module.course
    user = request.user
    allowed = Enrollment.objects.filter(
        user=user, course=course, status="active", course__status__in=["published", "archived"]
    ).exists() or (
        user.is_trainer and Course.objects.visible_to(user).filter(pk=course.pk).exists()
    )
    if not allowed:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def notices_read(request: AuthedRequest) -> HttpResponse:
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    if request.htmx:
        return HttpResponse("")
    return redirect("frontend:dashboard")
