"""The trainer in Chromium: import a GIFT file (errors, preview, import), build a quiz and a
course and publish it; mark an essay; open the gradebook of one unit and export it to XLSX."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from courses.models import Course
from quizzes.models import Attempt, Question
from quizzes.services import save_answer, start_attempt, submit_attempt

from ..conftest import PASSWORD
from .conftest import check_page, log_in
from .world import AUTO_GRADED, ESSAY, RIGHT, learner_world

pytestmark = pytest.mark.django_db(transaction=True)

DATA = Path(__file__).resolve().parents[1] / "quizzes" / "data"


def test_trainer_imports_gift_builds_a_quiz_and_publishes_a_course(cast, page):
    log_in(page, "trainer_a", PASSWORD)
    page.goto("/bank/import/")
    check_page(page, focus=True)
    page.get_by_label("Tệp câu hỏi").set_input_files(str(DATA / "loi.gift"))
    page.get_by_label("Danh mục đích").fill("Nghị quyết 4")
    page.get_by_role("button", name="Tải lên và xem trước").click()
    errors = page.get_by_role("alert").filter(has_text="chưa nhập câu nào")
    expect(errors).to_be_visible()
    assert errors.locator("tbody tr").count() >= 3
    check_page(page)
    assert not Question.objects.exists()

    page.get_by_label("Tệp câu hỏi").set_input_files(str(DATA / "nghi-quyet-4.gift"))
    page.get_by_label("Danh mục đích").fill("Nghị quyết 4")
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(
        page.get_by_role("heading", name=re.compile("Xem trước: \\d+ câu hỏi hợp lệ"))
    ).to_be_visible()
    expect(
        page.get_by_role("cell", name=re.compile("bao nhiêu biểu hiện suy thoái"))
    ).to_be_visible()
    check_page(page)
    assert not Question.objects.exists()

    page.get_by_role("button", name=re.compile(r"^Nhập \d+ câu hỏi$")).click()
    expect(page.get_by_text(re.compile(r"Đã nhập \d+ câu hỏi\."))).to_be_visible()
    check_page(page)
    question = Question.objects.get(current_version__text__contains="bao nhiêu biểu hiện suy thoái")

    # A quiz with that question.
    page.goto("/quiz-admin/new/")
    page.get_by_label("Tên bài kiểm tra").fill("Kiểm tra Nghị quyết 4")
    page.get_by_role("combobox", name=re.compile("Đơn vị sở hữu")).select_option(
        str(cast.unit_a.pk)
    )
    page.get_by_role("button", name=re.compile("Lưu|Tạo")).first.click()
    page.wait_for_url(re.compile(r"/quiz-admin/\d+/$"))
    check_page(page)
    bank = page.locator("#bank")
    bank.get_by_label("Tìm trong nội dung").fill("bao nhieu bieu hien")
    bank.get_by_role("button", name="Lọc").click()
    expect(bank.get_by_text("1 câu phù hợp")).to_be_visible()  # the filtered panel is in
    bank.get_by_label(re.compile("bao nhiêu biểu hiện suy thoái")).check()
    bank.get_by_role("button", name="Thêm các câu đã chọn").click()
    expect(page.locator("#slot-list")).to_contain_text("bao nhiêu biểu hiện")
    assert question.pk in set(Question.objects.filter(pk=question.pk).values_list("pk", flat=True))

    # A course around it, published.
    page.goto("/authoring/new/")
    check_page(page)
    page.get_by_label("Mã khóa học").fill("NQ4")
    page.get_by_label("Tên khóa học").fill("Học tập Nghị quyết 4")
    page.get_by_label("Đơn vị quản lý").select_option(str(cast.unit_a.pk))
    page.get_by_role("button", name=re.compile("Lưu|Tạo")).first.click()
    page.wait_for_url(re.compile(r"/authoring/\d+/$"))
    course = Course.objects.get(code="NQ4")
    page.get_by_label("Tên học phần").fill("Khái quát")
    page.get_by_label("Bài kiểm tra của học phần").select_option(label="Kiểm tra Nghị quyết 4")
    page.get_by_role("button", name="Thêm học phần").click()
    expect(page.locator("#structure h3").first).to_have_text("Khái quát")
    page.get_by_role("link", name="Thêm bài học").click()
    page.get_by_label("Tên bài học").fill("Bốn nhóm giải pháp")
    page.get_by_label("Nội dung").fill("Nghị quyết nêu **bốn nhóm** giải pháp.")
    page.get_by_role("button", name="Lưu bài học").click()
    page.wait_for_url(re.compile(rf"/authoring/{course.pk}/lessons/\d+/$"))
    check_page(page)
    page.get_by_role("link", name="Về khóa học").click()
    check_page(page)
    page.get_by_role("button", name="Xuất bản").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã xuất bản")
    course.refresh_from_db()
    assert course.is_published and course.modules.get().quiz.items.count() == 1


def test_trainer_grades_an_essay_and_exports_the_unit_gradebook(cast, page):
    world = learner_world(cast, types=[*AUTO_GRADED[:2], ESSAY])
    attempt = start_attempt(user=cast.learner, quiz=world.quiz)
    slots = list(attempt.slots.select_related("version").order_by("position"))
    for slot in slots[:2]:
        save_answer(
            user=cast.learner,
            attempt_id=attempt.pk,
            slot_id=slot.pk,
            response=RIGHT[slot.version.type],
            seq=1,
        )
    save_answer(
        user=cast.learner,
        attempt_id=attempt.pk,
        slot_id=slots[2].pk,
        response={"text": "Sinh hoạt chuyên đề hằng quý về Nghị quyết 4."},
        seq=1,
    )
    submit_attempt(attempt=attempt, user=cast.learner)

    log_in(page, "trainer_a", PASSWORD)
    page.goto("/grading/")
    check_page(page, focus=True)
    page.get_by_role("row", name=re.compile("Nguyễn Thị Hồng Nhung")).get_by_role(
        "link", name="Chấm", exact=True
    ).click()
    expect(page.get_by_text("Sinh hoạt chuyên đề hằng quý")).to_be_visible()
    check_page(page)
    page.get_by_role("spinbutton", name=re.compile("^Điểm")).fill("1")
    page.get_by_label("Nhận xét").fill("Biện pháp cụ thể, đạt yêu cầu.")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.get_by_text(re.compile("Đã chấm xong: 100"))).to_be_visible()
    attempt.refresh_from_db()
    assert not attempt.needs_grading and attempt.percent == 100

    # The gradebook of cell A1, exported.
    page.goto(f"/reports/courses/{world.course.pk}/gradebook/")
    page.get_by_label("Đơn vị").select_option(str(cast.cell_a1.pk))
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(rf"unit={cast.cell_a1.pk}"))
    gradebook = page.locator("#gradebook")
    expect(gradebook).to_contain_text("Nguyễn Thị Hồng Nhung")
    check_page(page)
    page.locator("#gradebook, main").get_by_role("button", name="Xuất Excel (XLSX)").first.click()
    download_link = page.get_by_role("link", name="Tải tệp")
    expect(download_link).to_be_visible(timeout=30_000)
    check_page(page)
    response = page.request.get(download_link.get_attribute("href"))
    assert response.ok
    sheet = load_workbook(io.BytesIO(response.body())).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Nguyễn Thị Hồng Nhung" in cells
    assert not any("Bùi Thị Ế" in c for c in cells)
    assert Attempt.objects.filter(user=cast.learner).count() == 1
