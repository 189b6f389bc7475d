"""Attendance roll-up by unit: invited / registered / present / excused / absent.

Counted in person-sessions ("lượt") over a course's sessions that are not
cancelled, or over one session. Learners are counted in their own unit and
added up the tree, within the viewer's scope. Invited means an active
learner in an invited unit's subtree (today's placement); absent means
recorded absent, or invited to a session that has ended with no record.
A fixed number of queries per session, whatever the number of learners.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from accounts.models import Unit, User, subtree_q

if TYPE_CHECKING:
    from courses.models import Course

    from .models import TrainingSession

FIELDS = ("invited", "registered", "present", "excused", "absent")


@dataclass
class AttendanceStats:
    unit: Unit
    level: int = 0
    invited: int = 0
    registered: int = 0
    present: int = 0
    excused: int = 0
    absent: int = 0
    has_children: bool = False

    def add(self, other: AttendanceStats) -> None:
        for name in FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def attendance_rate(self) -> float | None:
        return 100.0 * self.present / self.invited if self.invited else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": {"id": self.unit.pk, "name": self.unit.name, "code": self.unit.code},
            "level": self.level,
            **{name: getattr(self, name) for name in FIELDS},
        }


@dataclass
class AttendanceRollup:
    unit: Unit
    course: Course
    sessions: list[TrainingSession]
    total: AttendanceStats
    children: list[AttendanceStats]
    tree: list[AttendanceStats]


def course_sessions(course: Course, session_id: int | None = None) -> list[TrainingSession]:
    from .models import TrainingSession

    qs = TrainingSession.objects.filter(course=course).exclude(
        status=TrainingSession.Status.CANCELLED
    )
    if session_id is not None:
        qs = qs.filter(pk=session_id)
    return list(qs.prefetch_related("invited_units").order_by("starts_at", "pk"))


def _scoped(viewer: User, qs: Any, unit: Unit, field: str) -> Any:
    scope = viewer.scope_q(field)
    if scope is not None:
        qs = qs.filter(scope)
    return qs.filter(**{f"{field}__startswith": unit.path})


def attendance_rollup(
    viewer: User,
    unit: Unit,
    course: Course,
    *,
    sessions: list[TrainingSession] | None = None,
    now: datetime | None = None,
) -> AttendanceRollup:
    """The caller has checked `viewer.can_see_unit(unit)` and the course."""
    from .models import Attendance, Registration

    now = now or timezone.now()
    sessions = course_sessions(course) if sessions is None else sessions
    units = list(Unit.objects.filter(path__startswith=unit.path).order_by("path"))
    own = {u.pk: AttendanceStats(unit=u, level=u.depth - unit.depth) for u in units}

    def bump(unit_id: int | None, name: str, n: int) -> None:
        stats = own.get(unit_id) if unit_id is not None else None
        if stats is not None:
            setattr(stats, name, getattr(stats, name) + n)

    learners = _scoped(viewer, User.objects.learners(), unit, "unit__path")
    for s in sessions:
        paths = [u.path for u in s.invited_units.all()]
        if not paths:
            continue
        invited = learners.filter(subtree_q(paths, "unit__path"))
        recorded = Attendance.objects.filter(session=s, user=OuterRef("pk"))
        ended = s.ends_at <= now
        counts: dict[str, Any] = {"n": Count("id")}
        if ended:
            counts["unrecorded"] = Count("id", filter=~Exists(recorded))
        for row in invited.values("unit_id").annotate(**counts).order_by():
            bump(row["unit_id"], "invited", row["n"])
            if ended:
                bump(row["unit_id"], "absent", row["unrecorded"])
    ids = [s.pk for s in sessions]
    registrations = _scoped(
        viewer,
        Registration.objects.filter(session_id__in=ids, status=Registration.Status.REGISTERED),
        unit,
        "user__unit__path",
    )
    for row in registrations.values("user__unit_id").annotate(n=Count("id")).order_by():
        bump(row["user__unit_id"], "registered", row["n"])
    records = _scoped(
        viewer, Attendance.objects.filter(session_id__in=ids), unit, "user__unit__path"
    )
    names = {
        Attendance.Status.PRESENT: "present",
        Attendance.Status.LATE: "present",
        Attendance.Status.EXCUSED: "excused",
        Attendance.Status.ABSENT: "absent",
    }
    for row in records.values("user__unit_id", "status").annotate(n=Count("id")).order_by():
        bump(row["user__unit_id"], names[row["status"]], row["n"])

    total_by_path = {u.path: AttendanceStats(unit=u, level=u.depth - unit.depth) for u in units}
    step = Unit.steplen
    for u in units:
        for end in range(len(unit.path), len(u.path) + 1, step):
            total_by_path[u.path[:end]].add(own[u.pk])
        if u.path != unit.path:
            total_by_path[u.path[:-step]].has_children = True
    tree = [total_by_path[u.path] for u in units]
    return AttendanceRollup(
        unit=unit,
        course=course,
        sessions=sessions,
        total=total_by_path[unit.path],
        children=[s for s in tree if s.level == 1],
        tree=tree,
    )


@dataclass
class LearnerLine:
    user: User
    statuses: list[str]  # per session: registered/declined/present/late/excused/absent/""


def learner_lines(
    viewer: User, unit: Unit, sessions: list[TrainingSession], *, now: datetime | None = None
) -> list[LearnerLine]:
    """The drill-down: each invited learner of the unit's subtree with their
    status in each session (three queries)."""
    from accounts.text import vi_order

    from .models import Attendance, Registration

    now = now or timezone.now()
    paths = {s.pk: [u.path for u in s.invited_units.all()] for s in sessions}
    every = sorted({p for ps in paths.values() for p in ps})
    people = list(
        _scoped(viewer, User.objects.learners(), unit, "unit__path")
        .filter(subtree_q(every, "unit__path"))
        .select_related("unit")
        .order_by("unit__path", vi_order("full_name"), "pk")
    )
    ids = [s.pk for s in sessions]
    user_ids = [u.pk for u in people]
    records = {
        (u, s): st
        for u, s, st in Attendance.objects.filter(
            session_id__in=ids, user_id__in=user_ids
        ).values_list("user_id", "session_id", "status")
    }
    regs = {
        (u, s): st
        for u, s, st in Registration.objects.filter(
            session_id__in=ids, user_id__in=user_ids
        ).values_list("user_id", "session_id", "status")
    }
    lines = []
    for person in people:
        statuses = []
        for s in sessions:
            if not any(person.unit and person.unit.path.startswith(p) for p in paths[s.pk]):
                statuses.append("-")
                continue
            status = records.get((person.pk, s.pk)) or regs.get((person.pk, s.pk)) or ""
            unrecorded = (person.pk, s.pk) not in records
            if unrecorded and s.ends_at <= now:
                status = "absent"  # invited to a session that ended, never checked in
            statuses.append(status)
        lines.append(LearnerLine(user=person, statuses=statuses))
    return lines


def rollup_sheet(viewer: User, unit: Unit, course: Course) -> Any:
    """The attendance roll-up as an extra sheet of the unit roll-up export
    (courses.reports.builders.ROLLUP_SHEETS); None when the course has no sessions."""
    from django.utils.translation import gettext as _

    from courses.reports.builders import _authority
    from courses.reports.tables import Table

    rollup = attendance_rollup(viewer, unit, course)
    if not rollup.sessions:
        return None
    authority, unit_name, place = _authority(viewer, unit)
    rows = [
        (
            [n, s.unit.name, s.invited, s.registered, s.present, s.excused, s.absent],
            s.level,
            s.level == 0 or s.has_children,
        )
        for n, s in enumerate(rollup.tree, start=1)
    ]
    return Table(
        title=_("Tổng hợp tham dự tập huấn"),
        subtitle=course.title,
        authority=authority,
        unit_name=unit_name,
        place=place,
        header=[
            _("STT"),
            _("Đơn vị"),
            _("Được mời"),
            _("Đăng ký"),
            _("Có mặt"),
            _("Vắng có lý do"),
            _("Vắng"),
        ],
        rows=rows,
        widths=[6, 48, 12, 12, 12, 14, 10],
        sheet_name=_("Tham dự tập huấn"),
    )
