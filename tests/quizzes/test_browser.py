"""Taking a quiz in a real browser: autosave, a lost connection, the timer."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, AttemptSlot, QuestionType
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

# Passing may complete the test course, which issues a certificate in-process
# (eager tasks): submitting waits for that, hence the long timeouts.
TYPES = [QuestionType.SINGLE, QuestionType.MATCHING, QuestionType.ORDERING, QuestionType.SHORT]


def _slot(attempt: Attempt, qtype: str) -> AttemptSlot:
    return AttemptSlot.objects.get(attempt=attempt, version__type=qtype)


def test_answers_survive_a_lost_connection_and_the_quiz_submits(
    cast,
    make_questions,
    make_quiz,
    page,  # noqa: F811
):
    quiz = make_quiz(make_questions(types=TYPES), enrol=[cast.learner], time_limit=600)
    log_in(page, "learner", PASSWORD)
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(user=cast.learner, quiz=quiz)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    single = page.locator(f"#question-{_slot(attempt, 'single').pk}")
    single.get_by_label("30/10/2016").check()
    expect(single.locator(".save-status")).to_have_text("Đã lưu")
    assert _slot(attempt, "single").response == {"choice": "a"}
    expect(page.locator(f"#nav-{_slot(attempt, 'single').pk}")).to_contain_text("đã trả lời")

    # Matching by keyboard-usable selects; ordering with the up/down buttons.
    matching = page.locator(f"#question-{_slot(attempt, 'matching').pk}")
    matching.get_by_label("Nghị quyết 04-NQ/TW").select_option(label="30/10/2016")
    matching.get_by_label("Chỉ thị 05-CT/TW").select_option(label="15/5/2016")
    expect(matching.locator(".save-status")).to_have_text("Đã lưu")
    ordering = page.locator(f"#question-{_slot(attempt, 'ordering').pk}")
    ordering.get_by_role("button", name="Đưa “Chỉ thị 05-CT/TW” lên").focus()
    page.keyboard.press("Enter")
    expect(ordering.locator(".save-status")).to_have_text("Đã lưu")

    # Connection lost: the answer waits in the browser and is retried.
    page.context.set_offline(True)
    short = page.locator(f"#question-{_slot(attempt, 'short').pk}")
    short.get_by_label("Câu trả lời").fill("Hồ Chí Minh")
    short.get_by_label("Câu trả lời").blur()
    expect(short.locator(".save-status")).to_have_text("Chưa lưu — đang thử lại", timeout=10_000)
    assert _slot(attempt, "short").response is None
    page.context.set_offline(False)
    expect(short.locator(".save-status")).to_have_text("Đã lưu", timeout=40_000)
    assert _slot(attempt, "short").response == {"text": "Hồ Chí Minh"}

    # A draft that never reached the server is re-sent when the page is opened again.
    page.route("**/answers/**", lambda route: route.abort())
    single.get_by_label("15/5/2016").check()
    expect(single.locator(".save-status")).to_have_text("Chưa lưu — đang thử lại", timeout=10_000)
    page.unroute("**/answers/**")
    page.reload()
    expect(
        page.locator(f"#question-{_slot(attempt, 'single').pk}").get_by_label("15/5/2016")
    ).to_be_checked()
    expect(page.locator(f"#question-{_slot(attempt, 'single').pk} .save-status")).to_have_text(
        "Đã lưu"
    )
    assert _slot(attempt, "single").response == {"choice": "b"}

    page.get_by_role("link", name="Xem lại và nộp bài").click()
    page.get_by_role("button", name="Nộp bài và kết thúc").click(timeout=60_000)
    page.wait_for_url(re.compile(r"/result/$"), timeout=60_000)
    expect(page.get_by_text(re.compile(r"Điểm: 3/4 \(75%\)"))).to_be_visible()
    assert_accessible(page)


def test_quiz_pages_work_under_the_real_csp(cast, make_questions, make_quiz, new_page):  # noqa: F811
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner], time_limit=600
    )
    tab = new_page()
    violations: list[str] = []
    tab.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(tab, "learner", PASSWORD)
    tab.goto(quiz.get_absolute_url())
    tab.get_by_role("button", name="Bắt đầu làm bài").click()
    tab.wait_for_url(re.compile(r"/attempts/\d+/$"))
    tab.get_by_label("30/10/2016").check()
    expect(tab.locator(".save-status")).to_have_text("Đã lưu")
    tab.get_by_role("link", name="Xem lại và nộp bài").click()
    tab.get_by_role("button", name="Nộp bài và kết thúc").click(timeout=60_000)
    tab.wait_for_url(re.compile(r"/result/$"), timeout=60_000)
    assert violations == []


def test_timer_submits_when_time_runs_out(cast, make_questions, make_quiz, page):  # noqa: F811
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner], time_limit=4
    )
    log_in(page, "learner", PASSWORD)
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    expect(page.locator("#timer")).to_have_text(re.compile(r"0:0[0-4]"))
    page.wait_for_url(re.compile(r"/result/$"), timeout=60_000)
    attempt = Attempt.objects.get(user=cast.learner, quiz=quiz)
    assert attempt.state == "finished"


def test_waiting_learner_is_let_in_at_the_open_time(
    cast,
    make_questions,
    make_quiz,
    page,  # noqa: F811
    settings,
):
    """Counting down costs the server nothing: one reload at the open time."""
    from datetime import timedelta

    from django.utils import timezone

    settings.QUIZ_OPEN_SPREAD_SECONDS = 2
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]),
        enrol=[cast.learner],
        open_at=timezone.now() + timedelta(seconds=12),
    )
    log_in(page, "learner", PASSWORD)
    sent: list[tuple[str, str]] = []
    page.on("request", lambda request: sent.append((request.resource_type, request.url)))
    page.goto(quiz.get_absolute_url())
    expect(page.locator("#open-countdown")).to_have_text(re.compile(r"00:00:(0[0-9]|1[0-2])"))
    expect(page.get_by_role("button", name="Bắt đầu làm bài")).to_be_visible(timeout=25_000)
    assert [kind for kind, _url in sent if kind == "document"] == ["document", "document"]
    assert [url for kind, url in sent if kind in ("xhr", "fetch")] == []


def test_waiting_weeks_ahead_does_not_reload(cast, make_questions, make_quiz, page):  # noqa: F811
    """A single setTimeout past 24.8 days overflows and fires at once: the page
    must keep waiting quietly instead of reloading in a loop."""
    from datetime import timedelta

    from django.utils import timezone

    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]),
        enrol=[cast.learner],
        open_at=timezone.now() + timedelta(days=40),
    )
    log_in(page, "learner", PASSWORD)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.resource_type))
    page.goto(quiz.get_absolute_url())
    expect(page.locator("#open-countdown")).to_have_text(re.compile(r"^(39|40) · \d\d:\d\d:\d\d$"))
    page.wait_for_timeout(4000)
    assert sent.count("document") == 1
