"""Unit roll-up: a course's results summed up the organisation tree.

Counts are grouped per learner's own unit in the database (two grouped
queries), then added up to every ancestor in Python, so a roll-up costs the
same few queries for ten learners or ten thousand, and for any depth.
Only learners in the viewer's scope are counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Floor, Least
from django.utils import timezone

from accounts.models import Unit
from courses.models import Course, Enrollment
from quizzes.models import QuizGrade

from .gradebook import course_quizzes

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class UnitStats:
    unit: Unit
    level: int = 0  # depth below the unit the roll-up was asked for
    enrolled: int = 0
    completed: int = 0
    on_time: int = 0
    overdue: int = 0
    graded: int = 0
    passed: int = 0
    score_sum: float = 0.0
    has_children: bool = False

    def add(self, other: UnitStats) -> None:
        self.enrolled += other.enrolled
        self.completed += other.completed
        self.on_time += other.on_time
        self.overdue += other.overdue
        self.graded += other.graded
        self.passed += other.passed
        self.score_sum += other.score_sum

    @property
    def average(self) -> float | None:
        return self.score_sum / self.graded if self.graded else None

    @property
    def pass_rate(self) -> float | None:
        return 100.0 * self.passed / self.graded if self.graded else None

    @property
    def completion_rate(self) -> float | None:
        return 100.0 * self.completed / self.enrolled if self.enrolled else None

    def as_dict(self) -> dict:
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 2)

        return {
            "unit": {"id": self.unit.pk, "name": self.unit.name, "code": self.unit.code},
            "level": self.level,
            "enrolled": self.enrolled,
            "completed": self.completed,
            "completed_on_time": self.on_time,
            "overdue": self.overdue,
            "average_score": r(self.average),
            "pass_rate": r(self.pass_rate),
            "completion_rate": r(self.completion_rate),
        }


@dataclass
class Rollup:
    unit: Unit
    course: Course
    total: UnitStats
    children: list[UnitStats]
    tree: list[UnitStats]  # the whole subtree in tree order (for exports)
    distribution: list[int]  # grades per 10-point band: [0,10), ..., [90,100]


def _scoped(viewer: User, qs, unit: Unit, field: str):  # type: ignore[no-untyped-def]
    scope = viewer.scope_q(field)
    if scope is not None:
        qs = qs.filter(scope)
    return qs.filter(**{f"{field}__startswith": unit.path})


def unit_rollup(viewer: User, unit: Unit, course: Course, *, today: date | None = None) -> Rollup:
    """The caller has checked `viewer.can_see_unit(unit)`; learners outside the
    viewer's scope are left out whatever unit is asked for."""
    today = today or timezone.localdate()
    units = list(Unit.objects.filter(path__startswith=unit.path).order_by("path"))
    own: dict[int, UnitStats] = {u.pk: UnitStats(unit=u, level=u.depth - unit.depth) for u in units}
    enrolments = _scoped(
        viewer, Enrollment.objects.active().filter(course=course), unit, "user__unit__path"
    )
    for row in (
        enrolments.values("user__unit_id")
        .annotate(
            enrolled=Count("id"),
            completed=Count("id", filter=Q(completed_at__isnull=False)),
            on_time=Count(
                "id",
                filter=Q(completed_at__isnull=False)
                & (Q(due_date__isnull=True) | Q(completed_at__date__lte=F("due_date"))),
            ),
            overdue=Count("id", filter=Q(completed_at__isnull=True, due_date__lt=today)),
        )
        .order_by()
    ):
        stats = own.get(row["user__unit_id"])
        if stats is not None:
            stats.enrolled = row["enrolled"]
            stats.completed = row["completed"]
            stats.on_time = row["on_time"]
            stats.overdue = row["overdue"]
    quiz_ids = [q.pk for q in course_quizzes(course)]
    grades = _scoped(
        viewer,
        QuizGrade.objects.filter(
            quiz_id__in=quiz_ids,
            user__enrollments__course=course,
            user__enrollments__status=Enrollment.Status.ACTIVE,
        ),
        unit,
        "user__unit__path",
    )
    # One grouped pass gives both the per-unit sums and the score distribution.
    distribution = [0] * 10
    band = Least(Floor(F("percent") / 10), Value(9), output_field=IntegerField())
    for row in (
        grades.annotate(band=band)
        .values("user__unit_id", "band")
        .annotate(
            graded=Count("id"),
            passed=Count("id", filter=Q(passed=True)),
            score=Sum("percent"),
        )
        .order_by()
    ):
        distribution[max(0, min(9, int(row["band"])))] += row["graded"]
        stats = own.get(row["user__unit_id"])
        if stats is not None:
            stats.graded += row["graded"]
            stats.passed += row["passed"]
            stats.score_sum += float(row["score"] or 0)

    # Add every unit's own numbers to itself and its ancestors within the subtree.
    by_path = {u.path: own[u.pk] for u in units}
    total_by_path: dict[str, UnitStats] = {
        u.path: UnitStats(unit=u, level=u.depth - unit.depth) for u in units
    }
    step = Unit.steplen
    for u in units:
        for end in range(len(unit.path), len(u.path) + 1, step):
            total_by_path[u.path[:end]].add(by_path[u.path])
        if u.path != unit.path:
            total_by_path[u.path[:-step]].has_children = True
    tree = [total_by_path[u.path] for u in units]
    total = total_by_path[unit.path]
    children = [s for s in tree if s.level == 1]
    return Rollup(
        unit=unit,
        course=course,
        total=total,
        children=children,
        tree=tree,
        distribution=distribution,
    )
