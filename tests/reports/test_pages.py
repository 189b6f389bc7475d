"""Report pages: reachable from the navigation, scoped, CSP-clean."""

import pytest

from .conftest import answers, enrol, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(cast, setup, learners):  # type: ignore[no-untyped-def]
    s = setup(questions=5)
    a = learners(6, cast.cell_a1, "a")
    b = learners(1, cast.cell_b1, "b")
    enrol(cast, s.course, a + b)
    for person, pattern in zip(
        a, ["11101", "11110", "11101", "11000", "10010", "1-000"], strict=True
    ):
        take(person, s.quiz, answers(pattern))
    take(b[0], s.quiz, answers("11111"))
    return s, a, b


def test_trainers_find_reports_in_the_navigation_and_learners_do_not(cast, data, login):
    assert 'href="/reports/"' in login(cast.trainer_a).get("/").content.decode()
    assert 'href="/reports/"' not in login(cast.learner).get("/").content.decode()
    assert login(cast.learner).get("/reports/").status_code == 404


def test_reports_index_lists_courses_and_quiz_links(cast, data, login):
    s, _a, _b = data
    html = login(cast.trainer_a).get("/reports/").content.decode()
    assert s.course.title in html
    assert f"/reports/quizzes/{s.quiz.pk}/statistics/" in html
    assert f"/reports/quizzes/{s.quiz.pk}/monitor/" in html


def test_statistics_page_and_review_queue_show_flagged_questions(cast, data, login):
    s, _a, _b = data
    client = login(cast.trainer_a)
    html = client.get(f"/reports/quizzes/{s.quiz.pk}/statistics/").content.decode()
    assert "0,4717" in html  # alpha over unit A's six attempts (see test_statistics)
    assert "Phân loại ngược" in html and "Quá dễ" in html
    assert "style=" not in html
    queue = client.get("/reports/review/").content.decode()
    assert "Câu hỏi 1 về công tác xây dựng Đảng" in queue
    assert "Câu hỏi 4 về công tác xây dựng Đảng" in queue
    assert "Câu hỏi 2 về công tác xây dựng Đảng" not in queue


def test_learner_page_shows_attempts_and_mastery_in_scope_only(cast, data, login):
    s, a, b = data
    client = login(cast.trainer_a)
    html = client.get(f"/reports/courses/{s.course.pk}/learners/{a[0].pk}/").content.decode()
    assert "Mức độ nắm vững theo chủ đề" in html and "Chỉ thị 05" in html
    assert client.get(f"/reports/courses/{s.course.pk}/learners/{b[0].pk}/").status_code == 404
