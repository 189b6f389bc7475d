"""Evaluation surveys: authoring from a template, one anonymous answer each,
results only in aggregate and only for groups of at least five."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from training.surveys import services
from training.surveys.models import Survey, SurveyResponse, SurveySubmission
from training.surveys.results import survey_results, unit_groups

from .surveyworld import attend, enrol, likert_answers, make_learners, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(make_course):  # type: ignore[no-untyped-def]
    return make_course(modules=1, lessons=1)


@pytest.fixture
def session(cast, course):  # type: ignore[no-untyped-def]
    return make_session(course, invited=[cast.unit_a, cast.unit_b])


@pytest.fixture
def survey(cast, course, session):  # type: ignore[no-untyped-def]
    return services.create_survey(actor=cast.trainer_a, course=course, session=session)


def answer(survey: Survey, users, value: int = 4, text: str = "") -> None:  # type: ignore[no-untyped-def]
    for user in users:
        services.submit_response(user=user, survey=survey, data=likert_answers(survey, value, text))


def test_a_survey_starts_from_the_default_vietnamese_template(survey):
    kinds = [q.kind for q in survey.questions.all()]
    assert kinds == ["likert"] * 5 + ["choice", "text"]
    assert "Báo cáo viên" in survey.questions.all()[1].text
    assert survey.title.startswith("Phiếu đánh giá buổi tập huấn")


def test_a_survey_can_copy_another_surveys_questions(cast, course, survey, make_course):
    services.add_question(
        actor=cast.trainer_a,
        survey=survey,
        kind="text",
        text="Câu riêng",
        choices=[],
        required=False,
    )
    other = make_course(modules=1, lessons=1)
    copy = services.create_survey(actor=cast.trainer_a, course=other, source=survey)
    assert [q.text for q in copy.questions.all()] == [q.text for q in survey.questions.all()]
    assert copy.session is None


def test_trainer_of_another_unit_cannot_author_the_courses_survey(cast, course):
    with pytest.raises(PermissionDenied):
        services.create_survey(actor=cast.trainer_b, course=course)


def test_one_survey_per_session(cast, course, session, survey):
    with pytest.raises(ValidationError):
        services.create_survey(actor=cast.trainer_a, course=course, session=session)


def test_only_learners_who_attended_may_answer_a_session_survey(cast, session, survey):
    attend(session, [cast.learner])
    attend(session, [cast.other_learner], status="absent")
    assert services.may_answer(cast.learner, survey)
    assert not services.may_answer(cast.other_learner, survey)
    with pytest.raises(PermissionDenied):
        services.submit_response(
            user=cast.other_learner, survey=survey, data=likert_answers(survey)
        )


def test_answering_twice_is_refused_and_stores_nothing_more(cast, session, survey):
    attend(session, [cast.learner])
    answer(survey, [cast.learner])
    with pytest.raises(ValidationError, match="đã điền"):
        answer(survey, [cast.learner])
    assert SurveySubmission.objects.count() == 1
    assert SurveyResponse.objects.count() == 1


def test_bad_answers_name_the_question_and_store_nothing(cast, session, survey):
    attend(session, [cast.learner])
    data = likert_answers(survey)
    first = survey.questions.first()
    data[f"q{first.pk}"] = 9
    choice = survey.questions.get(kind="choice")
    del data[f"q{choice.pk}"]
    with pytest.raises(ValidationError) as caught:
        services.submit_response(user=cast.learner, survey=survey, data=data)
    assert set(caught.value.message_dict) == {f"q{first.pk}", f"q{choice.pk}"}
    assert not SurveySubmission.objects.exists() and not SurveyResponse.objects.exists()


def test_stored_answers_carry_no_link_to_the_learner(cast, session, survey):
    attend(session, [cast.learner])
    answer(survey, [cast.learner], text="Ý kiến riêng")
    # No column of the answers table refers to a user or a time.
    columns = {f.column for f in SurveyResponse._meta.concrete_fields}
    assert columns == {"id", "survey_id", "unit_id", "answers"}
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(
            cursor, SurveyResponse._meta.db_table
        )
    assert {c.name for c in described} == columns
    row = SurveyResponse.objects.get()
    assert cast.learner.username not in str(row.answers)
    assert str(cast.learner.pk) not in {str(v) for v in row.answers.values()} - {"4", "1"}
    # Random ids: the insertion order does not line the answers up with the submissions.
    assert row.pk.version == 4


def test_four_answers_show_nothing_five_show_the_aggregates(cast, session, survey):
    people = make_learners(cast, cast.cell_a1, 5)
    attend(session, people)
    answer(survey, people[:4], value=5)
    assert survey_results(survey) is None
    answer(survey, people[4:], value=3, text="Cần thêm tài liệu")
    results = survey_results(survey)
    assert results is not None and results.responses == 5
    first = results.questions[0]
    assert first.mean == pytest.approx((5 * 4 + 3) / 5)
    assert [o.count for o in first.options] == [0, 0, 1, 0, 4]
    assert results.questions[-1].texts == ["Cần thêm tài liệu"]


def test_unit_groups_need_five_and_a_remainder_of_zero_or_five(cast, session, survey):
    in_a = make_learners(cast, cast.cell_a1, 6, prefix="a")
    in_b = make_learners(cast, cast.cell_b1, 4, prefix="b")
    attend(session, in_a + in_b)
    answer(survey, in_a + in_b)
    groups = {g.unit.code: g for g in unit_groups(survey, cast.admin)}
    # The groups are the bloc's children A and B (one level): A has 6 but the
    # other 4 could be read off as "everyone minus A": hidden.
    assert set(groups) == {"A", "B"}
    assert groups["A"].responses == 6 and not groups["A"].shown
    assert groups["B"].responses == 4 and not groups["B"].shown
    assert survey_results(survey).responses == 10
    assert survey_results(survey, unit=cast.unit_a) is None
    more = make_learners(cast, cast.cell_b1, 1, prefix="c")
    attend(session, more)
    answer(survey, more)
    groups = {g.unit.code: g for g in unit_groups(survey, cast.admin)}
    assert groups["A"].shown and groups["B"].shown
    assert survey_results(survey, unit=cast.unit_b).responses == 5


def test_unit_groups_are_limited_to_the_viewers_units(cast, session, survey):
    people = make_learners(cast, cast.cell_b1, 5, prefix="b")
    attend(session, people)
    answer(survey, people)
    assert {g.unit.code for g in unit_groups(survey, cast.trainer_a)} == set()
    assert {g.unit.code for g in unit_groups(survey, cast.trainer_b)} == {"B"}


def test_free_text_is_listed_in_alphabetical_order_not_arrival(cast, session, survey):
    people = make_learners(cast, cast.cell_a1, 5)
    attend(session, people)
    for user, text in zip(people, ["Ý", "Bàn", "An", "Đề", "Cần"], strict=True):
        answer(survey, [user], text=text)
    assert survey_results(survey).questions[-1].texts == ["An", "Bàn", "Cần", "Đề", "Ý"]


def test_course_survey_is_for_enrolled_learners(cast, course):
    survey = services.create_survey(actor=cast.trainer_a, course=course)
    enrol(course, [cast.learner])
    assert services.may_answer(cast.learner, survey)
    assert not services.may_answer(cast.learner_b, survey)
    survey.is_open = False
    survey.save()
    assert not services.may_answer(cast.learner, survey)


def test_questions_are_locked_once_someone_answered(cast, session, survey):
    attend(session, [cast.learner])
    answer(survey, [cast.learner])
    with pytest.raises(ValidationError):
        services.add_question(
            actor=cast.trainer_a,
            survey=survey,
            kind="likert",
            text="Mới",
            choices=[],
            required=True,
        )
