"""The trainer in Chromium: open a submitted attempt from the gradebook, read the learner's
response beside the key, override an automatic mark with a reason, and see the learner's
result and the gradebook follow; enrol a learner of their unit into their own course."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import AuditLog
from courses import authoring
from courses.models import Enrollment
from quizzes.models import Attempt
from quizzes.services import save_answer, start_attempt, submit_attempt

from ..conftest import PASSWORD
from .conftest import check_page, log_in
from .world import AUTO_GRADED, learner_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_trainer_overrides_an_automatic_mark_and_the_learner_sees_it(cast, page, new_page):
    # single choice, multiple choice; one of two right is not enough
    world = learner_world(cast, types=AUTO_GRADED[:2], pass_percent=Decimal(60))
    attempt = start_attempt(user=cast.learner, quiz=world.quiz)
    single, multiple = attempt.slots.order_by("position")
    for slot, response in ((single, {"choice": "b"}), (multiple, {"choices": ["a", "b"]})):
        save_answer(
            user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response=response, seq=1
        )
    submit_attempt(attempt=attempt, user=cast.learner)

    log_in(page, "trainer_a", PASSWORD)
    page.goto(f"/reports/courses/{world.course.pk}/gradebook/")
    gradebook = page.locator("#gradebook")
    learner_row = gradebook.get_by_role("row", name=re.compile("Nguyễn Thị Hồng Nhung"))
    expect(learner_row).to_contain_text("50%")
    learner_row.get_by_role("link", name="Chưa đạt").click()
    page.wait_for_url(re.compile(rf"/reports/attempts/{attempt.pk}/$"))

    card = page.locator(f"#slot-{single.pk}")
    expect(card.get_by_role("definition").first).to_have_text("15/5/2016")  # their response
    expect(card.locator(".key dd")).to_have_text("30/10/2016")  # the key beside it
    expect(card).to_contain_text("0/1 điểm")
    expect(card).to_contain_text("Chấm tự động")
    check_page(page, focus=True)

    card.get_by_text("Sửa điểm câu này").click()
    card.get_by_label("Điểm mới").fill("1")
    card.get_by_label("Lý do sửa điểm").fill("Phúc khảo: phương án B in nhầm ngày.")
    card.get_by_role("button", name="Lưu điểm mới").click()
    expect(card.get_by_role("status")).to_have_text("Đã sửa điểm.")
    expect(card).to_contain_text("1/1 điểm")
    expect(card).to_contain_text("Phúc khảo: phương án B in nhầm ngày.")
    expect(card).to_contain_text("Trả về điểm tự động (0)")
    expect(page.locator("#attempt-marks")).to_contain_text("Đã chấm xong: 100%")
    expect(page.locator("#attempt-marks")).to_contain_text("Đạt")
    check_page(page)
    entry = AuditLog.objects.get(action=AuditLog.Action.GRADE_CHANGED)
    assert entry.actor == cast.trainer_a and entry.data["new_points"] == "1"
    assert Attempt.objects.get(pk=attempt.pk).percent == 100

    # The gradebook and the learner's own result show the new mark.
    page.goto(f"/reports/courses/{world.course.pk}/gradebook/")
    expect(
        page.locator("#gradebook").get_by_role("row", name=re.compile("Nguyễn"))
    ).to_contain_text("100%")
    learner = new_page(bypass_csp=True)
    log_in(learner, "learner", PASSWORD)
    learner.goto(f"/attempts/{attempt.pk}/result/")
    expect(learner.get_by_text(re.compile(r"Điểm: 2/2 \(100%\)"))).to_be_visible()
    first = learner.locator("section.card").filter(has_text="Câu 1")
    expect(first).to_contain_text("1/1 điểm")
    expect(first).to_contain_text("Điểm câu này do người chấm điều chỉnh.")
    expect(first).not_to_contain_text("Phúc khảo")
    check_page(learner)


def test_trainer_enrols_a_learner_of_their_unit_into_their_course(cast, page):
    course = authoring.create_course(
        actor=cast.trainer_a, code="TPB", title="Tự phê bình và phê bình", owner_unit=cast.unit_a
    )
    module = authoring.add_module(actor=cast.trainer_a, course=course, title="Học phần 1")
    authoring.add_lesson(actor=cast.trainer_a, module=module, title="Bài 1", body="Nội dung mẫu")
    authoring.set_status(actor=cast.trainer_a, course=course, status="published")

    log_in(page, "trainer_a", PASSWORD)
    page.goto("/authoring/")
    page.get_by_role("link", name=re.compile("Ghi danh học viên")).click()
    page.wait_for_url(re.compile(rf"/courses/{course.pk}/enrolments/$"))
    check_page(page, focus=True)

    page.get_by_label("Tìm học viên trong đơn vị của bạn").fill("viet")
    people = page.locator("#people")
    expect(people.get_by_role("row", name=re.compile("Đặng Quốc Việt"))).to_be_visible()
    page.get_by_label("Tìm học viên trong đơn vị của bạn").fill("thi")
    expect(people.get_by_role("row", name=re.compile("Nguyễn Thị Hồng Nhung"))).to_be_visible()
    expect(people).not_to_contain_text("Bùi Thị Ế")  # unit B: not trainer A's
    page.get_by_label("Tìm học viên trong đơn vị của bạn").fill("viet")
    people.get_by_role("button", name="Ghi danh Đặng Quốc Việt").click()
    expect(people.get_by_role("status")).to_have_text("Đã ghi danh Đặng Quốc Việt.")
    expect(people.get_by_role("row", name=re.compile("Đặng Quốc Việt"))).to_contain_text(
        "Đã ghi danh"
    )
    expect(page.locator("#enrolled")).to_contain_text("Đặng Quốc Việt")
    check_page(page)
    assert Enrollment.objects.get(course=course).user == cast.other_learner

    # The rest of the cell, at once.
    page.get_by_label(re.compile(r"^Đơn vị")).select_option(str(cast.cell_a1.pk))
    page.get_by_role("button", name="Ghi danh cả đơn vị").click()
    expect(page.get_by_text(re.compile("Đã ghi danh 1 học viên của Chi bộ A1"))).to_be_visible()
    expect(page.locator("#enrolled")).to_contain_text("Nguyễn Thị Hồng Nhung")
    check_page(page)
    assert set(Enrollment.objects.filter(course=course).values_list("user", flat=True)) == {
        cast.learner.pk,
        cast.other_learner.pk,
    }
