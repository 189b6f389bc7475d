"""Report pages in a real browser: accessible, no sideways scroll, CSP-clean, monitor polls."""

import pytest

from tests.browser.conftest import (  # noqa: F401  (fixtures)
    AXE,
    CHROMIUM,
    assert_accessible,
    assert_no_horizontal_scroll,
    browser,
    log_in,
    new_page,
    page,
    size,
)
from tests.conftest import PASSWORD

from .conftest import answers, enrol, take

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM or not AXE.exists(), reason="needs chromium and axe-core"),
]


def test_report_pages_are_accessible_and_fit_the_screen(cast, setup, learners, page):  # noqa: F811
    s = setup(questions=5)
    people = learners(6, cast.cell_a1, "br")
    enrol(cast, s.course, people)
    for person, pattern in zip(
        people, ["11101", "11110", "11101", "11000", "10010", "1-000"], strict=True
    ):
        take(person, s.quiz, answers(pattern))
    attempt = person.quiz_attempts.first()
    log_in(page, "trainer_a", PASSWORD)
    for url in (
        "/reports/",
        f"/reports/courses/{s.course.pk}/gradebook/",
        f"/reports/units/{cast.unit_a.pk}/?course={s.course.pk}",
        f"/reports/quizzes/{s.quiz.pk}/statistics/",
        f"/reports/quizzes/{s.quiz.pk}/monitor/",
        f"/reports/attempts/{attempt.pk}/",
        "/reports/review/",
    ):
        page.goto(url)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)


def test_monitor_polls_under_the_real_csp(cast, setup, learners, new_page):  # noqa: F811
    s = setup(questions=2)
    people = learners(2, cast.cell_a1, "mp")
    enrol(cast, s.course, people)
    take(people[0], s.quiz, answers("1-"), finish=False)
    tab = new_page()  # the site's own Content-Security-Policy applies
    violations: list[str] = []
    tab.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(tab, "trainer_a", PASSWORD)
    tab.goto(f"/reports/quizzes/{s.quiz.pk}/monitor/")
    with tab.expect_response(
        lambda r: "/monitor/" in r.url and r.request.headers.get("hx-request") == "true",
        timeout=12_000,
    ):
        pass
    tab.goto(f"/reports/units/{cast.unit_a.pk}/?course={s.course.pk}")
    assert violations == []
