"""Filling a required survey as a course completion step (courses.requirements provider)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from courses.requirements import Step

if TYPE_CHECKING:
    from courses.models import Enrollment


def survey_steps(enrollments: Sequence[Enrollment]) -> dict[int, list[Step]]:
    """One step per required survey of each enrolment's course.

    One query for the batch's required surveys; only when there are any, one
    for these learners' submissions (never their answers).
    """
    from .models import Survey, SurveySubmission

    course_ids = {e.course_id for e in enrollments}
    if not course_ids:
        return {}
    surveys = list(
        Survey.objects.filter(course_id__in=course_ids, required=True)
        .only("pk", "course_id", "title")
        .order_by("pk")
    )
    if not surveys:
        return {}
    users = {e.user_id for e in enrollments}
    done = {
        (user_id, survey_id): at
        for user_id, survey_id, at in SurveySubmission.objects.filter(
            survey__in=surveys, user_id__in=users
        ).values_list("user_id", "survey_id", "submitted_at")
    }
    result: dict[int, list[Step]] = {}
    for e in enrollments:
        steps = []
        for s in surveys:
            if s.course_id != e.course_id:
                continue
            at = done.get((e.user_id, s.pk))
            steps.append(
                Step(
                    key=f"survey-{s.pk}",
                    label=_("Điền phiếu đánh giá: %(title)s") % {"title": s.title},
                    done=at is not None,
                    detail=_("Đã điền") if at else _("Chưa điền"),
                    url="" if at else reverse("frontend:survey-fill", args=[s.pk]),
                    done_at=at,
                )
            )
        if steps:
            result[e.pk] = steps
    return result
