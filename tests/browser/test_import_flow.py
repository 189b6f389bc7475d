"""A trainer in Chromium imports a GIFT bank exported from Moodle: the preview
names the types in Vietnamese and lists what cannot be imported (a
description), and the import runs from the preview without choosing the
file again; then the category's questions export as Moodle XML."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from quizzes.models import Question, QuestionCategory

from ..conftest import PASSWORD
from .conftest import check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)

GIFT = Path(__file__).resolve().parents[1] / "quizzes" / "data" / "ngan-hang-moodle.gift"


def test_trainer_imports_a_moodle_gift_bank_from_the_preview(cast, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    log_in(page, "trainer_a", PASSWORD)
    page.goto("/bank/import/")
    check_page(page, focus=True)
    page.get_by_label("Tệp câu hỏi").set_input_files(str(GIFT))
    page.get_by_label("Định dạng").select_option("gift")
    page.get_by_label("Danh mục đích").fill("Từ Moodle")
    page.get_by_role("button", name="Tải lên và xem trước").click()

    preview = page.locator("#import-preview")
    expect(preview.get_by_role("heading", name="Xem trước: 5 câu hỏi hợp lệ")).to_be_visible()
    for label in ("Một lựa chọn", "Số", "Đúng/Sai", "Ghép đôi", "Tự luận"):
        expect(preview.get_by_role("cell", name=label, exact=True)).to_be_visible()
    expect(
        preview.get_by_role("cell", name="Từ Moodle/Nghị quyết 4/Khái quát").first
    ).to_be_visible()
    skipped = page.locator("#import-skipped")
    expect(skipped.get_by_role("heading", name="1 mục không nhập được")).to_be_visible()
    row = skipped.locator("tbody tr")
    expect(row).to_have_text(
        re.compile(r"5\s*Đoạn mô tả, không phải câu hỏi \(Description\)\s*Giới thiệu")
    )
    # Nothing to choose again: no file input on the preview.
    expect(page.locator("input[type=file]")).to_have_count(0)
    check_page(page)
    assert not Question.objects.exists()

    # Without agreeing to leave the description out, nothing is imported.
    page.get_by_role("button", name="Nhập 5 câu hỏi").click()
    expect(page.get_by_role("alert").filter(has_text="Description")).to_be_visible()
    assert not Question.objects.exists()
    check_page(page)

    page.get_by_label("Bỏ qua 1 câu không hỗ trợ và nhập các câu còn lại").check()
    page.get_by_role("button", name="Nhập 5 câu hỏi").click()
    expect(page.get_by_text("Đã nhập 5 câu hỏi.")).to_be_visible()
    page.wait_for_url(re.compile(r"/bank/\?category=\d+$"))
    check_page(page)
    leaf = QuestionCategory.objects.get(name="Khái quát")
    assert leaf.parent.name == "Nghị quyết 4" and leaf.parent.parent.name == "Từ Moodle"
    numeric = Question.objects.get(title="NQ4 số biểu hiện").current_version.data
    assert [(a["value"], a["tolerance"], a["fraction"]) for a in numeric["answers"]] == [
        (27, 0, 1.0),
        (27, 2, 0.5),
    ]
    assert numeric["feedback_wrong"] == "Sai hoàn toàn."
    assert list(
        Question.objects.get(title="NQ4 năm ban hành").tags.values_list("name", flat=True)
    ) == ["NQ4"]

    # The bank page offers the category back as Moodle XML.
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Moodle XML").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert '<question type="numerical">' in text and "$course$/top/Từ Moodle" in text
