"""Enrolment, progress and completion workflows.

Authoring (courses, modules, lessons, attachments) lives in
`courses.authoring`; reminders in `courses.reminders`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from config.sql import columns, fetch, for_update
from config.tasks import enqueue

from .models import (
    Assignment,
    Completion,
    Course,
    Enrollment,
    Lesson,
    LessonProgress,
    Notice,
)
from .progress import CourseProgress, progress_for, progress_of
from .signals import course_completed

log = logging.getLogger(__name__)


def notify(*, user: User, text: str, url: str = "") -> Notice:
    """Leave an in-app notice for `user` (reminders, "your certificate is ready")."""
    return Notice.objects.create(user=user, text=str(text)[:500], url=url)


# ---------------------------------------------------------------- access

# The start of an attempt asks this for every learner of an exam wave: one
# statement written out (the ORM's version cost ~3 ms of CPU to compile).
MAY_TAKE_SQL = """
SELECT {enrollment}, {course}
FROM courses_enrollment e JOIN courses_course c ON c.id = e.course_id
WHERE e.user_id = %s AND e.status = %s AND c.status = %s
  AND (c.final_exam_id = %s OR c.id IN (SELECT m.course_id FROM courses_module m WHERE m.quiz_id = %s))
ORDER BY e.id
LIMIT 1
"""


def learner_may_take(user: User, quiz: Any) -> bool:
    """Whether `user` may attempt `quiz` now: one query, five in sequential mode.

    Needs an active enrolment in the published course the quiz belongs to
    (as a module quiz or the final exam); in sequential mode the module
    must be unlocked, and the final exam needs every module complete.
    """
    if not user.is_authenticated:
        return False
    rows = fetch(
        MAY_TAKE_SQL.format(enrollment=columns(Enrollment, "e"), course=columns(Course, "c")),
        [user.pk, Enrollment.Status.ACTIVE, Course.Status.PUBLISHED, quiz.pk, quiz.pk],
        Enrollment,
        Course,
    )
    if not rows:
        return False
    enrollment, course = rows[0]
    enrollment.course = course
    if not course.sequential:
        return True
    progress = progress_of(enrollment, extra=False)  # locks depend on modules only
    if course.final_exam_id == quiz.pk:
        return not progress.final_exam_locked
    state = next((m for m in progress.modules if m.module.quiz_id == quiz.pk), None)
    return state is not None and not state.locked


def active_enrollment(user: User, course: Course) -> Enrollment | None:
    return Enrollment.objects.active().filter(user=user, course=course).first()


# ---------------------------------------------------------------- enrolment


def _enrol(
    *,
    user: User,
    course: Course,
    source: str,
    assignment: Assignment | None = None,
    due_date: date | None = None,
    reactivate: bool = True,
) -> Enrollment:
    now = timezone.now()
    enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
    if enrollment is None:
        if assignment is not None and due_date is None:
            due_date = assignment.due_date_for(user, timezone.localdate(now))
        try:
            with transaction.atomic():
                return Enrollment.objects.create(
                    user=user,
                    course=course,
                    source=source,
                    assignment=assignment,
                    due_date=due_date,
                    enrolled_at=now,
                    cycle_started_at=now,
                )
        except IntegrityError:  # enrolled concurrently
            enrollment = Enrollment.objects.select_for_update().get(user=user, course=course)
    changed = []
    if not enrollment.is_active and reactivate:
        # Re-enrolment resumes where the learner stopped: history is kept.
        enrollment.status = Enrollment.Status.ACTIVE
        enrollment.unenrolled_at = None
        changed += ["status", "unenrolled_at"]
    if assignment is not None and enrollment.assignment_id is None:
        enrollment.assignment = assignment
        changed.append("assignment")
        if enrollment.due_date is None and due_date is None:
            due_date = assignment.due_date_for(user, timezone.localdate(enrollment.enrolled_at))
    if due_date is not None and enrollment.due_date != due_date:
        enrollment.due_date = due_date
        changed.append("due_date")
    if changed:
        enrollment.save(update_fields=changed)
    return enrollment


@transaction.atomic
def self_enrol(*, user: User, course: Course) -> Enrollment:
    if not course.is_published or not course.self_enrol:
        existing = Enrollment.objects.filter(user=user, course=course, status="active").first()
        if existing is not None and course.is_published:
            return existing
        raise PermissionDenied(_("Khóa học này không mở cho tự ghi danh."))
    return _enrol(user=user, course=course, source=Enrollment.Source.SELF)


def may_enrol_into(actor: User, course: Course) -> bool:
    """Who may enrol learners of their units into `course`: organisation admins
    into any course they can see (assigning courses is their work), trainers into
    the courses they author (owned by a unit in their scope), as a Moodle
    teacher enrols learners into their own course."""
    if actor.is_unit_admin:
        return Course.objects.visible_to(actor).filter(pk=course.pk).exists()
    if actor.is_trainer:
        return Course.objects.editable_by(actor).filter(pk=course.pk).exists()
    return False


def _check_can_enrol_into(actor: User, course: Course) -> None:
    if not actor.is_trainer:
        raise PermissionDenied(_("Bạn không có quyền ghi danh học viên."))
    if course.status == Course.Status.ARCHIVED:
        raise ValidationError(_("Khóa học đã lưu trữ, không thể ghi danh."))
    if not may_enrol_into(actor, course):
        if actor.is_unit_admin:
            raise PermissionDenied(_("Khóa học nằm ngoài phạm vi của bạn."))
        raise PermissionDenied(
            _(
                "Báo cáo viên chỉ ghi danh được vào khóa học do đơn vị mình quản lý; "
                "hãy nhờ cán bộ quản trị đơn vị."
            )
        )


@transaction.atomic
def enrol_user(
    *, actor: User, user: User, course: Course, due_date: date | None = None, source: str = "manual"
) -> Enrollment:
    _check_can_enrol_into(actor, course)
    if not actor.can_see_user(user) or user.role != User.Role.LEARNER:
        raise PermissionDenied(_("Người dùng nằm ngoài phạm vi quản lý của bạn."))
    return _enrol(user=user, course=course, source=source, due_date=due_date)


@dataclass
class UnitEnrolment:
    """What enrolling a unit did: new enrolments, stopped ones resumed, and how many
    of its learners were enrolled already."""

    enrolled: int
    resumed: int
    already: int

    @property
    def total(self) -> int:
        return self.enrolled + self.resumed


@transaction.atomic
def enrol_unit(*, actor: User, course: Course, unit: Unit) -> UnitEnrolment:
    """Enrol, once, every active learner now in `unit` and the units under it.

    Unlike `assign_course` (organisation admins), nothing is remembered: people
    placed in the unit later are not enrolled, and there is no deadline. A few
    queries however many learners; stopped enrolments resume (history kept).
    """
    _check_can_enrol_into(actor, course)
    if not actor.can_see_unit(unit):
        raise PermissionDenied(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."))
    now = timezone.now()
    learners = list(
        User.objects.learners()
        .filter(unit__path__startswith=unit.path)
        .values_list("pk", flat=True)
    )
    existing = {
        e.user_id: e
        for e in Enrollment.objects.select_for_update().filter(course=course, user_id__in=learners)
    }
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                user_id=pk,
                course=course,
                source=Enrollment.Source.MANUAL,
                enrolled_at=now,
                cycle_started_at=now,
            )
            for pk in learners
            if pk not in existing
        ],
        batch_size=1000,
        ignore_conflicts=True,  # enrolled concurrently: counted as new all the same
    )
    stopped = [e.pk for e in existing.values() if not e.is_active]
    Enrollment.objects.filter(pk__in=stopped).update(
        status=Enrollment.Status.ACTIVE, unenrolled_at=None
    )
    return UnitEnrolment(
        enrolled=len(learners) - len(existing),
        resumed=len(stopped),
        already=len(existing) - len(stopped),
    )


@transaction.atomic
def unenrol(*, actor: User, enrollment: Enrollment) -> Enrollment:
    """Stop an enrolment; progress and completions stay for the record."""
    if actor.pk != enrollment.user_id and not (
        actor.is_trainer and actor.can_see_user(enrollment.user)
    ):
        raise PermissionDenied(_("Bạn không có quyền hủy ghi danh này."))
    enrollment.status = Enrollment.Status.UNENROLLED
    enrollment.unenrolled_at = timezone.now()
    enrollment.save(update_fields=["status", "unenrolled_at"])
    return enrollment


@transaction.atomic
def assign_course(
    *,
    actor: User,
    course: Course,
    unit: Unit,
    deadline_kind: str = Assignment.DeadlineKind.NONE,
    due_date: date | None = None,
    due_days: int | None = None,
) -> Assignment:
    """Assign a published course to a unit: everyone in its subtree is enrolled,
    and learners placed in it later are enrolled as they arrive."""
    if not actor.is_unit_admin or not actor.can_see_unit(unit):
        raise PermissionDenied(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."))
    if not course.is_published:
        raise ValidationError(_("Chỉ giao được khóa học đã xuất bản."))
    if deadline_kind == Assignment.DeadlineKind.FIXED and due_date is None:
        raise ValidationError({"due_date": _("Hãy chọn ngày hết hạn.")})
    if deadline_kind == Assignment.DeadlineKind.RELATIVE and not due_days:
        raise ValidationError({"due_days": _("Hãy nhập số ngày (lớn hơn 0).")})
    assignment, created = Assignment.objects.get_or_create(
        course=course,
        unit=unit,
        defaults={
            "deadline_kind": deadline_kind,
            "due_date": due_date if deadline_kind == "fixed" else None,
            "due_days": due_days if deadline_kind == "relative" else None,
            "created_by": actor,
        },
    )
    if not created:
        raise ValidationError(_("Khóa học đã được giao cho đơn vị này."))
    _enrol_subtree(assignment)
    return assignment


def _enrol_subtree(assignment: Assignment) -> None:
    """Enrol every learner under the assignment's unit in a few queries, however many.

    Existing active enrolments without an assignment adopt this one (and its
    due date when they had none); unenrolled people stay unenrolled.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    learners = list(
        User.objects.learners()
        .filter(unit__path__startswith=assignment.unit.path)
        .only("pk", "appointment_date")
    )
    existing = {
        e.user_id: e
        for e in Enrollment.objects.select_for_update().filter(
            course=assignment.course, user__unit__path__startswith=assignment.unit.path
        )
    }
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                user=learner,
                course=assignment.course,
                source=Enrollment.Source.UNIT,
                assignment=assignment,
                due_date=assignment.due_date_for(learner, today),
                enrolled_at=now,
                cycle_started_at=now,
            )
            for learner in learners
            if learner.pk not in existing
        ],
        batch_size=1000,
        ignore_conflicts=True,  # a learner placed concurrently was enrolled meanwhile
    )
    adopted = []
    by_pk = {learner.pk: learner for learner in learners}
    for enrollment in existing.values():
        if (
            enrollment.is_active
            and enrollment.assignment_id is None
            and enrollment.user_id in by_pk
        ):
            enrollment.assignment = assignment
            if enrollment.due_date is None:
                enrollment.due_date = assignment.due_date_for(
                    by_pk[enrollment.user_id], timezone.localdate(enrollment.enrolled_at)
                )
            adopted.append(enrollment)
    Enrollment.objects.bulk_update(adopted, ["assignment", "due_date"], batch_size=1000)


def ancestor_paths(unit: Unit) -> list[str]:
    step = Unit.steplen
    return [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]


@transaction.atomic
def enrol_placed_learner(*, user: User, unit: Unit) -> list[Enrollment]:
    """A learner arrived in `unit`: enrol them in what its ancestors were assigned."""
    assignments = Assignment.objects.filter(
        unit__path__in=ancestor_paths(unit), course__status=Course.Status.PUBLISHED
    ).select_related("course")
    return [
        _enrol(
            user=user,
            course=a.course,
            source=Enrollment.Source.UNIT,
            assignment=a,
            reactivate=False,
        )
        for a in assignments
    ]


def on_learner_placed(sender: Any, user: User, unit: Unit, **kwargs: Any) -> None:
    enrol_placed_learner(user=user, unit=unit)


@transaction.atomic
def refresh_relative_due_dates(*, user: User) -> int:
    """Recompute "N days after appointment" due dates of open enrolments; returns how many changed."""
    changed = []
    enrollments = (
        Enrollment.objects.select_for_update()
        .filter(
            user=user,
            status=Enrollment.Status.ACTIVE,
            completed_at__isnull=True,
            assignment__deadline_kind=Assignment.DeadlineKind.RELATIVE,
        )
        .select_related("assignment")
    )
    for enrollment in enrollments:
        assert enrollment.assignment is not None
        due = enrollment.assignment.due_date_for(user, timezone.localdate(enrollment.enrolled_at))
        if due != enrollment.due_date:
            enrollment.due_date = due
            changed.append(enrollment)
    Enrollment.objects.bulk_update(changed, ["due_date"])
    return len(changed)


def on_appointment_changed(sender: Any, user: User, **kwargs: Any) -> None:
    refresh_relative_due_dates(user=user)


# ---------------------------------------------------------------- progress


def _locked_enrollment(user: User, course: Course) -> Enrollment:
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .filter(user=user, course=course, status=Enrollment.Status.ACTIVE)
        .select_related("course")
        .first()
    )
    if enrollment is None:
        raise PermissionDenied(_("Bạn chưa ghi danh khóa học này."))
    return enrollment


@transaction.atomic
def mark_lesson_done(*, user: User, lesson: Lesson, now: datetime | None = None) -> CourseProgress:
    """Record a lesson as done and, if that finishes the course, the completion."""
    now = now or timezone.now()
    course = lesson.module.course
    if course.status == Course.Status.ARCHIVED:
        raise PermissionDenied(_("Khóa học đã lưu trữ: không ghi nhận thêm tiến độ."))
    if not course.is_published:
        raise PermissionDenied(_("Khóa học chưa xuất bản."))
    enrollment = _locked_enrollment(user, course)
    progress = progress_of(enrollment)
    state = next((m for m in progress.modules if m.module.pk == lesson.module_id), None)
    if state is None or state.locked:
        raise PermissionDenied(_("Học phần này chưa mở. Hãy hoàn thành học phần trước."))
    if lesson.pk not in state.done_lessons:
        LessonProgress.objects.update_or_create(
            enrollment=enrollment, lesson=lesson, defaults={"done_at": now}
        )
        state.done_lessons.add(lesson.pk)
        _complete_if_done(enrollment, progress, now)
    return progress


def _complete_if_done(
    enrollment: Enrollment, progress: CourseProgress, now: datetime
) -> Completion | None:
    if enrollment.completed_at is not None or not progress.complete:
        return None
    completion = Completion.objects.create(
        enrollment=enrollment,
        user_id=enrollment.user_id,
        course_id=enrollment.course_id,
        completed_at=now,
        score=progress.score(),
        on_time=enrollment.due_date is None or timezone.localdate(now) <= enrollment.due_date,
    )
    enrollment.completed_at = now
    enrollment.save(update_fields=["completed_at"])
    course_completed.send(sender=Enrollment, enrollment=enrollment, completion=completion)
    return completion


@transaction.atomic
def check_completion(*, enrollment: Enrollment, now: datetime | None = None) -> Completion | None:
    """Record the completion if the rules are met (idempotent)."""
    now = now or timezone.now()
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=enrollment.pk)
    )
    if not enrollment.is_active:
        return None
    return _complete_if_done(enrollment, progress_of(enrollment), now)


def on_quiz_grade_changed(sender: Any, grade: Any, **kwargs: Any) -> None:
    """A quiz grade changed (inside the grading transaction). A pass may complete
    the course: that is decided by a task once the grade commits, so a submit
    does only the grading (an exam wave's deadline brings thousands at once) and
    the completion follows within moments; `sweep_completions` finds any pass
    whose task was never published."""
    if grade.passed:
        transaction.on_commit(request_drain)


# A wave's deadline brings thousands of passes within a minute. Publishing a task
# for each cost every submit about 0.5 ms of CPU (a fifth of its grading) and the
# workers their overhead per task. A pass now only makes sure that a drain of the
# passes not yet decided is on its way: a cache flag is held from the moment a
# pass publishes the drain until the drain finds nothing left, so the passes in
# between publish nothing and one drain at a time decides them all. A flag whose
# drain was lost expires; the sweeper covers the passes in between.
DRAIN_FLAG = "courses:completions-drain:v1"
DRAIN_FLAG_SECONDS = 60
DRAIN_WINDOW = timedelta(minutes=10)  # older undecided passes: sweep_completions
DRAIN_BATCH = 500


def request_drain() -> None:
    """Publish `complete_passes`, unless a drain is already on its way or running."""
    if cache.add(DRAIN_FLAG, "requested", DRAIN_FLAG_SECONDS):
        from .tasks import complete_passes

        if not enqueue(complete_passes):
            cache.delete(DRAIN_FLAG)  # the next pass tries again


def complete_passes(*, limit: int = DRAIN_BATCH) -> int:
    """Decide the completion of each recent pass not decided yet (the drain), one
    learner at a time as `complete_after_pass`, until none is left; returns how
    many it checked. A learner whose completion fails is left to the next drain
    or the sweeper (logged), not retried here.

    The drain holds the flag under a token of its own: one that waited in the
    queue past the flag's life (another drain may have started meanwhile) never
    lets go of the other's flag, and a drain that fails lets go of its own."""
    token = uuid.uuid4().hex
    cache.set(DRAIN_FLAG, token, DRAIN_FLAG_SECONDS)
    failed: set[tuple[int, int]] = set()
    checked = 0
    try:
        while True:
            pending = _undecided_passes(limit, failed)
            for user_id, quiz_id in pending:
                try:
                    complete_after_pass(user_id=user_id, quiz_id=quiz_id)
                except Exception:  # rolled back; must not hold up the others
                    log.exception(
                        "completion after the pass of user %s in quiz %s", user_id, quiz_id
                    )
                    failed.add((user_id, quiz_id))
            checked += len(pending)
            if len(pending) == limit:
                cache.set(DRAIN_FLAG, token, DRAIN_FLAG_SECONDS)  # still at it
                continue
            if cache.get(DRAIN_FLAG) != token:
                return checked  # another drain holds the flag: it looks last
            cache.delete(DRAIN_FLAG)
            # A pass that committed after the read above found the flag set and
            # published nothing: look once more, and go on unless a drain took over.
            if not _undecided_passes(1, failed) or not cache.add(
                DRAIN_FLAG, token, DRAIN_FLAG_SECONDS
            ):
                return checked
    except BaseException:
        if cache.get(DRAIN_FLAG) == token:
            cache.delete(DRAIN_FLAG)  # the next pass publishes another drain
        raise


def _undecided_passes(limit: int, skip: set[tuple[int, int]]) -> list[tuple[int, int]]:
    from quizzes.models import QuizGrade

    rows = (
        QuizGrade.objects.filter(passed=True, passed_at__gte=timezone.now() - DRAIN_WINDOW)
        .exclude(completion_checked_at=F("passed_at"))
        .order_by("passed_at")
        .values_list("user_id", "quiz_id")[: limit + len(skip)]
    )
    return [row for row in rows if row not in skip][:limit]


# The completion task runs once per pass of an exam wave: its two reads are
# written out (the ORM compiled each for longer than the database ran it).
PASS_TO_CHECK_SQL = """
UPDATE quizzes_quizgrade SET completion_checked_at = passed_at
WHERE user_id = %s AND quiz_id = %s AND passed
RETURNING {grade}
"""
# The newest open enrolment in a course that has the quiz as a module quiz or final exam.
ENROLLMENT_TO_COMPLETE_SQL = """
SELECT {enrollment}, {course}
FROM courses_enrollment e JOIN courses_course c ON c.id = e.course_id
WHERE e.user_id = %s AND e.status = %s AND e.completed_at IS NULL
  AND (c.final_exam_id = %s OR c.id IN (SELECT m.course_id FROM courses_module m WHERE m.quiz_id = %s))
ORDER BY e.enrolled_at DESC, e.id DESC
LIMIT 1{lock}
"""


@transaction.atomic
def complete_after_pass(*, user_id: int, quiz_id: int) -> Completion | None:
    """Record the completion a passed quiz grade brings about (idempotent), in a
    constant number of queries whatever the size of the course.

    The grade stays locked until the completion is written, so a regrade below
    the mark waits for it (and then flags its certificate) instead of slipping in
    between. The course is completed as of the last step it counted, so a late
    task, or one that ran after a later pass, changes nothing but the moment."""
    from quizzes.models import QuizGrade

    # Locked and stamped in one statement: stamped with the pass it checked, not
    # the clock, so a later pass differs from it.
    grades = fetch(
        PASS_TO_CHECK_SQL.format(grade=columns(QuizGrade, "quizzes_quizgrade")),
        [user_id, quiz_id],
        QuizGrade,
    )
    if not grades:  # regraded or overridden below the mark meanwhile
        return None
    (grade,) = grades[0]
    rows = fetch(
        ENROLLMENT_TO_COMPLETE_SQL.format(
            enrollment=columns(Enrollment, "e"), course=columns(Course, "c"), lock=for_update("e")
        ),
        [user_id, Enrollment.Status.ACTIVE, quiz_id, quiz_id],
        Enrollment,
        Course,
    )
    if not rows:
        return None
    enrollment, enrollment.course = rows[0]
    progress = progress_of(enrollment, grades=[grade])
    return _complete_if_done(enrollment, progress, progress.last_step_at or timezone.now())


def sweep_completions(*, within_days: int = 2, limit: int = 1000) -> int:
    """Do what a lost `complete_after_pass` task left undone: passes of the last
    `within_days` (older than three minutes, so not those still queued behind
    an exam wave) whose completion was not decided since they passed. Returns
    how many it checked."""
    from quizzes.models import QuizGrade

    now = timezone.now()
    pending = list(
        QuizGrade.objects.filter(
            passed=True,
            passed_at__gte=now - timedelta(days=within_days),
            passed_at__lte=now - timedelta(minutes=3),
        )
        .exclude(completion_checked_at=F("passed_at"))
        .order_by("passed_at")
        .values_list("user_id", "quiz_id")[:limit]
    )
    for user_id, quiz_id in pending:
        complete_after_pass(user_id=user_id, quiz_id=quiz_id)
    return len(pending)


@transaction.atomic
def recheck_course(*, course: Course) -> list[Completion]:
    """After content was removed, complete whoever now meets the rules."""
    now = timezone.now()
    pending = list(
        Enrollment.objects.active()
        .filter(course=course, completed_at__isnull=True)
        .select_related("course")
        .select_for_update(of=("self",))
    )
    done = []
    for progress in progress_for(pending).values():
        completion = _complete_if_done(progress.enrollment, progress, now)
        if completion is not None:
            done.append(completion)
    return done


@transaction.atomic
def recheck_learners(
    *, course_id: int, user_ids: Iterable[int], now: datetime | None = None
) -> list[Completion]:
    """A requirement another app adds (attendance, evaluation) may now be met by
    these learners: complete whoever meets every rule, in a few queries."""
    now = now or timezone.now()
    pending = list(
        Enrollment.objects.active()
        .filter(course_id=course_id, user_id__in=list(user_ids), completed_at__isnull=True)
        .select_related("course")
        .select_for_update(of=("self",))
    )
    done = []
    for progress in progress_for(pending).values():
        completion = _complete_if_done(progress.enrollment, progress, now)
        if completion is not None:
            done.append(completion)
    return done


@transaction.atomic
def restart_cycle(*, enrollment: Enrollment, now: datetime | None = None) -> Enrollment:
    """Start a new certification cycle: earlier lessons and quizzes no longer count."""
    now = now or timezone.now()
    enrollment.cycle_started_at = now
    enrollment.completed_at = None
    enrollment.save(update_fields=["cycle_started_at", "completed_at"])
    return enrollment


def bulk_enrol(
    *, actor: User, course: Course, upload: IO[bytes], due_date: date | None = None
) -> Any:
    from .imports import bulk_enrol as _bulk

    return _bulk(actor=actor, course=course, upload=upload, due_date=due_date)
