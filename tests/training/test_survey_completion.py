"""Filling a required evaluation is a step of the course's completion."""

from __future__ import annotations

import pytest

from courses import services as course_services
from courses.models import Completion, Enrollment
from courses.progress import progress_of
from training.surveys import services
from training.surveys.completion import survey_steps

from .surveyworld import enrol, likert_answers

pytestmark = pytest.mark.django_db


def test_the_course_completes_only_once_the_required_survey_is_filled(cast, make_course):
    course = make_course(modules=1, lessons=1)
    survey = services.create_survey(actor=cast.trainer_a, course=course, required=True)
    enrol(course, [cast.learner])
    enrollment = Enrollment.objects.get(user=cast.learner, course=course)
    lesson = course.modules.get().lessons.get()
    course_services.mark_lesson_done(user=cast.learner, lesson=lesson)

    progress = progress_of(enrollment)
    step = next(s for s in progress.extra_steps if s.key == f"survey-{survey.pk}")
    assert not step.done and step.url == f"/surveys/{survey.pk}/"
    assert "Điền phiếu đánh giá" in step.label
    assert not progress.complete
    assert not Completion.objects.filter(user=cast.learner).exists()

    services.submit_response(user=cast.learner, survey=survey, data=likert_answers(survey))
    completion = Completion.objects.get(user=cast.learner, course=course)
    assert progress_of(enrollment).complete
    assert completion.completed_at is not None


def test_an_optional_survey_adds_no_step(cast, make_course):
    course = make_course(modules=1, lessons=1)
    services.create_survey(actor=cast.trainer_a, course=course)
    enrol(course, [cast.learner])
    enrollment = Enrollment.objects.get(user=cast.learner, course=course)
    assert survey_steps([enrollment]) == {}


def test_the_survey_steps_cost_two_queries_for_any_batch(
    cast, make_course, django_assert_max_num_queries
):
    course = make_course(modules=1, lessons=1)
    services.create_survey(actor=cast.trainer_a, course=course, required=True)
    enrol(course, [cast.learner, cast.other_learner, cast.learner_b])
    batch = list(Enrollment.objects.filter(course=course))
    with django_assert_max_num_queries(2):
        steps = survey_steps(batch)
    assert len(steps) == 3
