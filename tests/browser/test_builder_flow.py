"""The quiz builder in Chromium: a trainer builds a quiz from the bank by filtering
(without accents) and ticking, adds a random slot, reorders by drag and drop and by
the keyboard's buttons, sets points and minutes, previews it as a learner; then a
learner takes it. Phone and desktop."""

import re

import pytest
from playwright.sync_api import expect

from courses import authoring, services
from quizzes.models import Attempt, QuestionType, Quiz, QuizGrade
from quizzes.services import create_question, ensure_category_path

from ..conftest import PASSWORD
from .conftest import check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _bank(cast):  # type: ignore[no-untyped-def]
    nq4 = ensure_category_path(path="Nội dung mẫu/Nghị quyết 4", owner_unit=cast.unit_a)
    group = ensure_category_path(path="Nội dung mẫu/Nghị quyết 4/Nhóm 1", owner_unit=cast.unit_a)

    def tf(category, text, answer=True, tags=None):  # type: ignore[no-untyped-def]
        return create_question(
            actor=cast.trainer_a,
            category=category,
            type=QuestionType.TRUE_FALSE,
            text=text,
            data={"answer": answer},
            tags=tags,
        )

    tf(nq4, "Nghị quyết 4 nêu 27 biểu hiện suy thoái.")
    tf(nq4, "Các biểu hiện suy thoái chia thành ba nhóm.")
    tf(nq4, "Chỉ thị 05-CT/TW ban hành ngày 15/5/2016.")
    tf(group, "Suy thoái về tư tưởng chính trị có chín biểu hiện.", tags=["Nhóm 1"])
    tf(group, "Phai nhạt lý tưởng cách mạng là một biểu hiện.", tags=["Nhóm 1"])
    tf(group, "Câu không có thẻ.")


def _quiz_in_a_course(cast) -> Quiz:  # type: ignore[no-untyped-def]
    quiz = Quiz.objects.create(
        title="Kiểm tra Nghị quyết 4",
        owner_unit=cast.unit_a,
        created_by=cast.trainer_a,
        shuffle_choices=False,
    )
    course = authoring.create_course(
        actor=cast.trainer_a, code="NQ4B", title="Học tập Nghị quyết 4", owner_unit=cast.unit_a
    )
    authoring.add_module(actor=cast.trainer_a, course=course, title="Khái quát", quiz=quiz)
    authoring.set_status(actor=cast.trainer_a, course=course, status="published")
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    return quiz


def _slots(page):  # type: ignore[no-untyped-def]
    return page.locator("#slot-list li.slot")


def test_trainer_builds_previews_and_a_learner_takes_the_quiz(cast, page, new_page):
    _bank(cast)
    quiz = _quiz_in_a_course(cast)
    log_in(page, "trainer_a", PASSWORD)
    page.goto(f"/quiz-admin/{quiz.pk}/")
    expect(page.get_by_text("Chưa có câu hỏi nào.")).to_be_visible()
    check_page(page, focus=True)

    # Filter the bank without accents (htmx swaps the panel), tick two, add them.
    bank = page.locator("#bank")
    bank.get_by_label("Tìm trong nội dung").fill("bieu hien suy thoai")
    bank.get_by_role("button", name="Lọc").click()
    expect(bank.get_by_text("3 câu phù hợp")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=bieu(\+|%20)hien"))
    bank.get_by_text("Xem trước câu").first.click()  # the learner's own question
    preview = bank.locator("fieldset.question").first
    expect(preview.get_by_label("Đúng")).to_be_visible()
    bank.get_by_label("Chỉ câu chưa có trong bài").check()
    bank.get_by_label(re.compile("^Danh mục")).select_option(label="— Nghị quyết 4")
    bank.get_by_label("Gồm cả danh mục con").uncheck()
    bank.get_by_role("button", name="Lọc").click()
    expect(bank.get_by_text("2 câu phù hợp")).to_be_visible()
    bank.get_by_label(re.compile("27 biểu hiện suy thoái")).check()
    bank.get_by_label(re.compile("chia thành ba nhóm")).check()
    bank.get_by_role("button", name="Thêm các câu đã chọn").click()
    expect(page.get_by_text("Đã thêm 2 câu hỏi vào bài kiểm tra.")).to_be_visible()
    expect(_slots(page)).to_have_count(2)
    expect(page.locator("#bank").get_by_text("Không có câu hỏi nào phù hợp")).to_be_visible()
    check_page(page)

    # A random slot: the pool count follows the settings before adding.
    random = page.get_by_role("region", name="Thêm câu rút ngẫu nhiên")
    random.get_by_label("Rút từ danh mục").select_option(label="— — Nhóm 1")
    expect(random.locator("#pool")).to_have_text("Kho có 3 câu phù hợp.")
    random.get_by_label("Chỉ câu có thẻ").select_option(label="Nhóm 1")
    expect(random.locator("#pool")).to_have_text("Kho có 2 câu phù hợp.")
    random.get_by_role("button", name="Thêm câu rút ngẫu nhiên").click()
    expect(_slots(page)).to_have_count(3)
    expect(_slots(page).nth(2)).to_contain_text("kho có 2 câu")

    # Reorder: the random slot up with the keyboard's button, then drag the first last.
    first = _slots(page).nth(0).get_attribute("data-item")
    page.get_by_role("button", name="Đưa mục 3 lên").click()
    expect(_slots(page).nth(1)).to_contain_text("Rút ngẫu nhiên")
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": 2400})  # the whole list in view
    page.locator("#slot-list").scroll_into_view_if_needed()
    last = _slots(page).nth(2).bounding_box()
    handle = _slots(page).nth(0).locator(".drag-handle").bounding_box()
    assert last is not None and handle is not None
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + 40, last["y"] + last["height"] - 8, steps=12)
    with page.expect_response(re.compile(r"/reorder/$")) as reordered:
        page.mouse.up()
    assert reordered.value.ok
    page.set_viewport_size(viewport)
    expect(_slots(page).nth(2)).to_have_attribute("data-item", first, timeout=10_000)
    page.reload()
    expect(_slots(page).nth(2)).to_have_attribute("data-item", first)
    expect(_slots(page).nth(0)).to_contain_text("Rút ngẫu nhiên")

    # Points and a page break, then the summary line.
    slot = _slots(page).nth(0)
    slot.get_by_label("Điểm mỗi câu").fill("2")
    slot.get_by_label("Sang trang mới sau mục này").check()
    slot.get_by_role("button", name="Lưu mục 1").click()
    expect(page.locator("#quiz-summary")).to_contain_text("3 câu · tổng 4 điểm · 2 trang")
    page.get_by_label("Điểm tối đa của bài").fill("100")
    page.get_by_role("button", name="Lưu điểm tối đa").click()
    expect(page.locator("#quiz-summary")).to_contain_text("điểm tối đa 100")
    check_page(page)

    # Minutes, not seconds.
    page.get_by_role("link", name="Sửa thiết lập").click()
    page.get_by_label("Thời gian làm bài (phút)").fill("90")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Thời gian làm bài: 1 giờ 30 phút")).to_be_visible()
    expect(page.locator("#quiz-summary")).to_contain_text("thời gian làm bài 1 giờ 30 phút")
    quiz.refresh_from_db()
    assert quiz.time_limit == 5400

    # Preview as a learner: the quiz as it will be taken, never counted.
    page.get_by_role("button", name="Xem thử như học viên").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    expect(page.get_by_text("Lượt xem thử")).to_be_visible()
    expect(page.locator("fieldset.question")).to_have_count(3)
    check_page(page)
    page.get_by_role("link", name="Xem lại và nộp bài").click()
    page.get_by_role("button", name="Nộp bài và kết thúc").click()
    page.get_by_role("dialog", name="Nộp bài?").get_by_role(
        "button", name="Nộp bài", exact=True
    ).click(no_wait_after=True)
    expect(page.get_by_role("heading", name=re.compile("Kết quả lượt làm bài"))).to_be_visible(
        timeout=30_000
    )
    preview_attempt = Attempt.objects.get(user=cast.trainer_a)
    assert preview_attempt.is_preview and preview_attempt.state == "finished"

    # A learner takes it: two pages, the random slot's question worth 2 points.
    learner = new_page(bypass_csp=True)
    log_in(learner, "learner", PASSWORD)
    learner.goto(f"/quizzes/{quiz.pk}/")
    expect(learner.get_by_text("Thời gian làm bài: 1 giờ 30 phút")).to_be_visible()
    learner.get_by_role("button", name="Bắt đầu làm bài").click()
    learner.wait_for_url(re.compile(r"/attempts/\d+/"))
    first_page = learner.locator("fieldset.question:visible")
    expect(first_page).to_have_count(1)
    expect(first_page.locator("legend")).to_have_text("Câu 1 (2 điểm)")
    first_page.get_by_label("Đúng").check()
    expect(first_page.locator(".save-status")).to_have_text("Đã lưu", timeout=20_000)
    learner.get_by_role("link", name="Xem lại và nộp bài").click()
    learner.get_by_role("button", name="Nộp bài và kết thúc").click()
    learner.get_by_role("dialog", name="Nộp bài?").get_by_role(
        "button", name="Nộp bài", exact=True
    ).click(no_wait_after=True)
    expect(learner.get_by_role("heading", name="Kết quả lượt làm bài 1")).to_be_visible(
        timeout=30_000
    )
    expect(learner.get_by_text(re.compile("quy ra thang điểm 100: 50"))).to_be_visible()
    attempt = Attempt.objects.get(user=cast.learner)
    assert attempt.max_score == 4 and attempt.score == 2
    assert list(QuizGrade.objects.values_list("user_id", flat=True)) == [cast.learner.pk]
