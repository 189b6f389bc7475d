"""Trainer authoring pages (htmx): courses, modules, lessons, attachments.

The course builder's structure is one partial (`#structure`): every
up/down/remove button posts with htmx and gets the fresh structure back;
without JavaScript the same forms post and redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import authoring
from courses.models import Course, Lesson, LessonAttachment, Module

from .common import apply_errors, error_text, require_trainer
from .forms import AttachmentForm, CourseForm, LessonForm, ModuleForm


def _get_course(request: HttpRequest, pk: int) -> Course:
    require_trainer(request)
    return get_object_or_404(Course.objects.editable_by(request.user), pk=pk)


def _get_lesson(request: HttpRequest, pk: int) -> Lesson:
    require_trainer(request)
    return get_object_or_404(
        Lesson.objects.filter(module__course__in=Course.objects.editable_by(request.user))
        .select_related("module__course")
        .prefetch_related("attachments"),
        pk=pk,
    )


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    user = require_trainer(request)
    courses = (
        Course.objects.visible_to(user)
        .select_related("owner_unit")
        .annotate(n_modules=Count("modules", distinct=True))
        .order_by("status", "title")
    )
    editable = set(Course.objects.editable_by(user).values_list("pk", flat=True))
    return render(
        request, "frontend/courses/authoring/list.html", {"courses": courses, "editable": editable}
    )


@login_required
def course_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = require_trainer(request)
    course = _get_course(request, pk) if pk else None
    initial = CourseForm.initial_for(course) if course else {}
    form = CourseForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if course is None:
                course = authoring.create_course(actor=actor, **form.service_fields())
                messages.success(request, _("Đã tạo khóa học. Hãy thêm học phần và bài học."))
            else:
                authoring.update_course(actor=actor, course=course, **form.service_fields())
                messages.success(request, _("Đã lưu khóa học."))
            return redirect("frontend:authoring-course", course.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, error_text(exc))
    return render(
        request, "frontend/courses/authoring/course_form.html", {"form": form, "course": course}
    )


def _builder_context(request: HttpRequest, course: Course) -> dict[str, Any]:
    modules = course.modules.select_related("quiz").prefetch_related(
        Prefetch("lessons", queryset=Lesson.objects.only("pk", "module_id", "order", "title"))
    )
    return {
        "course": course,
        "modules": modules,
        "module_form": ModuleForm(actor=request.user),
        "statuses": Course.Status,
    }


@login_required
def course_builder(request: HttpRequest, pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    return render(
        request, "frontend/courses/authoring/builder.html", _builder_context(request, course)
    )


def _structure(request: HttpRequest, course: Course) -> HttpResponse:
    """After a structure change: the fresh partial for htmx, else back to the builder."""
    if request.htmx:  # type: ignore[attr-defined]
        course.refresh_from_db()
        return render(
            request,
            "frontend/courses/authoring/builder.html#structure",
            _builder_context(request, course),
        )
    return redirect("frontend:authoring-course", course.pk)


def _run(request: HttpRequest, fn: Any, success: str = "", **kwargs: Any) -> Any:
    """Call a service; report a stale or refused change as a message, not a 500."""
    try:
        result = fn(actor=request.user, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return None
    if success:
        messages.success(request, success)
    return result


@login_required
@require_POST
def course_status(request: HttpRequest, pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    status = request.POST.get("status", "")
    labels = {
        Course.Status.PUBLISHED: _("Đã xuất bản khóa học."),
        Course.Status.ARCHIVED: _("Đã lưu trữ khóa học."),
        Course.Status.DRAFT: _("Đã chuyển khóa học về bản nháp."),
    }
    _run(request, authoring.set_status, labels.get(status, ""), course=course, status=status)
    return redirect("frontend:authoring-course", course.pk)


@login_required
@require_POST
def module_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    form = ModuleForm(request.POST, actor=request.user)
    if form.is_valid():
        _run(request, authoring.add_module, course=course, **form.cleaned_data)
    else:
        messages.error(request, _("Hãy nhập tên học phần."))
    return _structure(request, course)


@login_required
def module_edit(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    module = course.modules.filter(pk=module_pk).first()
    if module is None:
        messages.error(request, _("Học phần này không còn tồn tại (có thể vừa bị xóa)."))
        return redirect("frontend:authoring-course", course.pk)
    form = ModuleForm(
        request.POST or None,
        actor=request.user,
        initial={"title": module.title, "quiz": module.quiz_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            authoring.update_module(actor=request.user, module=module, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Đã lưu học phần."))
            return redirect("frontend:authoring-course", course.pk)
    return render(
        request,
        "frontend/courses/authoring/module_form.html",
        {"form": form, "course": course, "module": module},
    )


@login_required
@require_POST
def module_move(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    _run(request, authoring.move_module, module_pk=module_pk, direction=direction)
    return _structure(request, course)


@login_required
@require_POST
def module_delete(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    module = Module(pk=module_pk, course=course)
    _run(request, authoring.delete_module, _("Đã xóa học phần."), module=module)
    return _structure(request, course)


@login_required
def lesson_form(
    request: HttpRequest, pk: int, module_pk: int | None = None, lesson_pk: int | None = None
) -> HttpResponse:
    """Create (module_pk) or edit (lesson_pk) a lesson; editing also manages attachments."""
    course = _get_course(request, pk)
    lesson = _get_lesson(request, lesson_pk) if lesson_pk else None
    module = lesson.module if lesson else course.modules.filter(pk=module_pk).first()
    if module is None or module.course_id != course.pk:
        messages.error(request, _("Học phần này không còn tồn tại (có thể vừa bị xóa)."))
        return redirect("frontend:authoring-course", course.pk)
    initial = (
        {"title": lesson.title, "body": lesson.body, "video_url": lesson.video_url}
        if lesson
        else {}
    )
    form = LessonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if lesson is None:
                lesson = authoring.add_lesson(
                    actor=request.user, module=module, **form.cleaned_data
                )
                messages.success(request, _("Đã thêm bài học. Bạn có thể đính kèm tài liệu."))
            else:
                authoring.update_lesson(actor=request.user, lesson=lesson, **form.cleaned_data)
                messages.success(request, _("Đã lưu bài học."))
            return redirect("frontend:authoring-lesson-edit", course.pk, lesson.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, error_text(exc))
    return render(
        request,
        "frontend/courses/authoring/lesson_form.html",
        {
            "form": form,
            "course": course,
            "module": module,
            "lesson": lesson,
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
@require_POST
def lesson_move(request: HttpRequest, pk: int, lesson_pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    _run(request, authoring.move_lesson, lesson_pk=lesson_pk, direction=direction)
    return _structure(request, course)


@login_required
@require_POST
def lesson_delete(request: HttpRequest, pk: int, lesson_pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    lesson = Lesson(pk=lesson_pk)
    _run(request, authoring.delete_lesson, _("Đã xóa bài học."), lesson=lesson)
    return _structure(request, course)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int, lesson_pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    lesson = _get_lesson(request, lesson_pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            authoring.add_attachment,
            _("Đã đính kèm tệp."),
            lesson=lesson,
            upload=form.cleaned_data["file"],
        )
    else:
        messages.error(request, _("Hãy chọn một tệp."))
    return redirect("frontend:authoring-lesson-edit", course.pk, lesson.pk)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    course = _get_course(request, pk)
    attachment = get_object_or_404(
        LessonAttachment.objects.filter(lesson__module__course=course), pk=attachment_pk
    )
    _run(request, authoring.delete_attachment, _("Đã xóa tệp."), attachment=attachment)
    return redirect("frontend:authoring-lesson-edit", course.pk, attachment.lesson_id)
