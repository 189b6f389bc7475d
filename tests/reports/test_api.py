"""Report API: shapes, scope and errors."""

import pytest

from .conftest import answers, enrol, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(cast, setup, learners):  # type: ignore[no-untyped-def]
    s = setup(questions=2)
    a = learners(2, cast.cell_a1, "a")
    b = learners(1, cast.cell_b1, "b")
    enrol(cast, s.course, a + b)
    take(a[0], s.quiz, answers("11"))
    take(b[0], s.quiz, answers("00"))
    return s, a, b


def test_gradebook_api_lists_learners_in_scope_with_grades(cast, data, api):
    s, a, _b = data
    body = api(cast.trainer_a).get(f"/api/courses/{s.course.pk}/gradebook/").json()
    assert body["count"] == 2 and [q["id"] for q in body["quizzes"]] == [s.quiz.pk]
    by_name = {r["user"]["username"]: r for r in body["results"]}
    assert set(by_name) == {a[0].username, a[1].username}
    assert by_name[a[0].username]["grades"][0] == {
        "quiz": s.quiz.pk,
        "percent": 100.0,
        "state": "passed",
        "attempts": 1,
        "overridden": False,
    }
    assert by_name[a[0].username]["status"] == "completed"


def test_gradebook_api_refuses_other_units_and_bad_filters(cast, data, api):
    s, _a, _b = data
    client = api(cast.trainer_a)
    url = f"/api/courses/{s.course.pk}/gradebook/"
    assert client.get(f"{url}?unit={cast.unit_b.pk}").status_code == 404
    bad = client.get(f"{url}?status=bogus")
    assert bad.status_code == 400 and "status" in bad.json()
    assert api(cast.learner).get(url).status_code == 404
    assert api(None).get(url).status_code in (401, 403)


def test_statistics_api_reports_items_over_learners_in_scope(cast, data, api):
    s, _a, _b = data
    body = api(cast.trainer_a).get(f"/api/quizzes/{s.quiz.pk}/statistics/").json()
    assert body["attempts"] == 1 and len(body["items"]) == 2
    assert body["items"][0]["facility"] == 100.0
    assert api(cast.admin).get(f"/api/quizzes/{s.quiz.pk}/statistics/").json()["attempts"] == 2
    # unit B's trainer may not read a quiz owned by unit A
    assert api(cast.trainer_b).get(f"/api/quizzes/{s.quiz.pk}/statistics/").status_code == 404


def test_schema_documents_the_report_endpoints(cast, client):
    import yaml
    from drf_spectacular.validation import validate_schema

    client.force_login(cast.admin)
    schema = yaml.safe_load(client.get("/api/schema/").content)
    validate_schema(schema)
    for path in (
        "/api/courses/{id}/gradebook/",
        "/api/units/{id}/report/",
        "/api/quizzes/{id}/statistics/",
        "/api/exports/",
        "/api/exports/{id}/",
    ):
        assert path in schema["paths"], path
