"""Authoring workflows: courses, modules, lessons, attachments.

Every function checks that the actor may edit the course (its owner unit
lies in their scope) and raises Django's PermissionDenied / ValidationError
with a Vietnamese message; views and the API translate those.
"""

from __future__ import annotations

from typing import Any

import filetype
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import Unit, User

from .models import Course, Lesson, LessonAttachment, LessonProgress, Module

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Content types accepted for attachments, identified from the file's bytes.
ALLOWED_ATTACHMENTS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


def check_can_edit(actor: User, course: Course) -> None:
    if not Course.objects.editable_by(actor).filter(pk=course.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền sửa khóa học này."))


def _check_unit(actor: User, unit: Unit | None, field: str) -> None:
    if unit is None:
        raise ValidationError({field: _("Hãy chọn đơn vị.")})
    if not actor.is_trainer or not actor.can_see_unit(unit):
        raise PermissionDenied(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."))


def _check_quiz(actor: User, quiz: Any, *, exclude_module: Module | None = None) -> None:
    if quiz is None:
        return
    if quiz.owner_unit_id is not None and not actor.can_see_unit(quiz.owner_unit):
        raise PermissionDenied(_("Bài kiểm tra nằm ngoài phạm vi của bạn."))
    used = Module.objects.filter(quiz=quiz)
    if exclude_module is not None:
        used = used.exclude(pk=exclude_module.pk)
    if used.exists() or Course.objects.filter(final_exam=quiz).exists():
        raise ValidationError({"quiz": _("Bài kiểm tra này đã được gắn với nơi khác.")})


COURSE_FIELDS = {
    "code",
    "title",
    "description",
    "tags",
    "validity_months",
    "issuing_unit",
    "owner_unit",
    "sequential",
    "self_enrol",
    "final_exam",
}


@transaction.atomic
def create_course(*, actor: User, **fields: Any) -> Course:
    unknown = set(fields) - COURSE_FIELDS
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    owner = fields.get("owner_unit")
    _check_unit(actor, owner, "owner_unit")
    fields.setdefault("issuing_unit", owner)
    if fields["issuing_unit"] is None:
        fields["issuing_unit"] = owner
    _check_unit(actor, fields["issuing_unit"], "issuing_unit")
    code = str(fields.get("code", "")).strip()
    if not code:
        raise ValidationError({"code": _("Hãy nhập mã khóa học.")})
    if Course.objects.filter(code__iexact=code).exists():
        raise ValidationError({"code": _("Mã khóa học đã tồn tại.")})
    if fields.get("final_exam") is not None:
        _check_quiz(actor, fields["final_exam"])
    return Course.objects.create(created_by=actor, **fields)


@transaction.atomic
def update_course(*, actor: User, course: Course, **fields: Any) -> Course:
    unknown = set(fields) - COURSE_FIELDS
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    course = Course.objects.select_for_update().get(pk=course.pk)
    check_can_edit(actor, course)
    for key in ("owner_unit", "issuing_unit"):
        if key in fields and getattr(course, f"{key}_id") != getattr(fields[key], "pk", None):
            _check_unit(actor, fields[key], key)
    if "code" in fields:
        code = str(fields["code"]).strip()
        if Course.objects.filter(code__iexact=code).exclude(pk=course.pk).exists():
            raise ValidationError({"code": _("Mã khóa học đã tồn tại.")})
    if fields.get("final_exam") is not None and fields["final_exam"].pk != course.final_exam_id:
        _check_quiz(actor, fields["final_exam"])
    for key, value in fields.items():
        setattr(course, key, value)
    course.save()
    return course


@transaction.atomic
def set_status(*, actor: User, course: Course, status: str) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    check_can_edit(actor, course)
    if status not in Course.Status.values:
        raise ValidationError({"status": _("Trạng thái không hợp lệ.")})
    if status == Course.Status.PUBLISHED and not course.modules.exists():
        raise ValidationError(_("Khóa học cần ít nhất một học phần trước khi xuất bản."))
    course.status = status
    course.save(update_fields=["status", "updated_at"])
    return course


# ---------------------------------------------------------------- modules


def _get_module(actor: User, module_pk: int) -> Module:
    """The module, locked; a clear message if it was deleted meanwhile."""
    module = (
        Module.objects.select_for_update().select_related("course").filter(pk=module_pk).first()
    )
    if module is None:
        raise ValidationError(_("Học phần này không còn tồn tại (có thể vừa bị xóa)."))
    check_can_edit(actor, module.course)
    return module


@transaction.atomic
def add_module(*, actor: User, course: Course, title: str, quiz: Any = None) -> Module:
    check_can_edit(actor, course)
    if not title.strip():
        raise ValidationError({"title": _("Hãy nhập tên học phần.")})
    _check_quiz(actor, quiz)
    last = course.modules.aggregate(m=Max("order"))["m"]
    # Completed learners keep their Completion; the others now also need this module.
    return Module.objects.create(course=course, title=title, quiz=quiz, order=(last or 0) + 1)


@transaction.atomic
def update_module(*, actor: User, module: Module, **fields: Any) -> Module:
    module = _get_module(actor, module.pk)
    if "quiz" in fields:
        _check_quiz(actor, fields["quiz"], exclude_module=module)
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationError({"title": _("Hãy nhập tên học phần.")})
    for key in ("title", "quiz"):
        if key in fields:
            setattr(module, key, fields[key])
    module.save()
    return module


def _protect_progress(course: Course, lessons: Any) -> None:
    """Removing content learners have already done would erase their progress."""
    if course.status == Course.Status.DRAFT:
        return
    if LessonProgress.objects.filter(lesson__in=lessons).exists():
        raise ValidationError(
            _(
                "Đã có học viên học xong nội dung này nên không thể xóa khi khóa học đã "
                "xuất bản. Hãy sửa nội dung thay vì xóa."
            )
        )


@transaction.atomic
def delete_module(*, actor: User, module: Module) -> Course:
    from .services import recheck_course

    module = _get_module(actor, module.pk)
    _protect_progress(module.course, module.lessons.all())
    course = module.course
    module.delete()
    recheck_course(course=course)
    return course


def _reorder(items: list[Any], ids: list[int], what: str) -> None:
    current = [item.pk for item in items]
    if sorted(current) != sorted(ids) or len(set(ids)) != len(ids):
        raise ValidationError(
            _("Danh sách %(what)s đã thay đổi từ khi bạn mở trang. Hãy tải lại rồi thử lại.")
            % {"what": what}
        )
    by_pk = {item.pk: item for item in items}
    for position, pk in enumerate(ids, start=1):
        by_pk[pk].order = position
    type(items[0]).objects.bulk_update([by_pk[pk] for pk in ids], ["order"])


@transaction.atomic
def reorder_modules(*, actor: User, course: Course, ids: list[int]) -> list[Module]:
    course = Course.objects.select_for_update().get(pk=course.pk)
    check_can_edit(actor, course)
    modules = list(course.modules.all())
    if modules:
        _reorder(modules, ids, _("học phần"))
    return list(course.modules.all())


def _shift(ids: list[int], pk: int, direction: str) -> list[int]:
    i = ids.index(pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    return ids


@transaction.atomic
def move_module(*, actor: User, module_pk: int, direction: str) -> Module:
    """Move a module one place up or down (the keyboard-usable reorder)."""
    module = _get_module(actor, module_pk)
    ids = list(module.course.modules.values_list("pk", flat=True))
    reorder_modules(actor=actor, course=module.course, ids=_shift(ids, module.pk, direction))
    return module


# ---------------------------------------------------------------- lessons


def _get_lesson(actor: User, lesson_pk: int) -> Lesson:
    lesson = (
        Lesson.objects.select_for_update()
        .select_related("module__course")
        .filter(pk=lesson_pk)
        .first()
    )
    if lesson is None:
        raise ValidationError(_("Bài học này không còn tồn tại (có thể vừa bị xóa)."))
    check_can_edit(actor, lesson.module.course)
    return lesson


@transaction.atomic
def add_lesson(
    *, actor: User, module: Module, title: str, body: str = "", video_url: str = ""
) -> Lesson:
    module = _get_module(actor, module.pk)
    if not title.strip():
        raise ValidationError({"title": _("Hãy nhập tên bài học.")})
    last = module.lessons.aggregate(m=Max("order"))["m"]
    return Lesson.objects.create(
        module=module, title=title, body=body, video_url=video_url, order=(last or 0) + 1
    )


@transaction.atomic
def update_lesson(*, actor: User, lesson: Lesson, **fields: Any) -> Lesson:
    lesson = _get_lesson(actor, lesson.pk)
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationError({"title": _("Hãy nhập tên bài học.")})
    for key in ("title", "body", "video_url"):
        if key in fields:
            setattr(lesson, key, fields[key])
    lesson.save()
    return lesson


@transaction.atomic
def delete_lesson(*, actor: User, lesson: Lesson) -> Module:
    from .services import recheck_course

    lesson = _get_lesson(actor, lesson.pk)
    module = lesson.module
    _protect_progress(module.course, [lesson])
    lesson.delete()
    recheck_course(course=module.course)
    return module


@transaction.atomic
def move_lesson(*, actor: User, lesson_pk: int, direction: str) -> Lesson:
    lesson = _get_lesson(actor, lesson_pk)
    lessons = list(Lesson.objects.select_for_update().filter(module_id=lesson.module_id))
    ids = _shift([le.pk for le in lessons], lesson.pk, direction)
    _reorder(lessons, ids, _("bài học"))
    return lesson


@transaction.atomic
def reorder_lessons(*, actor: User, module: Module, ids: list[int]) -> list[Lesson]:
    module = _get_module(actor, module.pk)
    lessons = list(Lesson.objects.select_for_update().filter(module=module))
    if lessons:
        _reorder(lessons, ids, _("bài học"))
    return list(module.lessons.all())


# ---------------------------------------------------------------- attachments


def _sniff(upload: UploadedFile) -> str:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else ""


@transaction.atomic
def add_attachment(*, actor: User, lesson: Lesson, upload: UploadedFile) -> LessonAttachment:
    """Attach a file checked by its content (not its name) and size; stored
    under a generated name, served only through the access-checked view."""
    lesson = _get_lesson(actor, lesson.pk)
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"file": _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": MAX_ATTACHMENT_BYTES >> 20}}
        )
    mime = _sniff(upload)
    if mime not in ALLOWED_ATTACHMENTS:
        raise ValidationError(
            {"file": _("Loại tệp không được phép. Chỉ nhận PDF, Word (DOCX), PNG hoặc JPEG.")}
        )
    name = (upload.name or "tep").replace("/", "_").replace("\\", "_")[-200:]
    attachment = LessonAttachment(
        lesson=lesson,
        original_name=name,
        content_type=mime,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(f"x.{ALLOWED_ATTACHMENTS[mime]}", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def delete_attachment(*, actor: User, attachment: LessonAttachment) -> None:
    _get_lesson(actor, attachment.lesson_id)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
