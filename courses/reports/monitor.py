"""Live exam monitor: who started, how far they are, when they last saved, who submitted.

Three queries whatever the number of learners and attempts (the course, the
enrolments in scope, the attempts with their answered-slot counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.text import vi_order
from courses.models import Course, Enrollment
from quizzes.models import Attempt, Quiz

if TYPE_CHECKING:
    from accounts.models import Unit, User

STATE_LABELS = {
    "not_started": _("Chưa vào thi"),
    "in_progress": _("Đang làm"),
    "submitted": _("Đã nộp"),
}


@dataclass
class MonitorRow:
    user: User
    state: str = "not_started"
    attempt: Attempt | None = None
    answered: int = 0
    total: int = 0

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def last_saved_at(self) -> datetime | None:
        return self.attempt.last_saved_at if self.attempt else None


@dataclass
class Monitor:
    quiz: Quiz
    course: Course | None
    rows: list[MonitorRow] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in STATE_LABELS}


def quiz_course(quiz: Quiz) -> Course | None:
    return Course.objects.filter(Q(modules__quiz=quiz) | Q(final_exam=quiz)).first()


def monitor(viewer: User, quiz: Quiz, *, unit: Unit | None = None) -> Monitor:
    """The latest attempt of every learner enrolled in the quiz's course, in scope."""
    course = quiz_course(quiz)
    result = Monitor(quiz=quiz, course=course)
    if course is None or not viewer.is_trainer:
        return result
    enrolments = Enrollment.objects.active().filter(course=course).visible_to(viewer)
    if unit is not None:
        enrolments = enrolments.filter(user__unit__path__startswith=unit.path)
    people = list(
        enrolments.select_related("user__unit").order_by(
            vi_order("user__full_name").asc(), "user__username"
        )
    )
    attempts = (
        Attempt.objects.filter(
            quiz=quiz, user_id__in=enrolments.values("user_id"), is_preview=False
        )
        .annotate(
            answered=Count("slots", filter=Q(slots__response__isnull=False)),
            total=Count("slots"),
        )
        .order_by("user_id", "number")
    )
    latest: dict[int, Attempt] = {}
    for each in attempts:
        latest[each.user_id] = each  # ordered by number: the last one wins
    for enrolment in people:
        row = MonitorRow(user=enrolment.user)
        found = latest.get(enrolment.user_id)
        if found is not None:
            row.attempt = found
            row.answered = found.answered  # type: ignore[attr-defined]
            row.total = found.total  # type: ignore[attr-defined]
            row.state = "in_progress" if found.is_open else "submitted"
        result.rows.append(row)
    order = {"in_progress": 0, "submitted": 1, "not_started": 2}
    result.rows.sort(key=lambda r: order[r.state])  # stable: names stay in order
    return result
