"""Turning pages offline and confirming the submit, in a real browser (issue 17.6)."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, AttemptSlot, QuestionType, Quiz
from quizzes.services import start_attempt
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

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM or not AXE.exists(), reason="needs chromium and axe-core"),
]

FIVE = [
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.TRUE_FALSE,
    QuestionType.SHORT,
    QuestionType.NUMERIC,
]


def _slot(attempt: Attempt, qtype: str) -> AttemptSlot:
    return AttemptSlot.objects.get(attempt=attempt, version__type=qtype)


def _open(tab, quiz) -> Attempt:  # type: ignore[no-untyped-def]
    log_in(tab, "learner", PASSWORD)
    tab.goto(quiz.get_absolute_url())
    tab.get_by_role("button", name="Bắt đầu làm bài").click()
    tab.wait_for_url(re.compile(r"/attempts/\d+/$"))
    return Attempt.objects.get(quiz=quiz)


def test_pages_turn_offline_and_answers_given_there_are_saved_on_reconnect(
    cast,
    make_questions,
    make_quiz,
    page,  # noqa: F811
):
    # Three pages: single + multiple, true/false + short, numeric.
    quiz = make_quiz(make_questions(types=FIVE), enrol=[cast.learner], time_limit=900, per_page=2)
    attempt = _open(page, quiz)
    expect(page.get_by_role("heading", name="Trang 1/3")).to_be_visible()
    single = page.locator(f"#question-{_slot(attempt, 'single').pk}")
    single.get_by_label("30/10/2016").check()
    expect(single.locator(".save-status")).to_have_text("Đã lưu")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.context.set_offline(True)
    banner = page.locator("#connection")
    expect(banner).to_be_visible()
    page.get_by_role("link", name="Trang sau →").click()
    # Still the quiz, not the browser's error page; the banner stayed.
    expect(page.get_by_role("heading", name="Trang 2/3")).to_be_visible()
    expect(page.get_by_role("heading", name="Kiểm tra học phần 1")).to_be_visible()
    expect(single).to_be_hidden()
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Mất kết nối")
    assert re.search(r"\?page=1$", page.url)
    truefalse = page.locator(f"#question-{_slot(attempt, 'truefalse').pk}")
    truefalse.get_by_label("Đúng").check()
    expect(truefalse.locator(".save-status")).to_have_text("Chưa lưu — đang thử lại")

    page.get_by_role("link", name="Trang sau →").click()
    expect(page.get_by_role("heading", name="Trang 3/3")).to_be_visible()
    expect(banner).to_be_visible()
    numeric = page.locator(f"#question-{_slot(attempt, 'numeric').pk}")
    numeric.get_by_label("Đáp số").fill("27")
    numeric.get_by_label("Đáp số").blur()
    expect(numeric.locator(".save-status")).to_have_text("Chưa lưu — đang thử lại")

    # Back, and to a page through the navigator: the answers given offline are there.
    page.get_by_role("link", name="← Trang trước").click()
    expect(page.get_by_role("heading", name="Trang 2/3")).to_be_visible()
    expect(truefalse.get_by_label("Đúng")).to_be_checked()
    navigator = page.get_by_role("navigation", name="Danh sách câu hỏi")
    navigator.get_by_role("link", name=re.compile(r"^1\b")).click()
    expect(page.get_by_role("heading", name="Trang 1/3")).to_be_visible()
    expect(single.get_by_label("30/10/2016")).to_be_checked()
    expect(navigator.get_by_role("link", name=re.compile(r"^1\b"))).to_have_attribute(
        "aria-current", "true"
    )
    expect(navigator.get_by_role("link", name=re.compile(r"^3\b"))).to_contain_text("đã trả lời")

    # Offline, the summary would be the browser's error page: the quiz stays.
    page.get_by_role("link", name="Xem lại và nộp bài").click()
    expect(banner).to_contain_text("chưa thể rời trang này")
    expect(page.get_by_role("heading", name="Trang 1/3")).to_be_visible()
    assert _slot(attempt, "truefalse").response is None

    page.context.set_offline(False)
    for question in (truefalse, numeric):
        expect(question.locator(".save-status")).to_have_text("Đã lưu", timeout=20_000)
    assert _slot(attempt, "truefalse").response == {"value": True}
    assert _slot(attempt, "numeric").response == {"value": 27}

    # The browser's Back button turns the pages back too.
    page.go_back()
    expect(page.get_by_role("heading", name="Trang 2/3")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_sequential_pages_turn_offline_and_the_server_moves_on_after_the_answers(
    cast,
    make_questions,
    make_quiz,
    page,  # noqa: F811
):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.SHORT]),
        enrol=[cast.learner],
        per_page=1,
        navigation=Quiz.Navigation.SEQUENTIAL,
    )
    attempt = _open(page, quiz)
    page.context.set_offline(True)
    single = page.locator(f"#question-{_slot(attempt, 'single').pk}")
    single.get_by_label("30/10/2016").check()
    expect(single.locator(".save-status")).to_have_text("Chưa lưu — đang thử lại")
    page.get_by_role("link", name="Trang sau →").click()
    expect(page.get_by_role("heading", name="Trang 2/3")).to_be_visible()
    expect(page.locator("#connection")).to_be_visible()
    # No way back under sequential navigation.
    expect(page.get_by_role("link", name="← Trang trước")).to_have_count(0)
    navigator = page.get_by_role("navigation", name="Danh sách câu hỏi")
    expect(navigator.get_by_role("link", name=re.compile(r"^1\b"))).to_have_count(0)
    truefalse = page.locator(f"#question-{_slot(attempt, 'truefalse').pk}")
    truefalse.get_by_label("Sai").check()

    # Online again: the answer of the page left behind is stored first, then the page turn.
    with page.expect_response(lambda r: r.url.endswith("/page/") and r.status == 204):
        page.context.set_offline(False)
    expect(truefalse.locator(".save-status")).to_have_text("Đã lưu", timeout=20_000)
    attempt.refresh_from_db()
    assert attempt.current_page == 1
    assert _slot(attempt, "single").response == {"choice": "a"}
    assert _slot(attempt, "truefalse").response == {"value": False}

    page.reload()
    expect(page.get_by_role("heading", name="Trang 2/3")).to_be_visible()
    expect(single).to_have_count(0)


def _summary_with_one_answer_and_one_flag(tab, quiz) -> Attempt:  # type: ignore[no-untyped-def]
    attempt = _open(tab, quiz)
    first = tab.locator(f"#question-{_slot(attempt, 'single').pk}")
    first.get_by_label("30/10/2016").check()
    expect(first.locator(".save-status")).to_have_text("Đã lưu")
    flagged = tab.locator(f"#question-{_slot(attempt, 'truefalse').pk}")
    flagged.get_by_label("Đánh dấu để xem lại").check()
    tab.get_by_role("link", name="Xem lại và nộp bài").click()
    tab.wait_for_url(re.compile(r"/summary/$"))
    return attempt


def test_submit_asks_first_with_the_unanswered_and_flagged_counts(
    cast,
    make_questions,
    make_quiz,
    page,  # noqa: F811
):
    quiz = make_quiz(make_questions(types=FIVE), enrol=[cast.learner], time_limit=900)
    attempt = _summary_with_one_answer_and_one_flag(page, quiz)

    page.get_by_role("button", name="Nộp bài và kết thúc").click()
    dialog = page.get_by_role("dialog", name="Nộp bài?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        "Còn 4 câu chưa trả lời và 1 câu đã đánh dấu. Bạn chắc chắn muốn nộp bài?"
    )
    # The safe choice has the focus; the dialog passes axe and fits a phone.
    expect(dialog.get_by_role("link", name="Quay lại")).to_be_focused()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    # Cancelling (button or Escape) keeps the attempt open.
    dialog.get_by_role("link", name="Quay lại").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Nộp bài và kết thúc").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    attempt.refresh_from_db()
    assert attempt.is_open
    expect(page).to_have_url(re.compile(r"/summary/$"))

    page.get_by_role("button", name="Nộp bài và kết thúc").click()
    dialog.get_by_role("button", name="Nộp bài", exact=True).click(no_wait_after=True)
    page.wait_for_url(re.compile(r"/result/$"), timeout=60_000)
    attempt.refresh_from_db()
    assert not attempt.is_open


def test_submit_confirmation_works_without_javascript(
    cast,
    make_questions,
    make_quiz,
    new_page,  # noqa: F811
):
    quiz = make_quiz(make_questions(types=FIVE), enrol=[cast.learner], time_limit=900)
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    AttemptSlot.objects.filter(pk=_slot(attempt, "truefalse").pk).update(flagged=True)
    tab = new_page(java_script_enabled=False, bypass_csp=True)
    log_in(tab, "learner", PASSWORD)
    tab.goto(f"/attempts/{attempt.pk}/summary/")
    tab.get_by_role("button", name="Nộp bài và kết thúc").click()
    step = tab.get_by_role("region", name="Nộp bài?")
    expect(step).to_contain_text(
        "Còn 5 câu chưa trả lời và 1 câu đã đánh dấu. Bạn chắc chắn muốn nộp bài?"
    )
    step.get_by_role("link", name="Quay lại").click()
    expect(tab.get_by_role("region", name="Nộp bài?")).to_have_count(0)
    attempt.refresh_from_db()
    assert attempt.is_open

    tab.get_by_role("button", name="Nộp bài và kết thúc").click()
    tab.get_by_role("region", name="Nộp bài?").get_by_role(
        "button", name="Nộp bài", exact=True
    ).click(no_wait_after=True)
    tab.wait_for_url(re.compile(r"/result/$"), timeout=60_000)
    attempt.refresh_from_db()
    assert not attempt.is_open
