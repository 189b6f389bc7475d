"""Aggregate results, shown only for groups with enough answers.

A group is the whole survey, or the answers of one unit's subtree. A group
is shown only with at least MIN_RESPONSES answers; a unit's group also needs
the rest of the survey to be empty or at least that large, so subtracting
one shown group from another never isolates fewer than MIN_RESPONSES
people. Free text is listed in alphabetical order (never in the order it
came), with no name and no unit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from accounts.models import Unit
from accounts.text import fold

from . import MIN_RESPONSES
from .models import Survey, SurveyQuestion, SurveyResponse
from .templates import likert_labels

if TYPE_CHECKING:
    from accounts.models import User
    from courses.models import Course


@dataclass
class Option:
    label: str
    count: int
    share: float  # % of those who answered the question


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    mean: float | None = None  # Likert only
    options: list[Option] = field(default_factory=list)  # Likert 1..5 or the choices
    texts: list[str] = field(default_factory=list)


@dataclass
class Results:
    survey: Survey
    unit: Unit | None
    responses: int
    questions: list[QuestionResult]

    @property
    def likert_mean(self) -> float | None:
        means = [q.mean for q in self.questions if q.mean is not None]
        return sum(means) / len(means) if means else None


@dataclass
class UnitGroup:
    unit: Unit
    responses: int
    shown: bool


def _responses(survey: Survey, unit: Unit | None) -> Any:
    qs = SurveyResponse.objects.filter(survey=survey)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def enough(count: int, total: int | None = None) -> bool:
    if count < MIN_RESPONSES:
        return False
    if total is None:
        return True
    rest = total - count
    return rest == 0 or rest >= MIN_RESPONSES


def survey_results(survey: Survey, *, unit: Unit | None = None) -> Results | None:
    """The aggregate of a group, or None when the group is too small to show."""
    total = SurveyResponse.objects.filter(survey=survey).count()
    answers = list(_responses(survey, unit).values_list("answers", flat=True))
    if not enough(len(answers), total if unit is not None else None):
        return None
    questions = list(survey.questions.all())
    labels = likert_labels()
    out = []
    for q in questions:
        key = str(q.pk)
        values = [a[key] for a in answers if key in a]
        result = QuestionResult(question=q, answered=len(values))
        if q.kind == SurveyQuestion.Kind.TEXT:
            result.texts = sorted((str(v) for v in values if str(v).strip()), key=fold)
        else:
            counts = Counter(int(v) for v in values)
            if q.kind == SurveyQuestion.Kind.LIKERT:
                names = [(n, f"{n} — {labels[n - 1]}") for n in range(1, 6)]
                if values:
                    result.mean = sum(int(v) for v in values) / len(values)
            else:
                names = list(enumerate(q.choices))
            result.options = [
                Option(
                    label=label,
                    count=counts.get(n, 0),
                    share=100.0 * counts.get(n, 0) / len(values) if values else 0.0,
                )
                for n, label in names
            ]
        out.append(result)
    return Results(survey=survey, unit=unit, responses=len(answers), questions=out)


def unit_groups(survey: Survey, viewer: User) -> list[UnitGroup]:
    """The units the viewer sees that hold answers, with whether each may be shown.

    Two queries: answers counted per unit, and the units. Each unit's count
    is its whole subtree's.
    """
    total = 0
    own: Counter[int] = Counter()
    for unit_id, count in _count_by_unit(survey):
        total += count
        if unit_id is not None:
            own[unit_id] += count
    if not own:
        return []
    with_answers = list(Unit.objects.filter(pk__in=own).only("pk", "path"))
    paths = {u.path for u in with_answers}
    prefixes = {p[:end] for p in paths for end in range(Unit.steplen, len(p) + 1, Unit.steplen)}
    units = list(Unit.objects.visible_to(viewer).filter(path__in=prefixes).order_by("path"))
    groups = []
    for u in units:
        count = sum(own[w.pk] for w in with_answers if w.path.startswith(u.path))
        groups.append(UnitGroup(unit=u, responses=count, shown=enough(count, total)))
    return groups


def _count_by_unit(survey: Survey) -> list[tuple[int | None, int]]:
    from django.db.models import Count

    return list(
        SurveyResponse.objects.filter(survey=survey)
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit_id", "n")
    )


@dataclass
class SurveySummary:
    survey: Survey
    responses: int
    mean: float | None  # average of the Likert items, when shown


def course_summary(course: Course) -> list[SurveySummary]:
    """Every survey of the course with its count and, when it has enough
    answers, the average of its Likert items."""
    from django.db.models import Count

    surveys = list(
        Survey.objects.filter(course=course)
        .select_related("session")
        .annotate(n=Count("responses"))
        .order_by("session__starts_at", "pk")
    )
    out = []
    for s in surveys:
        results = survey_results(s) if s.n >= MIN_RESPONSES else None
        out.append(
            SurveySummary(survey=s, responses=s.n, mean=results.likert_mean if results else None)
        )
    return out


def group_label(unit: Unit | None) -> str:
    return unit.name if unit is not None else _("Tất cả phiếu")
