"""Attendance in Chromium (issue 19): the learner opens the URL of the rotating QR
(decoded from the rendered image with zbarimg) and is recorded; an expired code
is refused; the trainer's scanner queues codes while offline and sends each
exactly once when the network returns; the roll-call is corrected with a reason."""

import re
import shutil
import subprocess
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import AuditLog
from training import checkin
from training.models import Attendance

from ..conftest import PASSWORD
from ..training.checkin_world import make_session
from .conftest import check_page, log_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("zbarimg"), reason="needs zbarimg (zbar-tools)"),
]


def decode_qr(page, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """What a phone camera reads from the QR on the screen."""
    shot = tmp_path / "qr.png"
    page.locator("#checkin-code img.qr").screenshot(path=str(shot))
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_learner_checks_in_by_opening_the_rotating_qr(cast, new_page, tmp_path, live_server):
    session = make_session(cast)
    screen = new_page(bypass_csp=True)
    log_in(screen, "trainer_a", PASSWORD)
    screen.goto(f"/sessions/{session.pk}/check-in/screen/")
    expect(screen.locator(".tally")).to_contain_text("Đã điểm danh: 0")
    check_page(screen)
    url = decode_qr(screen, tmp_path)
    assert url.startswith(f"{live_server.url}/sessions/{session.pk}/check-in/?t=")
    checkin.read_rotating_token(parse_qs(urlsplit(url).query)["t"][0], session_pk=session.pk)

    # The learner's phone: not logged in yet; the camera app opens the URL.
    phone = new_page(bypass_csp=True)
    phone.goto(url)
    phone.wait_for_url(re.compile(r"/accounts/login/"))
    phone.get_by_label("Tên đăng nhập").fill("learner")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.wait_for_url(re.compile(rf"/sessions/{session.pk}/check-in/$"))
    expect(phone.get_by_role("status")).to_contain_text("Đã điểm danh: có mặt")
    record = Attendance.objects.get(session=session, user=cast.learner)
    assert record.status == "present" and record.method == "qr"
    expect(phone.get_by_role("status")).to_contain_text(
        timezone.localtime(record.checked_in_at).strftime("%H:%M")
    )
    check_page(phone)

    # The screen's count follows on its next code.
    screen.goto(f"/sessions/{session.pk}/check-in/screen/")
    expect(screen.locator(".tally")).to_contain_text("Đã điểm danh: 1")


def test_the_code_changes_and_an_expired_one_is_refused(cast, new_page, tmp_path, monkeypatch):
    session = make_session(cast)
    screen = new_page(bypass_csp=True)
    log_in(screen, "trainer_a", PASSWORD)
    screen.goto(f"/sessions/{session.pk}/check-in/screen/")
    first = decode_qr(screen, tmp_path)
    # The screen asks for a new code when this one's 30 s are up (htmx); let it
    # come sooner by moving the server's clock a slot ahead.
    later = timezone.now() + timedelta(seconds=31)
    monkeypatch.setattr(checkin.timezone, "now", lambda: later)
    with screen.expect_response(re.compile(r"/check-in/screen/$"), timeout=35_000):
        pass
    expect(screen.locator("#checkin-code img.qr")).to_be_visible()
    assert decode_qr(screen, tmp_path) != first

    # A photo of the first code forwarded a minute later no longer works.
    monkeypatch.setattr(checkin.timezone, "now", lambda: later + timedelta(seconds=40))
    phone = new_page(bypass_csp=True)
    log_in(phone, "other", PASSWORD)
    phone.goto(first)
    alert = phone.get_by_role("alert").filter(has_text="hết hạn")
    expect(alert).to_contain_text("Mã QR đã hết hạn")
    assert not Attendance.objects.exists()
    check_page(phone)


def test_scanner_queues_offline_and_sends_each_scan_once(cast, new_page):
    session = make_session(cast)
    page = new_page(bypass_csp=True)
    log_in(page, "trainer_a", PASSWORD)
    page.goto(f"/sessions/{session.pk}/check-in/scanner/")
    check_page(page)
    posts: list[int] = []
    page.context.on(
        "response",
        lambda r: posts.append(r.status) if r.url.endswith("/check-in/") and r.request.method == "POST" else None,
    )  # fmt: skip

    page.context.set_offline(True)
    code_field = page.get_by_label("Hoặc nhập mã cá nhân")
    for person in (cast.learner, cast.other_learner):
        code_field.fill(checkin.personal_code(person.pk))
        page.get_by_role("button", name="Điểm danh").click()
    expect(page.locator("#scanner-pending")).to_have_text("Chờ gửi: 2")
    expect(page.locator("#scanner-net")).to_contain_text("Mất kết nối")
    assert posts == [] and not Attendance.objects.exists()

    page.context.set_offline(False)
    log = page.locator("#scanner-log")
    # (generous timeouts: the machine running the suite may be busy)
    expect(log).to_contain_text("Đã ghi nhận Nguyễn Thị Hồng Nhung có mặt", timeout=20_000)
    expect(log).to_contain_text("Đã ghi nhận Đặng Quốc Việt có mặt", timeout=20_000)
    expect(page.locator("#scanner-pending")).to_be_hidden()
    assert posts == [201, 201]
    assert Attendance.objects.filter(session=session, method="code").count() == 2
    assert page.evaluate(f"localStorage.getItem('checkin-queue-{session.pk}')") == "[]"

    # Nothing is sent again: not on reload, not on the periodic retry.
    page.reload()
    page.wait_for_timeout(1500)
    assert posts == [201, 201]

    # A scan queued offline survives closing the page and goes once on the next visit.
    page.context.set_offline(True)
    learner3 = _third_learner(cast)
    code_field = page.get_by_label("Hoặc nhập mã cá nhân")
    code_field.fill(checkin.personal_code(learner3.pk))
    page.get_by_role("button", name="Điểm danh").click()
    expect(page.locator("#scanner-pending")).to_have_text("Chờ gửi: 1")
    context = page.context
    page.close()
    context.set_offline(False)
    again = context.new_page()
    again.goto(f"/sessions/{session.pk}/check-in/scanner/")
    expect(again.locator("#scanner-log")).to_contain_text("Đã ghi nhận Lý Thị Ba", timeout=20_000)
    again.wait_for_timeout(1000)
    assert posts == [201, 201, 201]
    assert Attendance.objects.filter(session=session).count() == 3


def _third_learner(cast):  # type: ignore[no-untyped-def]
    from accounts.services import create_user

    return create_user(actor=cast.superuser, username="hv3", full_name="Lý Thị Ba",
                       unit=cast.cell_a1)  # fmt: skip


def test_roll_call_is_corrected_after_the_session_with_a_reason(cast, page):
    session = make_session(cast, starts_in=timedelta(hours=-3), hours=2)
    Attendance.objects.create(session=session, user=cast.other_learner, status="present",
                              method="qr", checked_in_at=session.starts_at)  # fmt: skip
    log_in(page, "trainer_a", PASSWORD)
    page.goto(f"/sessions/{session.pk}/roll-call/")
    row = page.locator(f"#row-{cast.learner.pk}")
    expect(row).to_contain_text("Vắng")
    check_page(page)
    row.get_by_role("link", name=re.compile("Sửa")).click()
    row = page.locator(f"#row-{cast.learner.pk}")
    row.get_by_label("Có mặt").check()
    reason = row.get_by_label(re.compile("Lý do sửa"))
    expect(reason).to_have_attribute("required", "")  # the server insists too (unit tests)
    reason.fill("Có ký danh sách giấy, quét mã lỗi")
    row.get_by_role("button", name="Lưu").click()
    expect(row).to_contain_text("Đã lưu")
    expect(row).to_contain_text("Có mặt")
    assert Attendance.objects.get(session=session, user=cast.learner).status == "present"
    entry = AuditLog.objects.get(action="attendance_changed")
    assert (entry.actor, entry.reason) == (cast.trainer_a, "Có ký danh sách giấy, quét mã lỗi")
    page.reload()
    expect(page.locator(".rollcall-history")).to_contain_text("quét mã lỗi")
    check_page(page)


def test_profile_card_is_printable(cast, page, tmp_path):
    log_in(page, "learner", PASSWORD)
    page.goto("/profile/")
    code = checkin.personal_code(cast.learner.pk)
    expect(page.locator(".checkin-code")).to_have_text(code)
    shot = tmp_path / "card.png"
    page.locator(".checkin-card img.qr").screenshot(path=str(shot))
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert read.stdout.strip() == code
    check_page(page)
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator(".checkin-card")).to_be_visible()


def _camera_feed(path, text: str) -> None:  # type: ignore[no-untyped-def]
    """A Y4M video of a printed card held up to the camera: Chromium's fake camera plays it."""
    import io

    import segno
    from PIL import Image

    png = io.BytesIO()
    segno.make(text, error="m", micro=False).save(png, kind="png", scale=9, border=4)
    card = Image.open(io.BytesIO(png.getvalue())).convert("L")
    frame = Image.new("L", (640, 480), 255)
    frame.paste(card, ((640 - card.width) // 2, (480 - card.height) // 2))
    chroma = bytes([128]) * (320 * 240)
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(5):
            out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def test_scanner_reads_a_personal_qr_through_the_camera(cast, browser, live_server, tmp_path, size):  # type: ignore[no-untyped-def]
    """getUserMedia and the vendored jsQR, with Chromium's fake camera showing a learner's card."""
    from .conftest import _SHARED, CHROMIUM, CHROMIUM_ARGS, SIZES

    session = make_session(cast)
    feed = tmp_path / "card.y4m"
    _camera_feed(feed, checkin.personal_code(cast.learner.pk))
    camera_browser = _SHARED["playwright"].chromium.launch(  # type: ignore[attr-defined]
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={feed}",
        ],
    )
    try:
        context = camera_browser.new_context(
            viewport=SIZES[size], base_url=live_server.url, locale="vi-VN"
        )
        context.grant_permissions(["camera"])
        page = context.new_page()
        log_in(page, "trainer_a", PASSWORD)
        page.goto(f"/sessions/{session.pk}/check-in/scanner/")
        page.get_by_role("button", name="Bật camera").click()
        expect(page.locator("#scanner-video")).to_be_visible()
        expect(page.locator("#scanner-log")).to_contain_text(
            "Đã ghi nhận Nguyễn Thị Hồng Nhung có mặt", timeout=20_000
        )
        page.wait_for_timeout(1500)  # the card stays in view: still one scan
        assert page.locator("#scanner-log li").count() == 1
        record = Attendance.objects.get(session=session, user=cast.learner)
        assert (record.method, record.recorded_by) == ("code", cast.trainer_a)
        page.get_by_role("button", name="Tắt camera").click()
        expect(page.locator("#scanner-video")).to_be_hidden()
        context.close()
    finally:
        camera_browser.close()
