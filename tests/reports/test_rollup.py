"""Unit roll-up: numbers up the tree, scope, charts with tables, query budget."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Unit
from accounts.services import create_unit
from courses.reports.rollup import unit_rollup

from .conftest import answers, enrol, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(cast, setup, learners):  # type: ignore[no-untyped-def]
    """A1: 4 learners (2 passed and completed, 1 failed, 1 overdue); B1: 2 (1 passed).

    One quiz and no lessons: passing the quiz completes the course.
    """
    s = setup(questions=2)
    today = timezone.localdate()
    a = learners(4, cast.cell_a1, "a")
    b = learners(2, cast.cell_b1, "b")
    enrol(cast, s.course, a[:3] + b, due_date=today + timedelta(days=10))
    enrol(cast, s.course, a[3:], due_date=today - timedelta(days=1))
    take(a[0], s.quiz, answers("11"))  # 100 %
    take(a[1], s.quiz, answers("10"))  # 50 %, pass mark is 50 %
    take(a[2], s.quiz, answers("00"))  # 0 %
    take(b[0], s.quiz, answers("11"))
    return s


def test_rollup_adds_up_cells_to_the_bloc(cast, results):
    r = unit_rollup(cast.admin, cast.bloc, results.course)
    assert [c.unit for c in r.children] == [cast.unit_a, cast.unit_b]
    a, b = r.children
    assert (a.enrolled, a.completed, a.on_time, a.overdue) == (4, 2, 2, 1)
    assert a.average == pytest.approx(50.0)  # (100 + 50 + 0) / 3 grades
    assert a.pass_rate == pytest.approx(200 / 3)
    assert (b.enrolled, b.completed, b.average) == (2, 1, 100.0)
    assert (r.total.enrolled, r.total.completed, r.total.graded) == (6, 3, 4)
    assert r.distribution == [1, 0, 0, 0, 0, 1, 0, 0, 0, 2]
    assert [(s.unit.code, s.level) for s in r.tree] == [
        ("BLOC", 0),
        ("A", 1),
        ("A1", 2),
        ("B", 1),
        ("B1", 2),
    ]


def test_rollup_counts_only_learners_in_the_viewers_scope(cast, results):
    # trainer_a asking about the whole bloc (e.g. through a crafted call) still
    # sees only unit A's learners.
    r = unit_rollup(cast.trainer_a, cast.bloc, results.course)
    assert r.total.enrolled == 4
    assert [c.enrolled for c in r.children] == [4, 0]


def test_unit_page_and_api_404_outside_scope(cast, results, login, api):
    course = results.course.pk
    assert (
        login(cast.trainer_a).get(f"/reports/units/{cast.unit_b.pk}/?course={course}").status_code
        == 404
    )
    assert (
        login(cast.trainer_a).get(f"/reports/units/{cast.bloc.pk}/?course={course}").status_code
        == 404
    )
    assert (
        api(cast.trainer_a).get(f"/api/units/{cast.unit_b.pk}/report/?course={course}").status_code
        == 404
    )
    response = api(cast.trainer_a).get(f"/api/units/{cast.unit_a.pk}/report/?course={course}")
    assert response.status_code == 200
    data = response.json()
    assert data["total"]["enrolled"] == 4
    assert [c["unit"]["code"] for c in data["children"]] == ["A1"]
    assert api(cast.trainer_a).get(f"/api/units/{cast.unit_a.pk}/report/").status_code == 400


def test_unit_page_draws_charts_with_the_same_numbers_as_tables(cast, results, login):
    page = login(cast.admin).get(f"/reports/units/{cast.bloc.pk}/?course={results.course.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") == 2 and 'role="img"' in html
    assert "style=" not in html
    # Completion by unit: A 2/4 = 50 %, B 1/2 = 50 %, drawn and tabulated.
    assert html.count(">50%</text>") == 2
    assert "<td>50</td>" in html  # the table row (Vietnamese decimal comma)
    # Score distribution: the 90–100 band holds 2 grades, in the chart and the table.
    assert "90–100" in html


def test_rollup_runs_in_constant_queries(cast, setup, learners, django_assert_max_num_queries):
    for n in (2, 10):
        s = setup(questions=2)
        cell = create_unit(
            actor=cast.superuser,
            name=f"Chi bộ {n}",
            code=f"C{n}",
            kind=Unit.Kind.CELL,
            parent=cast.unit_a,
        )
        people = learners(n, cell, f"r{n}_")
        enrol(cast, s.course, people)
        for i, person in enumerate(people):
            take(person, s.quiz, answers(["11", "10", "00"][i % 3]))
        with django_assert_max_num_queries(6):
            unit_rollup(cast.admin, cast.bloc, s.course)
