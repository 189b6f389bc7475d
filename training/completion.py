"""Attendance requirements as course completion steps (courses.requirements provider)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.requirements import Step

if TYPE_CHECKING:
    from courses.models import Enrollment

    from .models import AttendanceRule, TrainingSession


def attendance_steps(enrollments: Sequence[Enrollment]) -> dict[int, list[Step]]:
    """One step per attendance rule of each enrolment's course.

    One query for the rules of the batch's courses; when there are any, one
    for their sessions and one for these learners' attended records.
    Sessions count when attended (present or late) and not cancelled; the
    scheduled hours of a percentage rule are those of the sessions not
    cancelled.
    """
    from .models import Attendance, AttendanceRule, TrainingSession

    course_ids = {e.course_id for e in enrollments}
    if not course_ids:
        return {}
    rules_by_course: dict[int, list[AttendanceRule]] = defaultdict(list)
    for rule in AttendanceRule.objects.filter(course_id__in=course_ids).select_related("module"):
        rules_by_course[rule.course_id].append(rule)
    if not rules_by_course:
        return {}
    sessions = list(
        TrainingSession.objects.filter(course_id__in=rules_by_course)
        .exclude(status=TrainingSession.Status.CANCELLED)
        .only("pk", "course_id", "module_id", "starts_at", "ends_at")
    )
    by_pk = {s.pk: s for s in sessions}
    users = {e.user_id for e in enrollments if e.course_id in rules_by_course}
    attended: dict[int, dict[int, datetime]] = defaultdict(dict)
    for user_id, session_id, checked_in_at, updated_at in Attendance.objects.filter(
        session_id__in=by_pk, user_id__in=users, status__in=Attendance.ATTENDED
    ).values_list("user_id", "session_id", "checked_in_at", "updated_at"):
        attended[user_id][session_id] = checked_in_at or updated_at

    result: dict[int, list[Step]] = {}
    for e in enrollments:
        rules = rules_by_course.get(e.course_id)
        if not rules:
            continue
        mine = attended.get(e.user_id, {})
        steps = []
        for rule in rules:
            pool = [
                s
                for s in sessions
                if s.course_id == e.course_id
                and (rule.module_id is None or s.module_id == rule.module_id)
            ]
            steps.append(_step(rule, pool, mine))
        result[e.pk] = steps
    return result


def _step(rule: AttendanceRule, pool: list[TrainingSession], mine: dict[int, datetime]) -> Step:
    went = sorted((s for s in pool if s.pk in mine), key=lambda s: mine[s.pk])
    if rule.kind == rule.Kind.SESSIONS:
        done = len(went) >= rule.minimum
        detail = ngettext(
            "Đã tham dự %(done)s/%(need)s buổi",
            "Đã tham dự %(done)s/%(need)s buổi",
            rule.minimum,
        ) % {"done": len(went), "need": rule.minimum}
        done_at = mine[went[rule.minimum - 1].pk] if done else None
    else:
        total = sum((s.hours() for s in pool), Decimal(0))
        have = sum((s.hours() for s in went), Decimal(0))
        percent = (have * 100 / total) if total else Decimal(0)
        done = total > 0 and percent >= rule.minimum
        detail = _("Đã tham dự %(have)s/%(total)s giờ (%(percent)s%%)") % {
            "have": _hours(have),
            "total": _hours(total),
            "percent": int(percent),
        }
        done_at = max((mine[s.pk] for s in went), default=None) if done else None
    return Step(
        key=f"attendance-{rule.pk}",
        label=rule.label(),
        done=done,
        detail=detail,
        url=reverse("frontend:session-list"),
        done_at=done_at,
    )


def _hours(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")
