"""Aggregate results, shown only for groups with enough answers.

What a viewer can ever be shown for one survey at one moment is the whole
survey and the cells of ONE partition of its answers, never a unit nested
in another shown unit:

- The scope is the smallest unit holding the course's owner unit and every
  unit that has answers. The cells are the scope's direct children that hold
  answers, each with the answers of its whole subtree; answers of the scope
  unit itself or of no unit belong to no cell. No other unit is a group.
- The whole survey is shown only with at least MIN_RESPONSES answers.
- A cell is shown only with at least MIN_RESPONSES answers, and only while
  the answers outside the shown cells (the scope's own, the unit-less ones
  and those of hidden cells) number 0 or at least MIN_RESPONSES; when they
  do not, shown cells are hidden too, smallest first, until they do.
- So any union or difference of what is shown (whole survey minus cells)
  covers 0 or at least MIN_RESPONSES answers: no set of fewer people can be
  read off by subtraction. Asking for any unit that is not a shown cell
  (a parent, a child, a hidden cell) gives nothing, in the page, the XLSX
  and the API alike.

Free text is listed in alphabetical order (never in the order it came),
with no name and no unit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
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


def enough(count: int) -> bool:
    return count >= MIN_RESPONSES


@dataclass
class Partition:
    """The one set of unit groups a survey offers (see the module docstring)."""

    total: int
    scope: Unit | None
    cells: list[UnitGroup]

    @property
    def shown_ids(self) -> set[int]:
        return {c.unit.pk for c in self.cells if c.shown}


def partition(survey: Survey) -> Partition:
    """The survey's cells and which may be shown, the same for every viewer.
    Three queries: the counts per unit, their paths (with the course owner
    unit's) and the scope and cell units."""
    counts = _count_by_unit(survey)
    total = sum(n for _unit, n in counts)
    own = {unit_id: n for unit_id, n in counts if unit_id is not None}
    if not own:
        return Partition(total=total, scope=None, cells=[])
    paths = dict(
        Unit.objects.filter(Q(pk__in=own) | Q(owned_courses=survey.course_id)).values_list(
            "pk", "path"
        )
    )
    step = Unit.steplen
    scope_path = _common_prefix(list(paths.values()), step)
    by_cell: Counter[str] = Counter()
    for unit_id, n in own.items():
        path = paths.get(unit_id)
        if path is not None and len(path) > len(scope_path):
            by_cell[path[: len(scope_path) + step]] += n
    wanted = [*by_cell, scope_path] if scope_path else list(by_cell)
    units = {u.path: u for u in Unit.objects.filter(path__in=wanted)}
    cells = [
        UnitGroup(unit=units[p], responses=n, shown=enough(n))
        for p, n in sorted(by_cell.items())
        if p in units
    ]
    # Hide cells, smallest first, until what lies outside the shown ones is
    # 0 or at least MIN_RESPONSES answers.
    while True:
        shown = [c for c in cells if c.shown]
        rest = total - sum(c.responses for c in shown)
        if not shown or rest == 0 or rest >= MIN_RESPONSES:
            break
        min(shown, key=lambda c: (c.responses, c.unit.path)).shown = False
    return Partition(total=total, scope=units.get(scope_path), cells=cells)


def _common_prefix(paths: list[str], step: int) -> str:
    """The path of the deepest unit above (or equal to) every path given."""
    first = min(paths, key=len)
    end = 0
    while end + step <= len(first) and all(p[: end + step] == first[: end + step] for p in paths):
        end += step
    return first[:end]


def survey_results(survey: Survey, *, unit: Unit | None = None) -> Results | None:
    """The aggregate of the whole survey or of one shown cell of its
    partition; None when that group may not be shown (too small, or not a
    shown cell)."""
    if unit is not None and unit.pk not in partition(survey).shown_ids:
        return None
    answers = list(_responses(survey, unit).values_list("answers", flat=True))
    if not enough(len(answers)):
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
    """The cells of the survey's partition that the viewer's units cover,
    with whether each may be shown (decided over the whole partition, not
    per viewer)."""
    cells = partition(survey).cells
    visible = set(
        Unit.objects.visible_to(viewer)
        .filter(pk__in=[c.unit.pk for c in cells])
        .values_list("pk", flat=True)
    )
    return [c for c in cells if c.unit.pk in visible]


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
