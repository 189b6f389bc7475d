"""Survey unit groups are one partition (issue 19): no nested or sibling
subtraction can isolate fewer than five people, and a unit that is not a
shown cell gives nothing in the page, the XLSX and the API."""

from __future__ import annotations

import pytest

from accounts.models import Unit
from accounts.services import create_unit
from training.surveys import services
from training.surveys.results import partition, survey_results, unit_groups

from .surveyworld import attend, likert_answers, make_learners, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(make_course):  # type: ignore[no-untyped-def]
    return make_course(modules=1, lessons=1)  # owned by unit A


@pytest.fixture
def session(cast, course):  # type: ignore[no-untyped-def]
    return make_session(course, invited=[cast.unit_a, cast.unit_b])


@pytest.fixture
def survey(cast, course, session):  # type: ignore[no-untyped-def]
    return services.create_survey(actor=cast.trainer_a, course=course, session=session)


def answer(cast, survey, session, unit, n, prefix, text=""):  # type: ignore[no-untyped-def]
    people = make_learners(cast, unit, n, prefix=prefix)
    attend(session, people)
    for user in people:
        services.submit_response(user=user, survey=survey, data=likert_answers(survey, 4, text))


def cell(cast, code):  # type: ignore[no-untyped-def]
    return create_unit(
        actor=cast.superuser,
        name=f"Chi bộ {code}",
        code=code,
        kind=Unit.Kind.CELL,
        parent=cast.unit_a,
    )


def test_a_parent_and_its_child_are_never_both_groups(cast, session, survey):
    # 30 answers: parent A holds 10 (6 in its cell A1, 4 of its own), B holds 20.
    answer(cast, survey, session, cast.cell_a1, 6, "c", text="ý kiến chi bộ")
    answer(cast, survey, session, cast.unit_a, 4, "p", text="ý kiến riêng")
    answer(cast, survey, session, cast.cell_b1, 20, "b")
    cells = {c.unit.code: (c.responses, c.shown) for c in partition(survey).cells}
    assert cells == {"A": (10, True), "B": (20, True)}
    assert survey_results(survey).responses == 30
    assert survey_results(survey, unit=cast.unit_a).responses == 10
    # The child cell (and the bloc above) cannot be asked for: A minus A1 would be 4 people.
    assert survey_results(survey, unit=cast.cell_a1) is None
    assert survey_results(survey, unit=cast.cell_b1) is None
    assert {g.unit.code for g in unit_groups(survey, cast.trainer_a)} == {"A"}
    assert {g.unit.code for g in unit_groups(survey, cast.trainer_b)} == {"B"}


def test_with_all_answers_in_one_unit_its_own_members_are_not_isolated(cast, session, survey):
    # Scope is A (the owner): its one cell A1 has 6, A's own 4 would be the remainder.
    answer(cast, survey, session, cast.cell_a1, 6, "c")
    answer(cast, survey, session, cast.unit_a, 4, "p")
    part = partition(survey)
    assert part.scope == cast.unit_a
    assert [(c.unit.code, c.responses, c.shown) for c in part.cells] == [("A1", 6, False)]
    assert survey_results(survey, unit=cast.cell_a1) is None
    assert survey_results(survey, unit=cast.unit_a) is None  # the scope is not a cell
    assert survey_results(survey).responses == 10


def test_siblings_six_six_three_hide_the_three_and_one_more(cast, session, survey):
    a2, a3 = cell(cast, "A2"), cell(cast, "A3")
    answer(cast, survey, session, cast.cell_a1, 6, "x", text="một")
    answer(cast, survey, session, a2, 6, "y", text="hai")
    answer(cast, survey, session, a3, 3, "z")
    cells = {c.unit.code: c for c in partition(survey).cells}
    assert {k: c.responses for k, c in cells.items()} == {"A1": 6, "A2": 6, "A3": 3}
    assert not cells["A3"].shown
    shown = [k for k, c in cells.items() if c.shown]
    assert len(shown) == 1  # A1+A2 shown would leave 3 outside: one more is hidden
    outside = 15 - sum(cells[k].responses for k in shown)
    assert outside == 0 or outside >= 5
    assert survey_results(survey).responses == 15
    assert survey_results(survey, unit=a3) is None
    hidden = "A1" if shown == ["A2"] else "A2"
    assert survey_results(survey, unit=cells[hidden].unit) is None
    kept = survey_results(survey, unit=cells[shown[0]].unit)
    assert kept.responses == 6
    assert kept.questions[-1].texts == ["hai" if shown == ["A2"] else "một"] * 6


def test_the_whole_survey_needs_five(cast, session, survey):
    answer(cast, survey, session, cast.cell_a1, 4, "c")
    assert survey_results(survey) is None
    answer(cast, survey, session, cast.cell_b1, 1, "b")
    assert survey_results(survey).responses == 5
    assert [c.shown for c in partition(survey).cells] == [False, False]


def test_a_cells_results_take_few_queries(cast, session, survey, django_assert_max_num_queries):
    answer(cast, survey, session, cast.cell_a1, 5, "c")
    answer(cast, survey, session, cast.cell_b1, 5, "b")
    survey.refresh_from_db()
    with django_assert_max_num_queries(6):
        assert survey_results(survey, unit=cast.unit_b).responses == 5


def test_page_xlsx_and_api_refuse_a_unit_that_is_not_a_shown_cell(
    cast, login, api, session, survey
):
    answer(cast, survey, session, cast.cell_a1, 6, "c", text="bí mật của chi bộ")
    answer(cast, survey, session, cast.unit_a, 4, "p")
    answer(cast, survey, session, cast.cell_b1, 20, "b")
    client = login(cast.trainer_a)
    url = f"/surveys/{survey.pk}/results/"
    page = client.get(f"{url}?unit={cast.cell_a1.pk}").content.decode()
    assert 'id="not-enough"' in page and "bí mật" not in page
    assert f'<option value="{cast.cell_a1.pk}"' not in page
    shown = client.get(f"{url}?unit={cast.unit_a.pk}").content.decode()
    assert "Đảng bộ A: 10 phiếu." in shown
    refused = client.get(f"/surveys/{survey.pk}/results.xlsx?unit={cast.cell_a1.pk}")
    assert refused.status_code == 302
    assert refused["Content-Type"].startswith("text/html")
    ok = client.get(f"/surveys/{survey.pk}/results.xlsx?unit={cast.unit_a.pk}")
    assert ok.status_code == 200 and ok["Content-Type"].endswith("spreadsheetml.sheet")
    base = f"/api/surveys/{survey.pk}/results/"
    body = api(cast.trainer_a).get(f"{base}?unit={cast.cell_a1.pk}").json()
    assert body["shown"] is False and body["questions"] == [] and body["responses"] is None
    assert [g["unit"] for g in body["units"]] == [cast.unit_a.pk]
    good = api(cast.trainer_a).get(f"{base}?unit={cast.unit_a.pk}").json()
    assert good["shown"] is True and good["responses"] == 10
