"""Live exam monitor: started, answered, last save, submitted; polling; query budget."""

import pytest

from courses.reports.monitor import monitor

from .conftest import answers, enrol, take

pytestmark = pytest.mark.django_db


def test_monitor_shows_who_started_answered_saved_and_submitted(cast, setup, learners):
    s = setup(questions=3)
    a = learners(3, cast.cell_a1, "m")
    b = learners(1, cast.cell_b1, "x")
    enrol(cast, s.course, a + b)
    take(a[0], s.quiz, answers("11-"), finish=False)
    take(a[1], s.quiz, answers("111"))
    take(b[0], s.quiz, answers("1--"), finish=False)
    board = monitor(cast.trainer_a, s.quiz)
    rows = {r.user.username: r for r in board.rows}
    assert set(rows) == {u.username for u in a}
    assert (rows[a[0].username].state, rows[a[0].username].answered) == ("in_progress", 2)
    assert rows[a[0].username].total == 3
    assert rows[a[0].username].last_saved_at is not None
    assert rows[a[1].username].state == "submitted"
    assert rows[a[2].username].state == "not_started"
    assert board.counts == {"not_started": 1, "in_progress": 1, "submitted": 1}
    assert board.rows[0].user == a[0]  # people answering now come first


def test_monitor_page_polls_every_five_seconds_in_constant_queries(
    cast, setup, learners, login, django_assert_max_num_queries
):
    client = login(cast.trainer_a)
    for n in (2, 12):
        s = setup(questions=3)
        people = learners(n, cast.cell_a1, f"p{n}_")
        enrol(cast, s.course, people)
        for i, person in enumerate(people):
            take(person, s.quiz, answers("1-1"), finish=bool(i % 2))
        with django_assert_max_num_queries(8):
            response = client.get(f"/reports/quizzes/{s.quiz.pk}/monitor/", HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200 and "<html" not in html
        assert 'hx-trigger="every 5s"' in html


def test_monitor_is_404_for_another_units_filter_and_for_learners(cast, setup, login):
    s = setup(questions=1)
    url = f"/reports/quizzes/{s.quiz.pk}/monitor/"
    assert login(cast.trainer_a).get(f"{url}?unit={cast.unit_b.pk}").status_code == 404
    assert login(cast.learner).get(url).status_code == 404
