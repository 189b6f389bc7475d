"""Where a learner stands in their courses, computed in bulk.

`progress_for(enrollments)` runs a fixed number of queries (modules,
lessons with their progress, quiz grades, and each registered extra
requirement's provider) whatever the number of courses,
modules, lessons or enrolments, so the dashboard, the course page and
`learner_may_take` all stay constant-query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, FilteredRelation, Q

from . import requirements
from .models import Enrollment, Lesson, Module
from .requirements import Step


@dataclass
class ModuleState:
    module: Module
    lessons: list[Lesson]
    done_lessons: set[int]
    quiz_passed: bool | None  # None: the module has no quiz
    quiz_percent: Decimal | None = None
    locked: bool = False

    @property
    def lessons_done(self) -> bool:
        return all(lesson.pk in self.done_lessons for lesson in self.lessons)

    @property
    def complete(self) -> bool:
        return self.lessons_done and self.quiz_passed is not False

    @property
    def state(self) -> str:
        if self.complete:
            return "complete"
        return "locked" if self.locked else "open"

    @property
    def units_total(self) -> int:
        return len(self.lessons) + (0 if self.quiz_passed is None else 1)

    @property
    def units_done(self) -> int:
        done = sum(1 for lesson in self.lessons if lesson.pk in self.done_lessons)
        return done + (1 if self.quiz_passed else 0)

    def next_lesson(self) -> Lesson | None:
        return next((le for le in self.lessons if le.pk not in self.done_lessons), None)


@dataclass
class CourseProgress:
    enrollment: Enrollment
    modules: list[ModuleState] = field(default_factory=list)
    final_exam_passed: bool | None = None  # None: the course has no final exam
    final_exam_percent: Decimal | None = None
    # The latest moment among the steps counted (lessons done, quizzes passed):
    # when a course that is complete was completed.
    last_step_at: datetime | None = None
    # Requirements other apps add (attendance, evaluation): see courses.requirements.
    extra_steps: list[Step] = field(default_factory=list)

    @property
    def modules_complete(self) -> bool:
        return all(m.complete for m in self.modules)

    @property
    def extra_complete(self) -> bool:
        return all(step.done for step in self.extra_steps)

    @property
    def complete(self) -> bool:
        """Whether the rules say the course is complete *now* (not the record)."""
        return self.modules_complete and self.final_exam_passed is not False and self.extra_complete

    @property
    def final_exam_locked(self) -> bool:
        return self.enrollment.course.sequential and not self.modules_complete

    @property
    def percent(self) -> int:
        if self.enrollment.completed_at is not None:
            return 100
        total = sum(m.units_total for m in self.modules)
        done = sum(m.units_done for m in self.modules)
        if self.final_exam_passed is not None:
            total += 1
            done += 1 if self.final_exam_passed else 0
        total += len(self.extra_steps)
        done += sum(1 for step in self.extra_steps if step.done)
        return int(done * 100 / total) if total else 0

    def score(self) -> Decimal | None:
        """Final exam percent if there is one, else the mean of module quiz percents."""
        if self.final_exam_percent is not None:
            return self.final_exam_percent.quantize(Decimal("0.01"))
        percents = [m.quiz_percent for m in self.modules if m.quiz_percent is not None]
        if not percents:
            return None
        return (sum(percents, Decimal(0)) / len(percents)).quantize(Decimal("0.01"))

    def next_step(self) -> dict[str, Any] | None:
        """The next thing to do: {"kind": "lesson"|"quiz"|"final_exam", "object": ...}."""
        for state in self.modules:
            if state.locked:
                return None
            lesson = state.next_lesson()
            if lesson is not None:
                return {"kind": "lesson", "object": lesson, "module": state.module}
            if state.quiz_passed is False:
                return {"kind": "quiz", "object": state.module.quiz, "module": state.module}
        if self.final_exam_passed is False:
            return {"kind": "final_exam", "object": self.enrollment.course.final_exam}
        step = next((s for s in self.extra_steps if not s.done), None)
        if step is not None:
            return {"kind": "requirement", "object": step}
        return None


def _grade_model() -> Any:
    """quizzes.QuizGrade, or None while the quiz engine has not defined it."""
    from django.apps import apps

    try:
        return apps.get_model("quizzes", "QuizGrade")
    except LookupError:
        return None


def passed_grades(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """{(user_id, quiz_id): QuizGrade} for passed grades, in one query."""
    pairs = list(pairs)
    model = _grade_model()
    if model is None or not pairs:
        return {}
    users = {u for u, _ in pairs}
    quizzes = {q for _, q in pairs}
    rows = model.objects.filter(user_id__in=users, quiz_id__in=quizzes, passed=True)
    return {(g.user_id, g.quiz_id): g for g in rows}


def progress_for(
    enrollments: Iterable[Enrollment], *, grades: Iterable[Any] = (), extra: bool = True
) -> dict[int, CourseProgress]:
    """Progress of each enrolment, keyed by enrolment pk, in three queries.

    The enrolments must come with `course` loaded (select_related).
    `extra=False` leaves out the requirements other apps add (attendance...):
    for questions about modules alone, such as whether a quiz is unlocked.
    `grades`: QuizGrade rows already in hand (e.g. the pass a completion task
    has locked); their (user, quiz) pairs are not read again, and the grade
    query is skipped when they cover every quiz involved.
    """
    enrollments = list(enrollments)
    if not enrollments:
        return {}
    course_ids = {e.course_id for e in enrollments}
    modules_by_course: dict[int, list[Module]] = defaultdict(list)
    modules = list(
        Module.objects.filter(course_id__in=course_ids)
        .select_related("quiz")
        .order_by("course_id", "order", "pk")
    )
    for module in modules:
        modules_by_course[module.course_id].append(module)
    lessons_by_module: dict[int, list[Lesson]] = defaultdict(list)
    done: dict[int, dict[int, Any]] = defaultdict(dict)
    saved = [e.pk for e in enrollments if e.pk is not None]  # unsaved: a preview
    # One row per (lesson, progress of one of these enrolments), or one per
    # lesson nobody here has done: the lessons and the progress in one query.
    lessons = Lesson.objects.filter(module__course_id__in=course_ids)
    if saved:
        lessons = lessons.annotate(
            mine=FilteredRelation("progress", condition=Q(progress__enrollment__in=saved)),
            done_by=F("mine__enrollment_id"),
            done_at=F("mine__done_at"),
        )
    seen: set[int] = set()
    for lesson in lessons.only("pk", "module_id", "order", "title").order_by(
        "module_id", "order", "pk"
    ):
        if lesson.pk not in seen:
            seen.add(lesson.pk)
            lessons_by_module[lesson.module_id].append(lesson)
        done_by = getattr(lesson, "done_by", None)
        if done_by is not None:
            done[done_by][lesson.pk] = getattr(lesson, "done_at")  # noqa: B009

    pairs = set()
    for e in enrollments:
        for module in modules_by_course[e.course_id]:
            if module.quiz_id:
                pairs.add((e.user_id, module.quiz_id))
        if e.course.final_exam_id:
            pairs.add((e.user_id, e.course.final_exam_id))
    in_hand = {(g.user_id, g.quiz_id): g for g in grades}
    by_pair = passed_grades(pairs - in_hand.keys())
    by_pair.update(in_hand)

    def passed(
        e: Enrollment, quiz_id: int | None, steps: list[datetime]
    ) -> tuple[bool | None, Decimal | None]:
        if not quiz_id:
            return None, None
        grade = by_pair.get((e.user_id, quiz_id))
        if (
            grade is None
            or not grade.passed
            or grade.passed_at is None
            or grade.passed_at < e.cycle_started_at
        ):
            return False, None
        steps.append(grade.passed_at)
        return True, Decimal(grade.percent)

    extra_steps = requirements.steps_for(enrollments) if extra else {}
    result = {}
    for e in enrollments:
        progress = CourseProgress(enrollment=e)
        mine = {pk: at for pk, at in done[e.pk].items() if at >= e.cycle_started_at}
        my_done = set(mine)
        steps = list(mine.values())
        previous_complete = True
        for module in modules_by_course[e.course_id]:
            quiz_passed, percent = passed(e, module.quiz_id, steps)
            state = ModuleState(
                module=module,
                lessons=lessons_by_module[module.pk],
                done_lessons=my_done,
                quiz_passed=quiz_passed,
                quiz_percent=percent,
            )
            state.locked = e.course.sequential and not previous_complete
            previous_complete = previous_complete and state.complete
            progress.modules.append(state)
        progress.final_exam_passed, progress.final_exam_percent = passed(
            e, e.course.final_exam_id, steps
        )
        progress.extra_steps = extra_steps.get(e.pk, [])
        steps.extend(s.done_at for s in progress.extra_steps if s.done and s.done_at)
        progress.last_step_at = max(steps, default=None)
        result[e.pk] = progress
    return result


def progress_of(
    enrollment: Enrollment, *, grades: Iterable[Any] = (), extra: bool = True
) -> CourseProgress:
    return progress_for([enrollment], grades=grades, extra=extra)[enrollment.pk]
