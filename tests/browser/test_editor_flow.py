"""The question editor in Chromium, at phone and desktop size: a multiple-choice question
built by adding and removing choice rows (htmx, no page reload), a matching and a numeric
one, each refused once with the error at its field, then saved; and rows added without
JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Question, QuestionCategory
from quizzes.services import ensure_category_path

from ..conftest import PASSWORD
from .conftest import check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _bank(cast) -> QuestionCategory:  # type: ignore[no-untyped-def]
    return ensure_category_path(path="Nội dung mẫu/Nghị quyết 4", owner_unit=cast.unit_a)


def _choose(page, bank: QuestionCategory, label: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/bank/questions/new/?category={bank.pk}")
    page.get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Câu hỏi mới: {label}")


def _field(page, label: str):  # type: ignore[no-untyped-def]
    return page.get_by_label(label, exact=True)


def _saved(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Lưu câu hỏi").click()
    page.wait_for_url(re.compile(r"/bank/\?category=\d+$"))
    expect(page.get_by_text("Đã lưu câu hỏi.")).to_be_visible()


def test_trainer_builds_multiple_choice_matching_and_numeric_questions(cast, page):
    bank = _bank(cast)
    log_in(page, "trainer_a", PASSWORD)

    # Multiple choice: four blank rows to start with, one added, two removed.
    _choose(page, bank, "Nhiều lựa chọn")
    check_page(page, focus=True)
    page.evaluate("window.sameDocument = true")  # gone if a row button reloaded the page
    page.get_by_label("Nội dung câu hỏi").fill("Những nhóm nào thuộc 27 biểu hiện suy thoái?")
    rows = page.locator("#rows-choices li")
    expect(rows).to_have_count(4)
    for n, (text, pct) in enumerate(
        [("Tư tưởng chính trị", "50"), ("Đạo đức, lối sống", "30"), ("Thể thao", "-50")], 1
    ):
        _field(page, f"Phương án {n}").fill(text)
        _field(page, f"Tỉ lệ điểm phương án {n} (%)").fill(pct)
    page.get_by_role("button", name="Thêm dòng").click()
    expect(rows).to_have_count(5)
    expect(_field(page, "Phương án 5")).to_be_focused()  # the new row takes the focus
    _field(page, "Phương án 5").fill("Văn nghệ")
    page.get_by_role("button", name="Xóa phương án 4").click()
    expect(rows).to_have_count(4)
    expect(_field(page, "Phương án 4")).to_have_value("Văn nghệ")  # rows renumbered
    expect(_field(page, "Phương án 4")).to_be_focused()  # the row that took its place
    page.get_by_role("button", name="Xóa phương án 4").click()
    expect(rows).to_have_count(3)
    expect(_field(page, "Phương án 1")).to_have_value("Tư tưởng chính trị")  # typed text kept
    assert page.evaluate("window.sameDocument") is True
    # Fractions of right choices must make 100%.
    page.get_by_role("button", name="Lưu câu hỏi").click()
    expect(page.locator("#rows-problem")).to_have_text(
        "Tổng tỉ lệ các phương án đúng là 80%, phải bằng 100%."
    )
    check_page(page)
    assert not Question.objects.exists()
    _field(page, "Tỉ lệ điểm phương án 2 (%)").fill("50")
    _field(page, "Nhận xét phương án 3").fill("Không thuộc Nghị quyết 4.")
    _saved(page)
    data = Question.objects.get().current_version.data
    assert [(c["text"], c["fraction"]) for c in data["choices"]] == [
        ("Tư tưởng chính trị", 0.5),
        ("Đạo đức, lối sống", 0.5),
        ("Thể thao", -0.5),
    ]
    assert data["choices"][2]["feedback"] == "Không thuộc Nghị quyết 4."

    # Matching: two pairs and a distractor.
    _choose(page, bank, "Ghép đôi")
    page.get_by_label("Nội dung câu hỏi").fill("Ghép văn bản với ngày ban hành.")
    _field(page, "Vế trái 1").fill("Nghị quyết 04-NQ/TW")
    _field(page, "Vế phải 1").fill("30/10/2016")
    _field(page, "Vế trái 2").fill("Chỉ thị 05-CT/TW")
    page.get_by_role("button", name="Lưu câu hỏi").click()
    expect(page.locator("#id_pairs-" + _key(page, "pairs", 2) + "-right_error")).to_have_text(
        "Vế phải không được để trống."
    )
    check_page(page)
    _field(page, "Vế phải 2").fill("15/5/2016")
    _field(page, "Vế phải 3").fill("01/01/2017")
    _saved(page)
    matching = Question.objects.get(current_version__type="matching").current_version.data
    rights = {r["id"]: r["text"] for r in matching["rights"]}
    assert [(p["left"], rights[p["right_id"]]) for p in matching["pairs"]] == [
        ("Nghị quyết 04-NQ/TW", "30/10/2016"),
        ("Chỉ thị 05-CT/TW", "15/5/2016"),
    ]
    assert sorted(rights.values()) == ["01/01/2017", "15/5/2016", "30/10/2016"]

    # Numeric: a negative tolerance is refused at its field.
    _choose(page, bank, "Số")
    page.get_by_label("Nội dung câu hỏi").fill("Nghị quyết 4 nêu bao nhiêu biểu hiện suy thoái?")
    _field(page, "Đáp số 1").fill("27")
    _field(page, "Sai số cho phép đáp số 1 (±)").fill("-1")
    page.get_by_label("Đơn vị đo").fill("biểu hiện")
    page.get_by_role("button", name="Lưu câu hỏi").click()
    tolerance = _field(page, "Sai số cho phép đáp số 1 (±)")
    expect(tolerance).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Sai số cho phép không được âm.")).to_be_visible()
    check_page(page)
    tolerance.fill("0,5")
    _saved(page)
    numeric = Question.objects.get(current_version__type="numeric").current_version.data
    assert numeric["answers"][0] == {
        "value": 27.0,
        "tolerance": 0.5,
        "fraction": 1.0,
        "feedback": "",
    }
    assert numeric["unit"] == "biểu hiện"


def _key(page, kind: str, n: int) -> str:  # type: ignore[no-untyped-def]
    return page.locator(f'#rows-{kind} input[name="{kind}"]').nth(n - 1).get_attribute("value")


def test_rows_are_added_and_ordered_without_javascript(cast, new_page):
    bank = _bank(cast)
    page = new_page(java_script_enabled=False)
    log_in(page, "trainer_a", PASSWORD)
    _choose(page, bank, "Sắp xếp thứ tự")
    page.get_by_label("Nội dung câu hỏi").fill("Sắp xếp theo thời gian ban hành.")
    _field(page, "Mục 1").fill("Nghị quyết 04-NQ/TW")
    _field(page, "Mục 2").fill("Chỉ thị 05-CT/TW")
    page.get_by_role("button", name="Đưa mục 2 lên").click()  # a full page round trip
    expect(_field(page, "Mục 1")).to_have_value("Chỉ thị 05-CT/TW")
    for _n in range(2):  # the two blank rows left
        page.get_by_role("button", name="Xóa mục 3").click()
    expect(page.locator("#rows-items li")).to_have_count(2)
    page.get_by_role("button", name="Thêm dòng").click()
    expect(page.locator("#rows-items li")).to_have_count(3)
    _field(page, "Mục 3").fill("Đại hội IX Đảng bộ Khối")
    expect(page.get_by_label("Nội dung câu hỏi")).to_have_value("Sắp xếp theo thời gian ban hành.")
    _saved(page)
    items = Question.objects.get().current_version.data["items"]
    assert [i["text"] for i in items] == [
        "Chỉ thị 05-CT/TW",
        "Nghị quyết 04-NQ/TW",
        "Đại hội IX Đảng bộ Khối",
    ]
