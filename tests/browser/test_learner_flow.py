"""The learner's whole path in Chromium: course, lesson, a timed quiz by mouse and keyboard,
the network lost and found, result, completion, certificate and its public verification."""

import re

import pytest
from playwright.sync_api import expect

from courses.certificates.models import Certificate
from courses.models import Completion
from quizzes.models import Attempt

from ..conftest import PASSWORD
from .conftest import ARTIFACTS, assert_accessible, check_page, log_in
from .world import AUTO_GRADED, RIGHT, learner_world

pytestmark = pytest.mark.django_db(transaction=True)

# The attempt page (HTML + CSS + JS, uncompressed) must stay light on mobile data.
ATTEMPT_PAGE_BUDGET = 120_000


def tab_to(page, target, presses: int = 8) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until `target` has focus: it is reachable, in order, by keyboard alone."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached with {presses} presses of Tab")


def saved(question) -> None:  # type: ignore[no-untyped-def]
    expect(question.locator(".save-status")).to_have_text("Đã lưu", timeout=20_000)


def test_learner_takes_a_timed_quiz_through_a_lost_connection_and_gets_a_certificate(
    cast, page, new_page, size
):
    world = learner_world(cast, time_limit=900)
    log_in(page, "learner", PASSWORD)
    mine = page.get_by_role("region", name="Khóa học của tôi")
    expect(mine).to_contain_text("Sinh hoạt chi bộ")
    expect(mine).to_contain_text(world.due_date.strftime("%d/%m/%Y"))
    check_page(page, focus=True)

    # Read the lesson.
    mine.get_by_role("link", name=re.compile("Sinh hoạt chi bộ")).first.click()
    page.wait_for_url(re.compile(rf"/courses/{world.course.pk}/$"))
    check_page(page)
    # A quiz never taken reads "Chưa làm", not "Chưa đạt" (issue 17, item 4).
    quiz_line = page.locator("li:not(.card)", has_text="Bài kiểm tra:").first
    expect(quiz_line.locator(".badge")).to_have_text("Chưa làm")
    page.goto(world.lesson.get_absolute_url())
    expect(page.get_by_role("heading", name="27 biểu hiện suy thoái")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Đánh dấu đã học xong").click()
    expect(page.get_by_text("Bạn đã học xong bài này.")).to_be_visible()

    # Start the timed quiz and weigh the attempt page.
    page.get_by_role("link", name=re.compile("Làm bài kiểm tra học phần")).click()
    expect(page.get_by_text(re.compile("Thời gian làm bài: 15 phút"))).to_be_visible()
    check_page(page)
    weight: dict[str, int] = {}
    page.on(
        "response",
        lambda r: (
            weight.__setitem__(r.url, len(r.body()))
            if r.request.resource_type in ("document", "script", "stylesheet") and r.ok
            else None
        ),
    )
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    page.wait_for_load_state("networkidle")
    total = sum(weight.values())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"attempt-page-bytes-{size}.txt").write_text(
        "\n".join(f"{n}\t{u}" for u, n in weight.items()) + f"\n{total}\ttotal\n"
    )
    assert total < ATTEMPT_PAGE_BUDGET, f"attempt page weighs {total} bytes: {weight}"
    attempt = Attempt.objects.get(user=cast.learner, quiz=world.quiz)
    timer = page.locator("#timer-announce")
    assert timer.get_attribute("aria-live") == "polite"
    check_page(page, focus=True)
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(7)
    q = {t: questions.nth(i) for i, t in enumerate(RIGHT)}

    # With the mouse.
    q["single"].get_by_text("30/10/2016").click()
    q["multiple"].get_by_text("Tư tưởng chính trị").click()
    q["multiple"].get_by_text("Đạo đức, lối sống").click()
    q["truefalse"].locator("input[value=true]").click()
    for t in ("single", "multiple", "truefalse"):
        saved(q[t])

    # Only the keyboard from here on.
    short = q["short"].get_by_label("Câu trả lời")
    tab_to(page, short)
    page.keyboard.type("Hồ Chí Minh")
    saved(q["short"])
    page.wait_for_timeout(1200)  # the timer ticks but never takes the focus away
    assert short.evaluate("el => el === document.activeElement")

    # The on-screen keyboard halves the viewport: the answer and its status stay in view.
    before = page.viewport_size
    page.set_viewport_size({"width": before["width"], "height": 400})
    short.evaluate("el => el.scrollIntoView({block: 'center'})")
    for part in (short, q["short"].locator(".save-status")):
        expect(part).to_be_in_viewport()
        box = part.bounding_box()
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('fieldset')?.id",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit == q["short"].get_attribute("id"), "something covers the focused answer"
    page.set_viewport_size(before)

    # The network drops: answers keep coming, marked as not yet saved.
    page.context.set_offline(True)
    expect(page.locator("#connection")).to_be_visible()
    tab_to(page, q["numeric"].get_by_label("Đáp số"))
    page.keyboard.type("27")
    tab_to(page, q["matching"].locator("select").nth(0))
    page.keyboard.type("30")
    tab_to(page, q["matching"].locator("select").nth(1))
    page.keyboard.type("15")
    ordering = q["ordering"].locator("li[data-item]")
    if ordering.first.get_attribute("data-item") == "o2":
        tab_to(page, q["ordering"].get_by_role("button", name=re.compile("Đưa “.*” xuống")).first)
    else:
        tab_to(page, q["ordering"].get_by_role("button", name=re.compile("Đưa “.*” xuống")).first)
        page.keyboard.press("Enter")
        tab_to(page, q["ordering"].get_by_role("button", name=re.compile("Đưa “.*” lên")).nth(1))
    page.keyboard.press("Enter")
    for t in ("numeric", "matching", "ordering"):
        expect(q[t].locator(".save-status")).to_have_text("Chưa lưu — đang thử lại")
    assert page.locator(".save-status", has_text="Chưa lưu").first.is_visible()

    # Back online: everything reaches the server.
    page.context.set_offline(False)
    for t in ("numeric", "matching", "ordering"):
        saved(q[t])
    stored = {t: s.response for t, s in zip(RIGHT, attempt.slots.order_by("position"), strict=True)}
    assert stored == RIGHT

    # A reload finds every answer.
    page.reload()
    q = {t: page.locator("fieldset.question").nth(i) for i, t in enumerate(RIGHT)}
    expect(q["single"].locator("input[value=a]")).to_be_checked()
    expect(q["multiple"].locator("input[value=b]")).to_be_checked()
    expect(q["truefalse"].locator("input[value=true]")).to_be_checked()
    expect(q["short"].get_by_label("Câu trả lời")).to_have_value("Hồ Chí Minh")
    expect(q["numeric"].get_by_label("Đáp số")).to_have_value("27")
    expect(q["matching"].locator("select").nth(1)).to_have_value("r2")
    expect(q["ordering"].locator("li[data-item]").first).to_have_attribute("data-item", "o1")
    # Answered questions carry a mark and a spoken label, not a colour alone.
    answered = page.get_by_role("navigation", name="Danh sách câu hỏi").locator("a.answered")
    expect(answered).to_have_count(7)
    for link in answered.all():
        expect(link).to_contain_text("✓")
        expect(link).to_contain_text("đã trả lời")

    # Submit, see the result and the review.
    page.get_by_role("link", name="Xem lại và nộp bài").click()
    check_page(page)
    page.get_by_role("button", name="Nộp bài và kết thúc").click()
    confirm = page.get_by_role("dialog", name="Nộp bài?")
    expect(confirm).to_contain_text("Bạn đã trả lời tất cả các câu.")
    assert_accessible(page)  # the page behind a modal dialog is inert: no touch targets there
    confirm.get_by_role("button", name="Nộp bài", exact=True).click(no_wait_after=True)
    # Completing the course issues the certificate in-process here (eager tasks): allow for it.
    expect(page.get_by_role("heading", name="Kết quả lượt làm bài 1")).to_be_visible(timeout=60_000)
    check_page(page)
    expect(page.get_by_role("heading", name=re.compile("Câu 7"))).to_be_visible()
    attempt.refresh_from_db()
    assert not attempt.is_open

    # The course is complete; the certificate downloads and verifies without logging in.
    assert Completion.objects.filter(user=cast.learner, course=world.course).exists()
    page.goto(world.course.get_absolute_url())
    expect(page.get_by_text(re.compile("Hoàn thành ngày"))).to_be_visible()
    expect(
        page.locator("li:not(.card)", has_text="Bài kiểm tra:").first.locator(".badge")
    ).to_have_text("Đạt")
    page.get_by_role("link", name="Chứng nhận").first.click()
    check_page(page)
    certificate = Certificate.objects.get(user=cast.learner)
    pdf = page.request.get(page.get_by_role("link", name="Tải PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    verify = page.get_by_role("link", name="Mở trang xác thực").get_attribute("href")
    stranger = new_page(bypass_csp=True)
    stranger.goto(verify)
    expect(stranger.get_by_role("heading", name="Xác thực giấy chứng nhận")).to_be_visible()
    expect(stranger.get_by_text("Còn hiệu lực").first).to_be_visible()
    expect(stranger.locator("main")).to_contain_text(certificate.serial)
    expect(stranger.get_by_role("link", name="Đăng xuất")).to_have_count(0)
    check_page(stranger)


def test_timer_runs_out_and_the_quiz_is_submitted_with_the_answers_given(cast, page):
    world = learner_world(cast, types=AUTO_GRADED[:3], time_limit=6)
    log_in(page, "learner", PASSWORD)
    page.goto(f"/quizzes/{world.quiz.pk}/")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    question = page.locator("fieldset.question").first
    question.get_by_text("30/10/2016").click()
    saved(question)
    # Nobody presses submit: the countdown does it at zero.
    expect(page.get_by_role("heading", name="Kết quả lượt làm bài 1")).to_be_visible(timeout=20_000)
    attempt = Attempt.objects.get(user=cast.learner, quiz=world.quiz)
    assert not attempt.is_open
    first = attempt.slots.order_by("position").first()
    assert first.response == {"choice": "a"} and first.score == first.max_points
    check_page(page)


def test_an_unsaved_answer_survives_a_visit_to_the_summary_page(cast, page):
    world = learner_world(cast, types=AUTO_GRADED[:2])
    log_in(page, "learner", PASSWORD)
    page.goto(f"/quizzes/{world.quiz.pk}/")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    attempt_url = page.url
    # The server is overloaded: saves fail for now.
    page.route("**/api/attempts/**", lambda route: route.fulfill(status=503))
    question = page.locator("fieldset.question").first
    question.get_by_text("30/10/2016").click()
    expect(question.locator(".save-status")).to_have_text("Chưa lưu — đang thử lại")
    strays: list[str] = []
    page.on("request", lambda r: strays.append(r.url) if "undefined" in r.url else None)
    page.get_by_role("link", name="Xem lại và nộp bài").click()
    page.wait_for_url(re.compile(r"/summary/$"))
    page.wait_for_load_state("networkidle")
    assert strays == [], "the summary page sent the draft to a URL that does not exist"
    page.unroute("**/api/attempts/**")
    page.goto(attempt_url)
    saved(page.locator("fieldset.question").first)
    slot = Attempt.objects.get(user=cast.learner).slots.order_by("position").first()
    assert slot.response == {"choice": "a"}
