"""The gradebook: one row per learner in the viewer's scope, one column per quiz.

A page costs a fixed number of queries whatever the number of learners and
attempts: the quizzes, the count, the page of enrolments, then the page's
grades, attempt summaries and certificates, each in one query.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.text import vi_order
from courses.models import Course, Enrollment, LessonProgress
from quizzes.models import Attempt, Quiz, QuizGrade

if TYPE_CHECKING:
    from accounts.models import Unit, User


class CellState:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    NEEDS_GRADING = "needs_grading"
    PASSED = "passed"
    FAILED = "failed"

    LABELS = {
        NOT_STARTED: _("Chưa làm"),
        IN_PROGRESS: _("Đang làm"),
        NEEDS_GRADING: _("Chờ chấm"),
        PASSED: _("Đạt"),
        FAILED: _("Chưa đạt"),
    }


class RowStatus:
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    OVERDUE = "overdue"
    NEEDS_GRADING = "needs_grading"

    LABELS = {
        COMPLETED: _("Đã hoàn thành"),
        IN_PROGRESS: _("Đang học"),
        NOT_STARTED: _("Chưa bắt đầu"),
        OVERDUE: _("Quá hạn"),
        NEEDS_GRADING: _("Có bài chờ chấm"),
    }


@dataclass
class Cell:
    quiz: Quiz
    state: str
    percent: Decimal | None = None
    overridden: bool = False
    attempts: int = 0
    last_attempt_id: int | None = None

    @property
    def label(self) -> str:
        return str(CellState.LABELS[self.state])


@dataclass
class Row:
    enrollment: Enrollment
    status: str
    cells: list[Cell] = field(default_factory=list)
    certificate: Any = None  # (pk, serial) of the valid certificate, if any

    @property
    def user(self) -> User:
        return self.enrollment.user

    @property
    def status_label(self) -> str:
        return str(RowStatus.LABELS[self.status])


def course_quizzes(course: Course) -> list[Quiz]:
    """The course's quizzes in module order, the final exam last (one query)."""
    quizzes = list(
        Quiz.objects.filter(Q(module__course=course) | Q(final_exam_of=course))
        .select_related("module")
        .order_by("title", "pk")
    )

    def key(quiz: Quiz) -> tuple[int, int]:
        module = getattr(quiz, "module", None)
        if module is not None and module.course_id == course.pk:
            return (0, module.order)
        return (1, 0)

    return sorted(quizzes, key=key)


def enrollments(
    viewer: User,
    course: Course,
    quizzes: list[Quiz],
    *,
    unit: Unit | None = None,
    status: str = "",
    due_from: date | None = None,
    due_to: date | None = None,
    today: date | None = None,
) -> Any:
    """Active enrolments of `course` in the viewer's scope, filtered and in Vietnamese order."""
    if not viewer.is_trainer:
        return Enrollment.objects.none()
    today = today or timezone.localdate()
    quiz_ids = [q.pk for q in quizzes]
    attempts = Attempt.objects.filter(user=OuterRef("user"), quiz_id__in=quiz_ids, is_preview=False)
    qs = Enrollment.objects.active().filter(course=course).visible_to(viewer)
    if unit is not None:
        qs = qs.filter(user__unit__path__startswith=unit.path)
    if due_from:
        qs = qs.filter(due_date__gte=due_from)
    if due_to:
        qs = qs.filter(due_date__lte=due_to)
    # Subqueries only when a filter needs them: annotating every row would
    # make the database evaluate them for the whole course before sorting.
    attempted = Exists(attempts)
    studied = Exists(LessonProgress.objects.filter(enrollment=OuterRef("pk")))
    if status == RowStatus.COMPLETED:
        qs = qs.filter(completed_at__isnull=False)
    elif status == RowStatus.OVERDUE:
        qs = qs.filter(completed_at__isnull=True, due_date__lt=today)
    elif status == RowStatus.IN_PROGRESS:
        qs = qs.filter(attempted | studied, completed_at__isnull=True)
    elif status == RowStatus.NOT_STARTED:
        qs = qs.filter(~attempted, ~studied, completed_at__isnull=True)
    elif status == RowStatus.NEEDS_GRADING:
        qs = qs.filter(Exists(attempts.filter(needs_grading=True)))
    return qs.select_related("user__unit").order_by(
        vi_order("user__full_name").asc(), "user__username", "pk"
    )


def _row_status(enrollment: Enrollment, started: bool, today: date) -> str:
    if enrollment.completed_at is not None:
        return RowStatus.COMPLETED
    if enrollment.due_date and enrollment.due_date < today:
        return RowStatus.OVERDUE
    return RowStatus.IN_PROGRESS if started else RowStatus.NOT_STARTED


def _cell(quiz: Quiz, grade: tuple | None, summary: Any) -> Cell:
    """grade: (user id, quiz id, percent, passed, override percent) of the QuizGrade."""
    summary = summary or {}
    cell = Cell(
        quiz=quiz,
        state=CellState.NOT_STARTED,
        attempts=summary.get("n", 0),
        last_attempt_id=summary.get("last"),
    )
    if grade is not None:
        cell.percent = grade[2]
        cell.overridden = grade[4] is not None
    if grade is not None and grade[3]:
        cell.state = CellState.PASSED
    elif summary.get("pending"):
        cell.state = CellState.NEEDS_GRADING
    elif summary.get("open"):
        cell.state = CellState.IN_PROGRESS
    elif grade is not None:
        cell.state = CellState.FAILED
    return cell


def build_rows(
    page: list[Enrollment], course: Course, quizzes: list[Quiz], today: date | None = None
) -> list[Row]:
    """Cells for a page of enrolments: four queries, whatever the page size."""
    today = today or timezone.localdate()
    user_ids = [e.user_id for e in page]
    quiz_ids = [q.pk for q in quizzes]
    grades = {
        (g[0], g[1]): g
        for g in QuizGrade.objects.filter(user_id__in=user_ids, quiz_id__in=quiz_ids)
        .order_by()
        .values_list("user_id", "quiz_id", "percent", "passed", "override_percent")
    }
    summaries = {
        (s["user_id"], s["quiz_id"]): s
        for s in Attempt.objects.filter(
            user_id__in=user_ids, quiz_id__in=quiz_ids, is_preview=False
        )
        .values("user_id", "quiz_id")
        .annotate(
            n=Count("id"),
            open=Count("id", filter=Q(state=Attempt.State.OPEN)),
            pending=Count("id", filter=Q(needs_grading=True)),
            last=Max("id"),
        )
        .order_by()
    }
    certificates = _certificates(user_ids, course)
    studied = set(
        LessonProgress.objects.filter(enrollment__in=[e.pk for e in page])
        .values_list("enrollment_id", flat=True)
        .distinct()
    )
    attempted = {user_id for user_id, _quiz in summaries}
    rows = []
    for enrollment in page:
        row = Row(
            enrollment=enrollment,
            status=_row_status(
                enrollment, enrollment.user_id in attempted or enrollment.pk in studied, today
            ),
            certificate=certificates.get(enrollment.user_id),
        )
        row.cells = [
            _cell(
                q, grades.get((enrollment.user_id, q.pk)), summaries.get((enrollment.user_id, q.pk))
            )
            for q in quizzes
        ]
        rows.append(row)
    return rows


def _certificates(user_ids: list[int], course: Course) -> dict[int, tuple[int, str]]:
    try:
        from courses.certificates.models import Certificate
    except ImportError:  # certificates are optional for reports
        return {}
    return {
        user_id: (pk, serial)
        for pk, user_id, serial in Certificate.objects.filter(
            user_id__in=user_ids, course=course, status=Certificate.Status.VALID
        ).values_list("pk", "user_id", "serial")
    }


def iter_rows(
    queryset: QuerySet[Enrollment],
    course: Course,
    quizzes: list[Quiz],
    *,
    chunk: int = 500,
    progress: Any = None,
) -> Iterator[Row]:
    """Every row of a filtered gradebook, a chunk at a time (for exports)."""
    ids = list(queryset.values_list("pk", flat=True))
    today = timezone.localdate()
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        found = {
            e.pk: e for e in Enrollment.objects.filter(pk__in=part).select_related("user__unit")
        }
        yield from build_rows([found[pk] for pk in part if pk in found], course, quizzes, today)
        if progress is not None:
            progress(min(start + chunk, len(ids)), len(ids))


def local_date(value: datetime | None) -> date | None:
    return timezone.localdate(value) if value else None
