"""Issue 19: a unit merely invited to a session of another unit's course gives its
trainers the check-in and the roll call of their own learners, never the session
itself (times, cancellation, deletion, materials, invited units)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditLog
from training import checkin, rollcall, services
from training.models import Attendance, SessionMaterial, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_session(cast, make_course):  # type: ignore[no-untyped-def]
    """Unit B's course; its session invites B1 and A1 (scheduled by the bloc admin)."""
    course_b = make_course(modules=0, owner_unit=cast.unit_b, actor=cast.trainer_b, publish=False)
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    session = services.create_session(
        actor=cast.admin,
        course=course_b,
        data=services.SessionData(
            title="Tập huấn của khối B",
            venue="Hội trường B",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        ),
        invited_units=[cast.cell_b1, cast.cell_a1],
    )
    SessionMaterial.objects.create(session=session, title="Tài liệu của B", url="https://b.vn/x")
    return session


def _data(session, **changes):
    data = services.SessionData(
        **{f: getattr(session, f) for f in services.SessionData.__dataclass_fields__}
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def test_services_refuse_changes_to_a_trainer_of_an_invited_unit(cast, b_session):
    trainer = cast.trainer_a
    assert b_session in services.sessions_in_scope(trainer)  # sees it, runs check-in
    assert services.may_run_checkin(trainer, b_session)
    assert not services.may_manage(trainer, b_session)
    assert b_session not in services.sessions_editable_by(trainer)
    later = b_session.starts_at + timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.update_session(actor=trainer, session=b_session, data=_data(b_session, title="X"))
    with pytest.raises(PermissionDenied):
        services.postpone_session(
            actor=trainer, session=b_session, starts_at=later, ends_at=later + timedelta(hours=1)
        )
    with pytest.raises(PermissionDenied):
        services.update_session(
            actor=trainer, session=b_session, data=_data(b_session), invited_units=[cast.cell_a1]
        )
    with pytest.raises(PermissionDenied):
        services.cancel_session(actor=trainer, session=b_session, reason="Trùng lịch")
    with pytest.raises(PermissionDenied):
        services.add_material(actor=trainer, session=b_session, title="Y", url="https://a.vn/")
    with pytest.raises(PermissionDenied):
        services.delete_material(actor=trainer, material=b_session.materials.get())
    b_session.refresh_from_db()
    assert (b_session.title, b_session.status) == ("Tập huấn của khối B", "scheduled")
    assert set(b_session.invited_units.all()) == {cast.cell_b1, cast.cell_a1}
    assert b_session.materials.count() == 1


def test_the_course_author_still_does_everything(cast, b_session):
    author = cast.trainer_b
    assert services.may_manage(author, b_session) and services.may_manage(cast.admin, b_session)
    services.update_session(actor=author, session=b_session, data=_data(b_session, title="Mới"))
    services.add_material(actor=author, session=b_session, title="Thêm", url="https://b.vn/y")
    services.delete_material(actor=author, material=b_session.materials.get(title="Thêm"))
    services.cancel_session(actor=author, session=b_session, reason="Trùng lịch họp")
    b_session.refresh_from_db()
    assert (b_session.title, b_session.status) == ("Mới", "cancelled")


def test_api_refuses_changes_to_a_trainer_of_an_invited_unit(cast, b_session, api):
    client = api(cast.trainer_a)
    url = f"/api/sessions/{b_session.pk}/"
    assert client.get(url).status_code == 200  # still visible to them
    assert client.patch(url, {"title": "X"}, format="json").status_code == 403
    invite = client.patch(url, {"invited_units": [cast.cell_a1.pk]}, format="json")
    assert invite.status_code == 403
    later = b_session.starts_at + timedelta(days=1)
    times = {"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat()}
    assert client.patch(url, times, format="json").status_code == 403
    assert client.post(f"{url}cancel/", {"reason": "Trùng"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    b_session.refresh_from_db()
    assert (b_session.title, b_session.status) == ("Tập huấn của khối B", "scheduled")
    assert set(b_session.invited_units.all()) == {cast.cell_b1, cast.cell_a1}
    assert not AuditLog.objects.filter(action=AuditLog.Action.SESSION_CHANGED).exists()
    author = api(cast.trainer_b)
    assert author.patch(url, {"title": "Mới"}, format="json").status_code == 200
    assert author.delete(url).status_code == 204
    assert not TrainingSession.objects.filter(pk=b_session.pk).exists()


def test_pages_refuse_changes_but_offer_check_in(cast, b_session, login):
    client = login(cast.trainer_a)
    pk = b_session.pk
    material = b_session.materials.get()
    assert client.get(f"/sessions/{pk}/edit/").status_code == 404
    assert client.post(f"/sessions/{pk}/cancel/", {"reason": "Trùng"}).status_code == 404
    assert (
        client.post(
            f"/sessions/{pk}/materials/", {"title": "Y", "url": "https://a.vn/"}
        ).status_code
        == 404
    )
    assert client.post(f"/materials/{material.pk}/delete/").status_code == 404
    b_session.refresh_from_db()
    assert b_session.status == "scheduled" and b_session.materials.count() == 1
    page = client.get(f"/sessions/{pk}/").content.decode()
    assert f"/sessions/{pk}/roll-call/" in page and f"/sessions/{pk}/check-in/scanner/" in page
    assert f"/sessions/{pk}/edit/" not in page and f"/sessions/{pk}/cancel/" not in page
    assert "Bùi Thị Ế" not in page  # no registration list of other units
    for url in (f"/sessions/{pk}/check-in/screen/", f"/sessions/{pk}/check-in/scanner/"):
        assert client.get(url).status_code == 200, url
    author = login(cast.trainer_b).get(f"/sessions/{pk}/").content.decode()
    assert f"/sessions/{pk}/edit/" in author and f"/sessions/{pk}/cancel/" in author


def test_roll_call_shows_and_edits_only_their_learners(cast, b_session, login, api):
    pk = b_session.pk
    rollcall.set_attendance(
        session=b_session,
        learner=cast.learner_b,
        status="excused",
        note="",
        reason="",
        actor=cast.trainer_b,
    )
    client = login(cast.trainer_a)
    page = client.get(f"/sessions/{pk}/roll-call/").content.decode()
    assert "Nguyễn Thị Hồng Nhung" in page and "Đặng Quốc Việt" in page
    assert "Bùi Thị Ế" not in page  # B1's learner, and B's change to her row
    assert client.get(f"/sessions/{pk}/roll-call/{cast.learner_b.pk}/").status_code == 404
    refused = client.post(f"/sessions/{pk}/roll-call/{cast.learner_b.pk}/", {"status": "absent"})
    assert refused.status_code == 404
    assert Attendance.objects.get(user=cast.learner_b).status == "excused"
    done = client.post(f"/sessions/{pk}/roll-call/{cast.learner.pk}/", {"status": "present"})
    assert done.status_code == 302
    assert Attendance.objects.get(user=cast.learner).recorded_by == cast.trainer_a
    rows = api(cast.trainer_a).get(f"/api/sessions/{pk}/attendance/").json()["rows"]
    assert {r["learner"]["username"] for r in rows} == {"learner", "other"}
    every = api(cast.trainer_b).get(f"/api/sessions/{pk}/attendance/").json()["rows"]
    assert {r["learner"]["username"] for r in every} == {"learner", "other", "learner_b"}
    assert "Bùi Thị Ế" in login(cast.trainer_b).get(f"/sessions/{pk}/roll-call/").content.decode()


def test_personal_code_check_in_covers_only_their_learners(cast, b_session, api):
    TrainingSession.objects.filter(pk=b_session.pk).update(
        starts_at=timezone.now() + timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    url = f"/api/sessions/{b_session.pk}/check-in/"
    client = api(cast.trainer_a)
    other = client.post(url, {"code": checkin.personal_code(cast.learner_b.pk)}, format="json")
    assert other.status_code == 403 and other.json()["code"] == "out_of_scope"
    assert "ngoài phạm vi" in other.json()["detail"]
    mine = client.post(url, {"code": checkin.personal_code(cast.learner.pk)}, format="json")
    assert mine.status_code == 201, mine.content
    by_author = api(cast.trainer_b).post(
        url, {"code": checkin.personal_code(cast.learner_b.pk)}, format="json"
    )
    assert by_author.status_code == 201, by_author.content
    assert set(Attendance.objects.values_list("user__username", flat=True)) == {
        "learner",
        "learner_b",
    }


def test_attendance_sheet_lists_only_their_learners(cast, b_session, login):
    for person in (cast.learner, cast.learner_b):
        services.register(session=b_session, user=person)
    url = f"/sessions/{b_session.pk}/attendance-sheet.xlsx"

    def names(user):  # type: ignore[no-untyped-def]
        sheet = load_workbook(io.BytesIO(login(user).get(url).content)).active
        return {c for row in sheet.iter_rows(values_only=True) for c in row if c}

    mine = names(cast.trainer_a)
    assert "Nguyễn Thị Hồng Nhung" in mine and "Bùi Thị Ế" not in mine
    every = names(cast.trainer_b)
    assert {"Nguyễn Thị Hồng Nhung", "Bùi Thị Ế"} <= every
