"""Survey pages and API, through the client: fill, author, results, XLSX."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from training.surveys import services
from training.surveys.models import Survey, SurveyResponse, SurveySubmission

from .surveyworld import attend, likert_answers, make_learners, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(cast, make_course):  # type: ignore[no-untyped-def]
    course = make_course(modules=1, lessons=1)
    return make_session(course, invited=[cast.unit_a, cast.unit_b])


@pytest.fixture
def survey(cast, session):  # type: ignore[no-untyped-def]
    return services.create_survey(actor=cast.trainer_a, course=session.course, session=session)


def _answer(survey: Survey, users, text: str = "") -> None:  # type: ignore[no-untyped-def]
    for user in users:
        services.submit_response(user=user, survey=survey, data=likert_answers(survey, 4, text))


def test_a_learner_who_attended_fills_the_survey_on_the_page(cast, login, session, survey):
    attend(session, [cast.learner])
    client = login(cast.learner)
    page = client.get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200
    assert "Phiếu không ghi tên" in page.content.decode()
    assert "Phiếu đánh giá cần điền" in client.get("/").content.decode()
    data = {k: str(v) for k, v in likert_answers(survey, 5, "Rất bổ ích").items()}
    response = client.post(f"/surveys/{survey.pk}/", data)
    assert response.status_code == 302
    assert SurveySubmission.objects.filter(user=cast.learner, survey=survey).exists()
    assert SurveyResponse.objects.get().answers[str(survey.questions.last().pk)] == "Rất bổ ích"
    after = client.get(f"/surveys/{survey.pk}/").content.decode()
    assert "đã gửi phiếu đánh giá này" in after
    assert "Phiếu đánh giá cần điền" not in client.get("/").content.decode()


def test_a_missing_answer_is_shown_in_vietnamese_and_nothing_is_stored(
    cast, login, session, survey
):
    attend(session, [cast.learner])
    data = {k: str(v) for k, v in likert_answers(survey).items()}
    first = survey.questions.first()
    del data[f"q{first.pk}"]
    response = login(cast.learner).post(f"/surveys/{survey.pk}/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy trả lời câu hỏi này." in html
    assert 'value="4" checked' in html  # the other answers are kept
    assert not SurveySubmission.objects.exists()


def test_a_learner_who_did_not_attend_gets_404(cast, login, survey):
    assert login(cast.learner_b).get(f"/surveys/{survey.pk}/").status_code == 404


def test_results_page_shows_nothing_below_five_and_aggregates_from_five(
    cast, login, session, survey
):
    people = make_learners(cast, cast.cell_a1, 5)
    attend(session, people)
    _answer(survey, people[:4], text="Góp ý <b>đậm</b>")
    client = login(cast.trainer_a)
    html = client.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert 'id="not-enough"' in html and "Góp ý" not in html
    assert "4 người đã điền phiếu" in html
    xlsx = client.get(f"/surveys/{survey.pk}/results.xlsx")
    assert xlsx.status_code == 302  # nothing to export yet
    _answer(survey, people[4:])
    html = client.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert 'id="not-enough"' not in html
    assert "Tất cả phiếu: 5 phiếu." in html
    assert "<svg" in html and 'class="mean">4</b>/5' in html
    assert "Góp ý &lt;b&gt;đậm&lt;/b&gt;" in html  # user text escaped
    for person in people:
        assert person.full_name not in html and person.username not in html


def test_results_xlsx_holds_the_aggregates(cast, login, session, survey):
    people = make_learners(cast, cast.cell_a1, 5)
    attend(session, people)
    _answer(survey, people, text="Cần thêm thời gian thảo luận")
    response = login(cast.trainer_a).get(f"/surveys/{survey.pk}/results.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Phương án", "Ý kiến"]
    rows = [[c.value for c in row] for row in book["Tổng hợp"].iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[:2] == ["Câu", "Câu hỏi"])
    first = rows[header + 1]
    assert first[3] == 5 and first[4] == 4 and first[5:10] == [0, 0, 0, 5, 0]
    date_cells = [
        c for row in book["Tổng hợp"].iter_rows() for c in row if getattr(c, "is_date", False)
    ]
    assert date_cells == []  # no per-answer time anywhere
    texts = [[c.value for c in row] for row in book["Ý kiến"].iter_rows()]
    assert sum(1 for r in texts if "Cần thêm thời gian thảo luận" in r) == 5
    for person in people:
        for sheet in book:
            for row in sheet.iter_rows():
                assert all(person.full_name != c.value for c in row)


def test_trainer_creates_a_survey_from_the_template_and_edits_it(cast, login, session):
    client = login(cast.trainer_a)
    page = client.get(f"/courses/{session.course.pk}/surveys/")
    assert page.status_code == 200 and "Tạo phiếu từ mẫu" in page.content.decode()
    response = client.post(
        f"/courses/{session.course.pk}/surveys/", {"session": str(session.pk), "source": ""}
    )
    survey = Survey.objects.get(session=session)
    assert response.url == f"/surveys/{survey.pk}/edit/"
    assert survey.questions.count() == 7
    client.post(
        f"/surveys/{survey.pk}/edit/",
        {"action": "question", "kind": "choice", "text": "Hình thức", "choices": "Một\nHai"},
    )
    added = survey.questions.get(text="Hình thức")
    assert added.choices == ["Một", "Hai"]
    bad = client.post(
        f"/surveys/{survey.pk}/edit/",
        {"action": "question", "kind": "choice", "text": "Thiếu", "choices": "Một"},
    )
    assert "ít nhất 2 phương án" in bad.content.decode()
    client.post(f"/surveys/{survey.pk}/questions/{added.pk}/delete/")
    assert not survey.questions.filter(pk=added.pk).exists()


def test_api_fill_and_results(cast, api, session, survey):
    people = make_learners(cast, cast.cell_a1, 5)
    attend(session, people)
    listed = api(people[0]).get("/api/surveys/").json()
    assert [(s["id"], s["answered"]) for s in listed["results"]] == [(survey.pk, False)]
    assert api(cast.learner_b).get("/api/surveys/").json()["results"] == []
    answers = {str(k[1:]): v for k, v in likert_answers(survey, 5).items()}
    for person in people[:4]:
        r = api(person).post(
            f"/api/surveys/{survey.pk}/responses/", {"answers": answers}, format="json"
        )
        assert r.status_code == 201, r.content
    listed = api(people[0]).get("/api/surveys/").json()
    assert [(s["id"], s["answered"]) for s in listed["results"]] == [(survey.pk, True)]
    again = api(people[0]).post(
        f"/api/surveys/{survey.pk}/responses/", {"answers": answers}, format="json"
    )
    assert again.status_code == 400
    hidden = api(cast.trainer_a).get(f"/api/surveys/{survey.pk}/results/").json()
    assert hidden["shown"] is False and hidden["questions"] == []
    api(people[4]).post(f"/api/surveys/{survey.pk}/responses/", {"answers": answers}, format="json")
    shown = api(cast.trainer_a).get(f"/api/surveys/{survey.pk}/results/").json()
    assert shown["shown"] is True and shown["responses"] == 5
    assert shown["questions"][0]["mean"] == 5
    assert api(cast.learner).get(f"/api/surveys/{survey.pk}/results/").status_code == 404
    assert api(cast.trainer_b).get(f"/api/surveys/{survey.pk}/results/").status_code == 404
