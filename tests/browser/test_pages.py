"""Every main page, for each role: structure, axe, phone, targets, 200% text, and the
language switch to English and back, with no untranslated string of the other language
(`assert_one_language`) in either.
"""

import re

import pytest
from playwright.sync_api import expect

from courses.certificates.models import Certificate

from ..conftest import PASSWORD
from .conftest import assert_one_language, assert_page_basics, check_page, log_in
from .world import complete, learner_world

pytestmark = pytest.mark.django_db(transaction=True)


def switch_language_and_back(page) -> None:  # type: ignore[no-untyped-def]
    url = page.url
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == url, "switching language stays on the same page"
    assert_page_basics(page)
    assert_one_language(page)
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert_one_language(page)


def visit_all(page, urls: list[str]) -> None:  # type: ignore[no-untyped-def]
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        check_page(page, focus=True)
        switch_language_and_back(page)


@pytest.fixture
def world(cast):  # type: ignore[no-untyped-def]
    world = learner_world(cast)
    complete(world, cast.learner)
    return world


def test_learner_pages(cast, world, page):
    log_in(page, "learner", PASSWORD)
    certificate = Certificate.objects.get(user=cast.learner)
    visit_all(
        page,
        [
            "/",
            "/courses/",
            world.course.get_absolute_url(),
            world.lesson.get_absolute_url(),
            f"/quizzes/{world.quiz.pk}/",
            f"/attempts/{world.quiz.attempts.get().pk}/result/",
            "/certificates/",
            "/accounts/password/change/",
            certificate.get_absolute_url(),
        ],
    )


def test_trainer_pages(cast, world, page):
    log_in(page, "trainer_a", PASSWORD)
    visit_all(
        page,
        [
            "/authoring/",
            f"/authoring/{world.course.pk}/",
            "/bank/",
            "/bank/import/",
            "/quiz-admin/",
            f"/quiz-admin/{world.quiz.pk}/",
            "/grading/",
            "/reports/",
            f"/reports/courses/{world.course.pk}/gradebook/",
            f"/reports/quizzes/{world.quiz.pk}/statistics/",
            f"/reports/quizzes/{world.quiz.pk}/monitor/",
        ],
    )


def test_admin_pages(cast, world, page):
    log_in(page, "admin", PASSWORD)
    visit_all(
        page,
        [
            "/users/",
            "/users/import/",
            "/units/",
            f"/units/{cast.cell_a1.pk}/",
            f"/courses/{world.course.pk}/enrolments/",
            f"/reports/units/{cast.bloc.pk}/?course={world.course.pk}",
            "/certificates/register/",
        ],
    )


def test_public_pages(cast, page):
    visit_all(page, ["/accounts/login/", "/verify/"])
    page.goto("/verify/KHONG-CO-MA")
    assert_page_basics(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"\w"))
