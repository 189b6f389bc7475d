"""The gradebook: rows in scope, cell states, filters, Vietnamese order, query budget."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.services import create_user
from courses.reports import gradebook

from .conftest import answers, enrol, take

pytestmark = pytest.mark.django_db


def _rows(viewer, course, **filters):  # type: ignore[no-untyped-def]
    quizzes = gradebook.course_quizzes(course)
    qs = gradebook.enrollments(viewer, course, quizzes, **filters)
    return gradebook.build_rows(list(qs), course, quizzes)


@pytest.fixture
def book(cast, setup, learners):  # type: ignore[no-untyped-def]
    s = setup(questions=2, quizzes=2)
    a = learners(3, cast.cell_a1, "a")
    b = learners(2, cast.cell_b1, "b")
    enrol(cast, s.course, a + b)
    take(a[0], s.quiz, answers("11"))
    take(a[1], s.quiz, answers("00"))
    take(a[2], s.quiz, answers("1-"), finish=False)
    take(b[0], s.quiz, answers("11"))
    return s, a, b


def test_gradebook_has_one_row_per_learner_in_scope_and_a_state_per_quiz(cast, book):
    s, a, b = book
    rows = {r.user.username: r for r in _rows(cast.trainer_a, s.course)}
    assert set(rows) == {u.username for u in a}
    first, second, third = (rows[u.username] for u in a)
    assert [c.state for c in first.cells] == ["passed", "not_started"]
    assert first.cells[0].percent == 100
    assert [c.state for c in second.cells] == ["failed", "not_started"]
    assert [c.state for c in third.cells] == ["in_progress", "not_started"]
    assert {r.status for r in rows.values()} == {"in_progress"}
    assert {r.user.username for r in _rows(cast.admin, s.course)} == {u.username for u in a + b}


def test_trainer_filtering_on_another_units_learners_gets_nothing(cast, book):
    s, _a, b = book
    assert _rows(cast.trainer_a, s.course, unit=cast.cell_b1) == []
    assert [r.user for r in _rows(cast.trainer_b, s.course, unit=cast.cell_b1)] == b


def test_gradebook_filters_by_status_and_due_date(cast, book):
    s, a, _b = book
    today = timezone.localdate()
    enrolment = a[0].enrollments.get(course=s.course)
    enrolment.due_date = today - timedelta(days=3)
    enrolment.save(update_fields=["due_date"])
    overdue = _rows(cast.trainer_a, s.course, status="overdue")
    assert [r.user for r in overdue] == [a[0]]
    assert overdue[0].status == "overdue"
    assert [r.user for r in _rows(cast.trainer_a, s.course, due_to=today)] == [a[0]]
    assert _rows(cast.trainer_a, s.course, status="not_started") == []
    assert {r.user for r in _rows(cast.trainer_a, s.course, status="in_progress")} == set(a)
    assert _rows(cast.trainer_a, s.course, status="completed") == []


@pytest.mark.postgres
def test_gradebook_sorts_names_in_vietnamese_order(cast, setup):
    s = setup(questions=1)
    # Vietnamese letters: a < ă < â < b ... d < đ (code points put Â and Đ last).
    names = ["Đặng Văn An", "Dương Thị Bé", "Ân Văn Tư", "Anh Tuấn", "Bùi Ước"]
    people = [
        create_user(actor=cast.superuser, username=f"vi{i}", full_name=n, unit=cast.cell_a1)
        for i, n in enumerate(names)
    ]
    enrol(cast, s.course, people)
    ordered = [r.user.full_name for r in _rows(cast.trainer_a, s.course)]
    assert ordered == ["Anh Tuấn", "Ân Văn Tư", "Bùi Ước", "Dương Thị Bé", "Đặng Văn An"]


def test_gradebook_page_runs_in_constant_queries(
    cast, setup, learners, login, django_assert_max_num_queries
):
    sizes = []
    for n in (2, 12):
        s = setup(questions=2, quizzes=3)
        people = learners(n, cast.cell_a1, f"q{n}_")
        enrol(cast, s.course, people)
        for i, person in enumerate(people):
            take(person, s.quiz, answers(["11", "01", "00"][i % 3]))
            if i % 2:
                take(person, s.quiz, answers("11"))
        sizes.append(s)
    client = login(cast.trainer_a)
    for s in sizes:
        with django_assert_max_num_queries(12):
            response = client.get(f"/reports/courses/{s.course.pk}/gradebook/")
        assert response.status_code == 200


def test_gradebook_page_shows_scope_only_and_404s_on_other_unit(cast, book, login):
    s, a, b = book
    client = login(cast.trainer_a)
    page = client.get(f"/reports/courses/{s.course.pk}/gradebook/").content.decode()
    assert a[0].full_name in page and b[0].full_name not in page
    assert "style=" not in page and "<script>" not in page
    response = client.get(f"/reports/courses/{s.course.pk}/gradebook/?unit={cast.cell_b1.pk}")
    assert response.status_code == 404
    fragment = client.get(
        f"/reports/courses/{s.course.pk}/gradebook/?status=in_progress", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment and 'id="gradebook"' in fragment


def test_learners_do_not_get_the_gradebook(cast, book, login):
    s, _a, _b = book
    response = login(cast.learner).get(f"/reports/courses/{s.course.pk}/gradebook/")
    assert response.status_code == 404
    assert User.objects.get(pk=cast.learner.pk).role == User.Role.LEARNER


def test_bad_filter_values_give_a_message_not_an_error(cast, book, login):
    s, _a, _b = book
    client = login(cast.trainer_a)
    response = client.get(f"/reports/courses/{s.course.pk}/gradebook/?due_from=2026-13-45")
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()
