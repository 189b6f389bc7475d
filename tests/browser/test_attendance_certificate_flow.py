"""The certificate waits for the attendance requirement (issue 19), in Chromium at phone
and desktop size: a learner has finished the online part of a course that requires
attending at least one session, but was marked absent from its only (past) session.
Their course page shows the attendance step not met and no certificate. The trainer
corrects the roll-call (absent -> present, with a reason) on the real page; the
learner's course page then shows the course complete and the certificate."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.certificates.models import Certificate
from courses.models import Completion
from training import services
from training.models import Attendance, AttendanceRule, TrainingSession

from ..conftest import PASSWORD
from .conftest import check_page, log_in
from .world import complete, learner_world

pytestmark = pytest.mark.django_db(transaction=True)


def _online_part_done_absent_from_the_session(cast):  # type: ignore[no-untyped-def]
    world = learner_world(cast)
    rule = services.add_rule(
        actor=cast.trainer_a, course=world.course, kind=AttendanceRule.Kind.SESSIONS, minimum=1
    )
    starts = timezone.now().replace(microsecond=0) - timedelta(hours=4)
    session = TrainingSession.objects.create(
        course=world.course,
        title="Quán triệt Nghị quyết Trung ương 4",
        venue="Hội trường Khối",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        created_by=cast.trainer_a,
    )
    session.invited_units.set([cast.unit_a])
    Attendance.objects.create(
        session=session,
        user=cast.learner,
        status=Attendance.Status.ABSENT,
        method=Attendance.Method.MANUAL,
        recorded_by=cast.trainer_a,
    )
    # Lesson read and quiz passed through the real engine: every online step is done.
    complete(world, cast.learner)
    return world, rule, session


def test_certificate_is_issued_only_once_the_attendance_requirement_is_met(cast, new_page):
    world, rule, session = _online_part_done_absent_from_the_session(cast)
    assert not Completion.objects.filter(user=cast.learner, course=world.course).exists()
    assert not Certificate.objects.exists()

    # The learner: online part done, attendance step not met, no certificate.
    learner = new_page(bypass_csp=True)
    log_in(learner, "learner", PASSWORD)
    learner.goto(world.course.get_absolute_url())
    steps = learner.get_by_role("list", name="Yêu cầu khác để hoàn thành")
    step = steps.get_by_role("listitem").filter(has_text=rule.label())
    expect(step).to_contain_text("Đã tham dự 0/1 buổi")
    expect(step.locator(".badge")).to_have_text("Chưa đạt")
    expect(learner.locator(f"#module-{world.lesson.module_id} h3 .badge")).to_have_text(
        "Hoàn thành"
    )
    expect(learner.get_by_role("link", name=f"Tiếp theo: {rule.label()}")).to_be_visible()
    expect(learner.get_by_text(re.compile("Hoàn thành ngày"))).to_have_count(0)
    expect(learner.locator(".certificate-link")).to_have_count(0)
    check_page(learner)

    # The trainer corrects the roll-call after the session, with a reason.
    trainer = new_page(bypass_csp=True)
    log_in(trainer, "trainer_a", PASSWORD)
    trainer.goto(f"/sessions/{session.pk}/roll-call/")
    row = trainer.locator(f"#row-{cast.learner.pk}")
    expect(row).to_contain_text("Vắng")
    row.get_by_role("link", name=re.compile("Sửa")).click()
    row = trainer.locator(f"#row-{cast.learner.pk}")
    row.get_by_label("Có mặt").check()
    row.get_by_label(re.compile("Lý do sửa")).fill("Có ký danh sách giấy, nhập sót")
    row.get_by_role("button", name="Lưu").click()
    # Completing the course issues the certificate in-process here (eager tasks): allow for it.
    expect(row).to_contain_text("Đã lưu", timeout=60_000)
    expect(row).to_contain_text("Có mặt")
    check_page(trainer)
    assert Attendance.objects.get(session=session, user=cast.learner).status == "present"

    # The learner's course page: complete, the requirement met, the certificate there.
    completion = Completion.objects.get(user=cast.learner, course=world.course)
    certificate = Certificate.objects.get(user=cast.learner, course=world.course)
    assert certificate.completion_id == completion.pk and certificate.status == "valid"
    learner.goto(world.course.get_absolute_url())
    expect(learner.get_by_text(re.compile("Hoàn thành ngày"))).to_be_visible()
    step = learner.get_by_role("list", name="Yêu cầu khác để hoàn thành").get_by_role("listitem")
    expect(step.filter(has_text=rule.label()).locator(".badge")).to_have_text("Đạt")
    link = learner.locator(".certificate-link")
    expect(link).to_contain_text(f"Giấy chứng nhận số {certificate.serial}")
    check_page(learner)
    pdf = learner.request.get(link.get_by_role("link", name="Tải PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    link.get_by_role("link", name="Chứng nhận của tôi").click()
    expect(learner.locator("main")).to_contain_text(certificate.serial)
