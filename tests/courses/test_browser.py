"""The learner's path in a real browser, at phone and desktop sizes."""

import re

import pytest
from playwright.sync_api import expect

from courses import services
from courses.models import LessonProgress
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    AXE,
    CHROMIUM,
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_page_basics,
    browser,
    log_in,
    new_page,
    page,
    size,
)
from tests.conftest import PASSWORD

from .conftest import lessons_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM or not AXE.exists(), reason="needs chromium and axe-core"),
]


def test_learner_follows_next_step_through_a_course(cast, make_course, page):  # noqa: F811
    course = make_course(modules=2, lessons=1, sequential=True, title="Sinh hoạt chi bộ")
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    first, second = lessons_of(course)
    log_in(page, "learner", PASSWORD)
    expect(page.get_by_role("heading", name="Khóa học của tôi")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Học tiếp").click()
    page.wait_for_url(re.compile(rf"/lessons/{first.pk}/$"))
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Đánh dấu đã học xong").click()
    expect(page.get_by_text("Bạn đã học xong bài này.")).to_be_visible()
    assert LessonProgress.objects.filter(lesson=first).exists()
    page.get_by_role("link", name="Tiếp theo →").click()
    page.wait_for_url(re.compile(rf"/lessons/{second.pk}/$"))
    page.get_by_role("button", name="Đánh dấu đã học xong").click()
    # Completing runs the certificate work in-process here (eager tasks): allow for it.
    expect(page.get_by_role("link", name="Bạn đã hoàn thành khóa học")).to_be_visible(
        timeout=60_000
    )
    page.goto(course.get_absolute_url())
    expect(page.get_by_text(re.compile("Hoàn thành ngày"))).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_trainer_reorders_modules_with_the_keyboard(cast, make_course, page):  # noqa: F811
    course = make_course(modules=2, lessons=1, publish=False)
    log_in(page, "trainer_a", PASSWORD)
    page.goto(f"/authoring/{course.pk}/")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    headings = page.locator("#structure h3")
    expect(headings.first).to_have_text("Học phần 1")
    page.get_by_role("button", name="Chuyển học phần “Học phần 2” lên").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#structure h3").first).to_have_text("Học phần 2")


def test_course_pages_raise_no_csp_violation(cast, make_course, new_page):  # noqa: F811
    from courses import authoring

    course = make_course(modules=1, lessons=1)
    lesson = lessons_of(course)[0]
    authoring.update_lesson(
        actor=cast.trainer_a, lesson=lesson, video_url="https://youtu.be/abcDEF12345"
    )
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    learner_page = new_page()  # the site's real Content-Security-Policy applies
    violations: list[str] = []
    learner_page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(learner_page, "learner", PASSWORD)
    for url in ["/courses/", course.get_absolute_url(), lesson.get_absolute_url()]:
        learner_page.goto(url)
        learner_page.wait_for_load_state("domcontentloaded")
    assert_no_horizontal_scroll(learner_page)
    learner_page.get_by_role("button", name="Đánh dấu đã học xong").click()
    expect(learner_page.get_by_text("Bạn đã học xong bài này.")).to_be_visible(timeout=60_000)
    page2 = new_page()
    page2.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page2, "trainer_a", PASSWORD)
    for url in ["/authoring/", f"/authoring/{course.pk}/", f"/authoring/{course.pk}/edit/"]:
        page2.goto(url)
        page2.wait_for_load_state("domcontentloaded")
    assert violations == []
