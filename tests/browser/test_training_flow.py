"""Training sessions in Chromium: a learner registers from the dashboard on a phone
(and declines with a reason), a trainer schedules a session."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses import authoring
from training import services
from training.models import Registration, TrainingSession

from ..conftest import PASSWORD
from .conftest import check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _course(cast):  # type: ignore[no-untyped-def]
    course = authoring.create_course(
        actor=cast.trainer_a, code="TH01", title="Nghiệp vụ công tác Đảng", owner_unit=cast.unit_a
    )
    module = authoring.add_module(actor=cast.trainer_a, course=course, title="Học phần 1")
    authoring.add_lesson(actor=cast.trainer_a, module=module, title="Bài 1", body="x")
    authoring.set_status(actor=cast.trainer_a, course=course, status="published")
    return course


@pytest.mark.parametrize("size", ["phone"], indirect=True)
def test_learner_registers_and_declines_on_a_phone(cast, page):
    course = _course(cast)
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    session = services.create_session(
        actor=cast.trainer_a,
        course=course,
        data=services.SessionData(
            title="Quán triệt Nghị quyết Trung ương",
            venue="Hội trường Khối",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            capacity=1,
        ),
        invited_units=[cast.unit_a],
    )
    log_in(page, "learner", PASSWORD)
    section = page.get_by_role("region", name="Tập huấn sắp tới")
    expect(section.get_by_role("link", name="Quán triệt Nghị quyết Trung ương")).to_be_visible()
    check_page(page)
    section.get_by_role("button", name=re.compile("Đăng ký tham dự")).click()
    expect(section.get_by_text("Đã đăng ký")).to_be_visible()
    assert Registration.objects.get(user=cast.learner).status == "registered"

    # The session page: the .ics link, then declining with a reason frees the seat.
    page.goto(session.get_absolute_url())
    expect(page.get_by_role("link", name="Thêm vào lịch (.ics)")).to_be_visible()
    check_page(page)
    page.get_by_text("Không tham dự được").click()
    page.get_by_label("Lý do không tham dự").fill("Bận công tác")
    page.get_by_role("button", name="Gửi lý do").click()
    expect(page.get_by_text("Đã báo không tham dự")).to_be_visible()
    registration = Registration.objects.get(user=cast.learner)
    assert (registration.status, registration.decline_reason) == ("declined", "Bận công tác")


@pytest.mark.parametrize("size", ["desktop"], indirect=True)
def test_trainer_schedules_a_session(cast, page):
    course = _course(cast)
    log_in(page, "trainer_a", PASSWORD)
    page.goto("/sessions/")
    page.get_by_role("link", name="Lên lịch buổi tập huấn").click()
    check_page(page)
    page.get_by_label("Khóa học").select_option(str(course.pk))
    page.get_by_label("Tên buổi tập huấn").fill("Kỹ năng sinh hoạt chi bộ")
    page.get_by_label("Địa điểm").fill("Phòng họp tầng 2")
    page.locator("#id_starts_at").fill("2030-05-01T08:00")
    page.locator("#id_ends_at").fill("2030-05-01T07:00")
    page.get_by_label("Chi bộ A1").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Giờ kết thúc phải sau giờ bắt đầu.")).to_be_visible()
    assert not TrainingSession.objects.exists()
    page.locator("#id_ends_at").fill("2030-05-01T11:00")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lên lịch buổi tập huấn.")).to_be_visible()
    expect(page.get_by_role("heading", name="Kỹ năng sinh hoạt chi bộ")).to_be_visible()
    check_page(page)
    session = TrainingSession.objects.get()
    assert list(session.invited_units.all()) == [cast.cell_a1]
    assert timezone.localtime(session.starts_at).hour == 8


def test_training_pages_for_learner_and_trainer_in_both_languages(cast, page):
    from .test_pages import visit_all

    course = _course(cast)
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    session = services.create_session(
        actor=cast.trainer_a,
        course=course,
        data=services.SessionData(
            title="Quán triệt Nghị quyết",
            venue="Hội trường Khối",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            topic="Chuyên đề về công tác xây dựng Đảng",
            speakers="Đ/c Lê Thị Hà",
        ),
        invited_units=[cast.cell_a1],
    )
    services.add_material(
        actor=cast.trainer_a, session=session, title="Văn kiện", url="https://example.org/vk"
    )
    services.register(session=session, user=cast.learner)
    log_in(page, "learner", PASSWORD)
    visit_all(page, ["/", "/sessions/", session.get_absolute_url(), "/sessions/calendar/"])
    page.context.clear_cookies()
    log_in(page, "trainer_a", PASSWORD)
    visit_all(
        page,
        [
            "/sessions/",
            "/sessions/new/",
            session.get_absolute_url(),
            f"/sessions/{session.pk}/edit/",
            f"/sessions/{session.pk}/cancel/",
            f"/authoring/{course.pk}/attendance/",
        ],
    )
