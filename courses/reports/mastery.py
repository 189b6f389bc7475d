"""Mastery by topic: the share of marks earned on questions carrying each tag.

Questions carry tags (the Resolution 4 groups, Directive 05 themes...); a
unit sees its weak topics, a learner theirs. One grouped query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Sum

from quizzes.models import Attempt, AttemptSlot

from .gradebook import course_quizzes

if TYPE_CHECKING:
    from accounts.models import Unit, User
    from courses.models import Course


@dataclass
class TagMastery:
    tag: str
    answered: int
    earned: float
    possible: float

    @property
    def share(self) -> float | None:
        return 100.0 * self.earned / self.possible if self.possible else None

    def as_dict(self) -> dict:
        share = self.share
        return {
            "tag": self.tag,
            "answered": self.answered,
            "share": None if share is None else round(share, 2),
        }


def mastery_by_tag(
    viewer: User,
    *,
    course: Course,
    unit: Unit | None = None,
    learner: User | None = None,
) -> list[TagMastery]:
    """Weakest topics first, over graded slots of the course's quizzes in scope."""
    slots = AttemptSlot.objects.filter(
        attempt__quiz_id__in=[q.pk for q in course_quizzes(course)],
        attempt__state=Attempt.State.FINISHED,
        attempt__is_preview=False,
        score__isnull=False,
        version__question__tags__isnull=False,
    )
    scope = viewer.scope_q("attempt__user__unit__path")
    if scope is not None:
        slots = slots.filter(scope)
    if unit is not None:
        slots = slots.filter(attempt__user__unit__path__startswith=unit.path)
    if learner is not None:
        slots = slots.filter(attempt__user=learner)
    rows = (
        slots.values("version__question__tags__name")
        .annotate(n=Count("id"), earned=Sum("score"), possible=Sum("max_points"))
        .order_by()
    )
    out = [
        TagMastery(
            tag=r["version__question__tags__name"],
            answered=r["n"],
            earned=float(r["earned"] or 0),
            possible=float(r["possible"] or 0),
        )
        for r in rows
    ]
    out.sort(key=lambda m: (m.share if m.share is not None else 101, m.tag))
    return out
