"""Check-in through the URL a phone opens, the API and the roll-call."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditLog
from tests.conftest import PASSWORD
from training import checkin, rollcall
from training.models import Attendance

from .checkin_world import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(monkeypatch):
    """Calls of training.services.attendance_changed, still calling through."""
    from training import services

    calls = []
    real = services.attendance_changed

    def spy(session, user_ids):
        calls.append((session.pk, sorted(user_ids)))
        return real(session, user_ids)

    monkeypatch.setattr(services, "attendance_changed", spy)
    return calls


def scan_url(session, token=None):
    return f"/sessions/{session.pk}/check-in/?t={token or checkin.rotating_token(session.pk)}"


# ---------------------------------------------------------------- the URL a camera opens


def test_opening_the_qr_url_records_the_learner_present_with_the_time(cast, login, changed):
    session = make_session(cast)
    page = login(cast.learner).get(scan_url(session))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đã điểm danh: có mặt" in text
    record = Attendance.objects.get(session=session, user=cast.learner)
    assert record.status == "present" and record.method == "qr"
    assert abs((record.checked_in_at - timezone.now()).total_seconds()) < 5
    assert timezone.localtime(record.checked_in_at).strftime("%H:%M") in text
    assert changed == [(session.pk, [cast.learner.pk])]


def test_after_the_start_the_learner_is_late(cast, login):
    session = make_session(cast, starts_in=timedelta(minutes=-20))
    text = login(cast.learner).get(scan_url(session)).content.decode()
    assert "đến muộn" in text
    assert Attendance.objects.get(session=session, user=cast.learner).status == "late"


def test_scanning_again_records_nothing_more(cast, login, changed):
    session = make_session(cast)
    client = login(cast.learner)
    client.get(scan_url(session))
    first = Attendance.objects.get(session=session, user=cast.learner)
    again = client.get(scan_url(session))
    assert "Bạn đã điểm danh trước đó" in again.content.decode()
    assert Attendance.objects.filter(session=session).count() == 1
    assert Attendance.objects.get(pk=first.pk).checked_in_at == first.checked_in_at
    assert len(changed) == 1


def test_logged_out_scan_logs_in_then_records_with_the_scan_time(cast, client):
    session = make_session(cast, starts_in=timedelta(seconds=30))
    response = client.get(scan_url(session))
    scanned = timezone.now()
    assert response.status_code == 302
    # the token stays out of the login URL
    assert response["Location"] == f"/accounts/login/?next=/sessions/{session.pk}/check-in/"
    assert not Attendance.objects.exists()
    login = client.post(
        response["Location"],
        {"username": "learner", "password": PASSWORD},
    )
    assert login.status_code == 302 and login["Location"] == f"/sessions/{session.pk}/check-in/"
    # a slow login: the start passed meanwhile, the scan time still counts
    session.starts_at = scanned + timedelta(milliseconds=20)
    session.save()
    time.sleep(0.05)
    page = client.get(login["Location"])
    assert "Đã điểm danh: có mặt" in page.content.decode()
    record = Attendance.objects.get(session=session, user=cast.learner)
    assert record.status == "present"
    assert abs((record.checked_in_at - scanned).total_seconds()) < 5
    # the remembered scan is used once; coming back shows the record
    assert "đã điểm danh trước đó" in client.get(login["Location"]).content.decode()
    assert Attendance.objects.count() == 1


def test_remembered_scan_expires_after_ten_minutes(cast, client, monkeypatch):
    session = make_session(cast)
    response = client.get(scan_url(session))
    client.force_login(cast.learner)
    monkeypatch.setattr(checkin, "PENDING_SECONDS", -1)
    page = client.get(f"/sessions/{session.pk}/check-in/")
    assert page.status_code == 400 and "thiếu mã QR" in page.content.decode()
    assert response.status_code == 302 and not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("token", "status", "words"),
    [
        (lambda s: checkin.rotating_token(s.pk, timezone.now() - timedelta(seconds=61)),
         400, "hết hạn"),
        (lambda s: checkin.rotating_token(s.pk)[:-3] + "abc", 400, "không hợp lệ"),
        (lambda s: checkin.rotating_token(s.pk + 1000), 400, "buổi tập huấn khác"),
        (lambda s: "", 400, "thiếu mã QR"),
    ],
)  # fmt: skip
def test_bad_tokens_get_a_vietnamese_error_and_record_nothing(cast, login, token, status, words):
    session = make_session(cast)
    url = f"/sessions/{session.pk}/check-in/?t={token(session)}"
    page = login(cast.learner).get(url)
    assert page.status_code == status
    text = page.content.decode()
    assert "Chưa điểm danh được" in text and words in text and 'role="alert"' in text
    assert not Attendance.objects.exists()


def test_expired_token_is_refused_even_when_logged_out(cast, client):
    session = make_session(cast)
    old = checkin.rotating_token(session.pk, timezone.now() - timedelta(minutes=2))
    page = client.get(scan_url(session, old))
    assert page.status_code == 400 and "hết hạn" in page.content.decode()
    assert "checkin_pending" not in client.session


@pytest.mark.parametrize(
    ("starts_in", "hours", "code", "words"),
    [
        (timedelta(minutes=45), 2, "not_open", "Chưa đến giờ điểm danh"),
        (timedelta(hours=-3), 2, "closed", "điểm danh đã đóng"),
    ],
)
def test_outside_the_window_is_refused(cast, login, starts_in, hours, code, words):
    session = make_session(cast, starts_in=starts_in, hours=hours, opens=30)
    page = login(cast.learner).get(scan_url(session))
    assert page.status_code == 400 and words in page.content.decode()
    assert not Attendance.objects.exists()


def test_window_opens_the_configured_minutes_before_the_start(cast, login):
    session = make_session(cast, starts_in=timedelta(minutes=50), opens=60)
    assert login(cast.learner).get(scan_url(session)).status_code == 200
    assert Attendance.objects.get(user=cast.learner).status == "present"


def test_cancelled_session_takes_no_check_in(cast, login):
    session = make_session(cast)
    session.status = "cancelled"
    session.save()
    page = login(cast.learner).get(scan_url(session))
    assert page.status_code == 400 and "đã bị hủy" in page.content.decode()


def test_learner_outside_the_invited_units_is_refused(cast, login):
    session = make_session(cast)  # invites unit A; learner_b is in B1
    page = login(cast.learner_b).get(scan_url(session))
    assert page.status_code == 403
    assert "không thuộc đơn vị được mời" in page.content.decode()
    assert not Attendance.objects.exists()


def test_unknown_session(cast, login):
    page = login(cast.learner).get("/sessions/999999/check-in/?t=1.2:x")
    assert page.status_code == 404 and "Không tìm thấy" in page.content.decode()


def test_a_scan_upgrades_an_absence_marked_beforehand(cast, login, changed):
    session = make_session(cast)
    Attendance.objects.create(session=session, user=cast.learner, status="absent")
    login(cast.learner).get(scan_url(session))
    assert Attendance.objects.get(session=session, user=cast.learner).status == "present"
    assert changed == [(session.pk, [cast.learner.pk])]


# ---------------------------------------------------------------- API


def test_api_token_check_in_then_repeat(cast, api):
    session = make_session(cast)
    client = api(cast.learner)
    url = f"/api/sessions/{session.pk}/check-in/"
    first = client.post(url, {"token": checkin.rotating_token(session.pk)}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["recorded"] is True and first.json()["status"] == "present"
    assert first.json()["learner"]["id"] == cast.learner.pk
    again = client.post(url, {"token": checkin.rotating_token(session.pk)}, format="json")
    assert again.status_code == 200 and again.json()["recorded"] is False
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (lambda s: {"token": checkin.rotating_token(s.pk, timezone.now() - timedelta(minutes=1))},
         "expired_token"),
        (lambda s: {"token": "1.2:forged"}, "invalid_token"),
        (lambda s: {"token": checkin.rotating_token(s.pk + 1)}, "other_session"),
    ],
)  # fmt: skip
def test_api_refuses_bad_tokens(cast, api, body, code):
    session = make_session(cast)
    reply = api(cast.learner).post(
        f"/api/sessions/{session.pk}/check-in/", body(session), format="json"
    )
    assert reply.status_code == 400 and reply.json()["code"] == code
    assert reply.json()["detail"]  # Vietnamese, for the person
    assert not Attendance.objects.exists()


def test_api_needs_exactly_one_of_token_and_code(cast, api):
    session = make_session(cast)
    url = f"/api/sessions/{session.pk}/check-in/"
    both = {"token": checkin.rotating_token(session.pk), "code": "1-AAAA-AAAA-AAAA"}
    for body in ({}, both):
        reply = api(cast.trainer_a).post(url, body, format="json")
        assert reply.status_code == 400
        assert reply.json() == {
            "code": "invalid_request",
            "detail": "Gửi đúng một trong hai: mã QR của buổi (token) hoặc mã cá nhân (code).",
        }
    missing = api(cast.trainer_a).post("/api/sessions/999999/check-in/", {"token": "x"})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert not Attendance.objects.exists()


def test_trainer_checks_in_a_learner_by_personal_code(cast, api, changed):
    session = make_session(cast)
    reply = api(cast.trainer_a).post(
        f"/api/sessions/{session.pk}/check-in/",
        {"code": checkin.personal_code(cast.learner.pk)},
        format="json",
    )
    assert reply.status_code == 201, reply.content
    assert reply.json()["learner"]["full_name"] == "Nguyễn Thị Hồng Nhung"
    assert "Nguyễn Thị Hồng Nhung" in reply.json()["detail"]
    record = Attendance.objects.get(session=session, user=cast.learner)
    assert (record.method, record.recorded_by) == ("code", cast.trainer_a)
    assert changed == [(session.pk, [cast.learner.pk])]


def test_offline_scan_counts_at_its_scan_time(cast, api):
    """A scan queued before the start and synced after it is on time."""
    session = make_session(cast, starts_in=timedelta(minutes=-5))
    scanned = timezone.now() - timedelta(minutes=8)
    reply = api(cast.trainer_a).post(
        f"/api/sessions/{session.pk}/check-in/",
        {"code": checkin.personal_code(cast.learner.pk), "scanned_at": scanned.isoformat()},
        format="json",
    )
    assert reply.status_code == 201 and reply.json()["status"] == "present"
    future = api(cast.trainer_a).post(
        f"/api/sessions/{session.pk}/check-in/",
        {
            "code": checkin.personal_code(cast.other_learner.pk),
            "scanned_at": (timezone.now() + timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert future.json()["status"] == "late"  # a clock ahead counts as now, never later
    record = Attendance.objects.get(user=cast.other_learner)
    assert record.checked_in_at <= timezone.now()


@pytest.mark.parametrize("who", ["learner", "other_learner", "trainer_b"])
def test_only_the_sessions_trainers_may_use_personal_codes(cast, api, who):
    session = make_session(cast)
    reply = api(getattr(cast, who)).post(
        f"/api/sessions/{session.pk}/check-in/",
        {"code": checkin.personal_code(cast.other_learner.pk)},
        format="json",
    )
    assert reply.status_code == 403 and reply.json()["code"] == "not_trainer"
    assert not Attendance.objects.exists()


def test_personal_code_of_someone_not_invited_or_forged(cast, api):
    session = make_session(cast)
    url = f"/api/sessions/{session.pk}/check-in/"
    trainer = api(cast.trainer_a)
    reply = trainer.post(url, {"code": checkin.personal_code(cast.learner_b.pk)}, format="json")
    assert reply.status_code == 403 and reply.json()["code"] == "not_invited"
    assert "Học viên này" in reply.json()["detail"]
    forged = trainer.post(url, {"code": f"{cast.learner.pk}-AAAA-AAAA-AAAA"}, format="json")
    assert forged.status_code == 400 and forged.json()["code"] == "invalid_code"
    cast.learner.is_active = False
    cast.learner.save()
    gone = trainer.post(url, {"code": checkin.personal_code(cast.learner.pk)}, format="json")
    assert gone.status_code == 400 and gone.json()["code"] == "invalid_code"
    assert not Attendance.objects.exists()


def test_attendance_api_for_trainers_and_for_the_learner(cast, api):
    session = make_session(cast)
    checkin.check_in(session=session, learner=cast.learner, method="qr", at=timezone.now())
    rows = api(cast.trainer_a).get(f"/api/sessions/{session.pk}/attendance/").json()["rows"]
    states = {r["learner"]["username"]: r["state"] for r in rows}
    assert states == {"learner": "present", "other": "pending"}
    own = api(cast.other_learner).get(f"/api/sessions/{session.pk}/attendance/").json()["rows"]
    assert [(r["learner"]["username"], r["state"]) for r in own] == [("other", "pending")]
    assert api(cast.learner_b).get(f"/api/sessions/{session.pk}/attendance/").status_code == 404
    assert api(cast.trainer_b).get(f"/api/sessions/{session.pk}/attendance/").status_code == 404


# ---------------------------------------------------------------- hot path: constant queries


def _learners(cast, n):
    from accounts.services import create_user

    return [
        create_user(actor=cast.superuser, username=f"hv{i}", full_name=f"Học viên {i}",
                    unit=cast.cell_a1)
        for i in range(n)
    ]  # fmt: skip


def test_check_in_queries_do_not_grow(cast, api, django_assert_max_num_queries):
    session = make_session(cast)
    crowd = _learners(cast, 12)
    for person in crowd[:10]:
        checkin.check_in(session=session, learner=person, method="qr", at=timezone.now())
    url = f"/api/sessions/{session.pk}/check-in/"
    # session, invitation, read-or-insert the row (savepoints), completion re-check
    with django_assert_max_num_queries(11):
        reply = api(crowd[10]).post(url, {"token": checkin.rotating_token(session.pk)})
    assert reply.status_code == 201
    with django_assert_max_num_queries(5):  # a repeat: read, nothing written
        reply = api(crowd[10]).post(url, {"token": checkin.rotating_token(session.pk)})
    assert reply.status_code == 200
    with django_assert_max_num_queries(13):
        reply = api(cast.trainer_a).post(url, {"code": checkin.personal_code(crowd[11].pk)})
    assert reply.status_code == 201


def test_scan_page_queries_do_not_grow(cast, client, django_assert_max_num_queries):
    session = make_session(cast)
    for person in _learners(cast, 10):
        checkin.check_in(session=session, learner=person, method="qr", at=timezone.now())
    client.force_login(cast.learner)
    with django_assert_max_num_queries(13):
        assert client.get(scan_url(session)).status_code == 200


def test_roll_call_queries_do_not_grow(cast, login, django_assert_max_num_queries):
    session = make_session(cast)
    for person in _learners(cast, 15):
        checkin.check_in(session=session, learner=person, method="qr", at=timezone.now())
    with django_assert_max_num_queries(13):
        page = login(cast.trainer_a).get(f"/sessions/{session.pk}/roll-call/")
    assert page.content.decode().count('id="row-') == 17


# ---------------------------------------------------------------- roll-call


def test_roll_call_lists_everyone_invited_with_their_state(cast, login):
    session = make_session(cast, starts_in=timedelta(hours=-3), hours=2)  # over
    Attendance.objects.create(session=session, user=cast.learner, status="late",
                              checked_in_at=session.starts_at + timedelta(minutes=9))  # fmt: skip
    text = login(cast.trainer_a).get(f"/sessions/{session.pk}/roll-call/").content.decode()
    assert "Nguyễn Thị Hồng Nhung" in text and "Đặng Quốc Việt" in text
    assert "Bùi Thị Ế" not in text  # unit B was not invited
    assert 'class="state-late"' in text and 'class="state-absent"' in text  # no record: absent


def test_roll_call_edit_after_the_session_needs_a_reason_and_is_audited(cast, login, changed):
    session = make_session(cast, starts_in=timedelta(hours=-3), hours=2)
    client = login(cast.trainer_a)
    url = f"/sessions/{session.pk}/roll-call/{cast.learner.pk}/"
    form = client.get(url, headers={"HX-Request": "true"})
    assert form.status_code == 200 and "<html" not in form.content.decode()
    refused = client.post(url, {"status": "present"}, headers={"HX-Request": "true"})
    assert "hãy ghi lý do" in refused.content.decode()
    assert not Attendance.objects.exists() and not changed
    saved = client.post(
        url,
        {"status": "present", "note": "", "reason": "Có ký danh sách giấy"},
        headers={"HX-Request": "true"},
    )
    text = saved.content.decode()
    assert "<html" not in text and "Đã lưu" in text and 'class="state-present"' in text
    record = Attendance.objects.get(session=session, user=cast.learner)
    assert (record.status, record.method, record.recorded_by) == (
        "present",
        "manual",
        cast.trainer_a,
    )
    entry = AuditLog.objects.get(action=AuditLog.Action.ATTENDANCE_CHANGED)
    assert entry.actor == cast.trainer_a and entry.reason == "Có ký danh sách giấy"
    assert entry.data == {
        "session": session.pk,
        "user": cast.learner.pk,
        "from": "",
        "to": "present",
    }
    assert changed == [(session.pk, [cast.learner.pk])]
    page = client.get(f"/sessions/{session.pk}/roll-call/").content.decode()
    assert "Có ký danh sách giấy" in page  # the history under the table


def test_roll_call_edit_without_htmx_redirects_back(cast, login):
    session = make_session(cast)
    client = login(cast.trainer_a)
    url = f"/sessions/{session.pk}/roll-call/{cast.learner.pk}/"
    page = client.get(url)
    assert "<html" in page.content.decode() and 'name="status"' in page.content.decode()
    done = client.post(url, {"status": "excused", "note": "Ốm"})
    assert done.status_code == 302 and done["Location"] == f"/sessions/{session.pk}/roll-call/"
    assert Attendance.objects.get(user=cast.learner).note == "Ốm"


def test_roll_call_is_for_the_sessions_trainers_only(cast, login, client):
    session = make_session(cast)
    for who in ("learner", "trainer_b", "learner_b"):
        client.force_login(getattr(cast, who))
        for url in (
            f"/sessions/{session.pk}/roll-call/",
            f"/sessions/{session.pk}/roll-call/{cast.learner.pk}/",
            f"/sessions/{session.pk}/check-in/screen/",
            f"/sessions/{session.pk}/check-in/scanner/",
        ):
            assert client.get(url).status_code == 404, (who, url)
    client.force_login(cast.trainer_a)
    outsider = f"/sessions/{session.pk}/roll-call/{cast.learner_b.pk}/"
    assert client.get(outsider).status_code == 404  # not invited, no record


def test_user_text_is_escaped_on_the_roll_call(cast, login):
    session = make_session(cast, title="<script>alert(1)</script>")
    rollcall.set_attendance(session=session, learner=cast.learner, status="excused",
                           note="<b>ốm</b>", reason="", actor=cast.trainer_a)  # fmt: skip
    text = login(cast.trainer_a).get(f"/sessions/{session.pk}/roll-call/").content.decode()
    assert "<b>ốm</b>" not in text and "&lt;b&gt;ốm&lt;/b&gt;" in text
    assert "<script>alert(1)" not in text


# ---------------------------------------------------------------- screen and profile


def test_screen_shows_a_qr_for_this_session_and_refreshes_itself(cast, login):
    session = make_session(cast)
    client = login(cast.trainer_a)
    page = client.get(f"/sessions/{session.pk}/check-in/screen/").content.decode()
    assert 'src="data:image/svg+xml' in page and 'hx-trigger="load delay:' in page
    fragment = client.get(
        f"/sessions/{session.pk}/check-in/screen/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment and 'id="checkin-code"' in fragment


def test_screen_before_the_window_shows_no_code(cast, login):
    session = make_session(cast, starts_in=timedelta(hours=2))
    page = login(cast.trainer_a).get(f"/sessions/{session.pk}/check-in/screen/").content.decode()
    assert "Điểm danh mở lúc" in page and "data:image/svg+xml" not in page


def test_profile_shows_the_personal_code(cast, login):
    page = login(cast.learner).get("/profile/").content.decode()
    assert checkin.personal_code(cast.learner.pk) in page
    assert "In thẻ điểm danh" in page and "data:image/svg+xml" in page
