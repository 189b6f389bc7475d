"""Invitations, registration with a waiting list, postponement, cancellation, reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditLog, Unit, User
from accounts.services import create_user, move_user
from courses.models import Notice
from training import services
from training.models import Registration

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _learner(cast, username, unit):  # type: ignore[no-untyped-def]
    return create_user(
        actor=cast.superuser,
        username=username,
        full_name=f"Học viên {username}",
        unit=unit,
        role=User.Role.LEARNER,
        email=f"{username}@example.org",
        password=PASSWORD,
    )


def test_invitation_covers_the_subtree_including_people_placed_later(cast, make_session):
    session = make_session(units=[cast.unit_a])
    assert services.is_invited(session, cast.learner)  # in A1, under A
    assert not services.is_invited(session, cast.learner_b)
    assert list(services.invited_sessions(cast.learner)) == [session]
    assert list(services.invited_sessions(cast.learner_b)) == []

    # Placed later: a new cell under A, and someone moved from B1 into A1.
    cell = Unit.objects.add_child(cast.unit_a, {"name": "Chi bộ A2", "code": "A2"})
    newcomer = _learner(cast, "moi", cell)
    assert services.is_invited(session, newcomer)
    move_user(actor=cast.superuser, user=cast.learner_b, unit=cast.cell_a1)
    cast.learner_b.refresh_from_db()
    assert services.is_invited(session, cast.learner_b)
    assert set(services.invited_learners(session)) == {
        cast.learner,
        cast.other_learner,
        newcomer,
        cast.learner_b,
    }


def test_outsiders_cannot_register(cast, make_session):
    session = make_session(units=[cast.cell_a1])
    with pytest.raises(PermissionDenied):
        services.register(session=session, user=cast.learner_b)
    assert not Registration.objects.exists()


def test_waiting_list_past_capacity_and_promotion_in_order(cast, make_session):
    session = make_session(units=[cast.bloc], capacity=1, actor=cast.admin)
    third = _learner(cast, "thu3", cast.cell_b1)
    first = services.register(session=session, user=cast.learner)
    second = services.register(session=session, user=cast.other_learner)
    later = services.register(session=session, user=third)
    assert first.status == Registration.Status.REGISTERED
    assert second.status == Registration.Status.WAITLISTED
    assert later.status == Registration.Status.WAITLISTED
    # Registering again changes nothing.
    assert services.register(session=session, user=cast.other_learner).status == "waitlisted"

    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.decline(session=session, user=cast.learner, reason="  ")
    declined = services.decline(session=session, user=cast.learner, reason="Bận công tác")
    assert declined.status == Registration.Status.DECLINED
    assert declined.decline_reason == "Bận công tác"
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses[cast.other_learner.pk] == Registration.Status.REGISTERED  # first in line
    assert statuses[third.pk] == Registration.Status.WAITLISTED
    assert Notice.objects.filter(user=cast.other_learner, text__contains="Đã có chỗ").exists()

    # Coming back after declining: to the end of the line.
    assert services.register(session=session, user=cast.learner).status == "waitlisted"
    services.decline(session=session, user=cast.other_learner, reason="Ốm")
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses[third.pk] == Registration.Status.REGISTERED
    assert statuses[cast.learner.pk] == Registration.Status.WAITLISTED


def test_raising_capacity_promotes_the_waiting_list(cast, make_session):
    session = make_session(units=[cast.cell_a1], capacity=1)
    services.register(session=session, user=cast.learner)
    services.register(session=session, user=cast.other_learner)
    data = services.SessionData(
        **{f: getattr(session, f) for f in services.SessionData.__dataclass_fields__}
    )
    data.capacity = 2
    services.update_session(actor=cast.trainer_a, session=session, data=data)
    assert not Registration.objects.filter(status=Registration.Status.WAITLISTED).exists()


def test_register_sends_notice_and_email_with_ics(
    cast, make_session, django_capture_on_commit_callbacks
):
    session = make_session(units=[cast.cell_a1])
    with django_capture_on_commit_callbacks(execute=True):
        services.register(session=session, user=cast.learner)
    assert Notice.objects.filter(user=cast.learner, url=session.get_absolute_url()).exists()
    (message,) = mail.outbox
    assert message.to == [cast.learner.email]
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    from icalendar import Calendar

    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == session.starts_at


def test_postpone_tells_participants_and_audits(
    cast, make_session, django_capture_on_commit_callbacks
):
    session = make_session(units=[cast.cell_a1])
    services.register(session=session, user=cast.learner)
    services.decline(session=session, user=cast.other_learner, reason="Ốm")
    new_start = session.starts_at + timedelta(days=7)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.postpone_session(
            actor=cast.trainer_a,
            session=session,
            starts_at=new_start,
            ends_at=new_start + timedelta(hours=2),
        )
    assert moved.status == moved.Status.POSTPONED
    assert [m.to for m in mail.outbox] == [[cast.learner.email]]  # not who declined
    assert "dời" in mail.outbox[0].body
    log = AuditLog.objects.get(action=AuditLog.Action.SESSION_CHANGED)
    assert log.actor == cast.trainer_a and "starts_at" in log.data["changes"]


def test_cancel_needs_reason_scope_and_refuses_registration(cast, make_session):
    session = make_session(units=[cast.cell_a1])
    services.register(session=session, user=cast.learner)
    with pytest.raises(PermissionDenied):
        services.cancel_session(actor=cast.trainer_b, session=session, reason="Trùng lịch")
    with pytest.raises(ValidationError):
        services.cancel_session(actor=cast.trainer_a, session=session, reason="")
    services.cancel_session(actor=cast.trainer_a, session=session, reason="Trùng lịch họp")
    session.refresh_from_db()
    assert session.is_cancelled
    log = AuditLog.objects.get(action=AuditLog.Action.SESSION_CANCELLED)
    assert log.reason == "Trùng lịch họp"
    assert Notice.objects.filter(user=cast.learner, text__contains="hủy").exists()
    with pytest.raises(ValidationError):
        services.register(session=session, user=cast.other_learner)


def test_scope_of_trainers(cast, make_session, make_course):
    mine = make_session(units=[cast.cell_a1])
    course_b = make_course(modules=0, owner_unit=cast.unit_b, actor=cast.trainer_b, publish=False)
    theirs = make_session(units=[cast.cell_b1], on=course_b, actor=cast.trainer_b)
    # A session of unit B's course inviting unit A: trainer A sees it (and runs its
    # check-in) through the invited unit, but may not change it (issue 19).
    shared = make_session(units=[cast.cell_b1, cast.cell_a1], on=course_b, actor=cast.admin)
    assert set(services.sessions_in_scope(cast.trainer_a)) == {mine, shared}
    assert set(services.sessions_editable_by(cast.trainer_a)) == {mine}
    assert not services.may_manage(cast.trainer_a, shared)
    assert set(services.sessions_in_scope(cast.trainer_b)) == {theirs, shared}
    assert set(services.sessions_editable_by(cast.trainer_b)) == {theirs, shared}
    assert set(services.sessions_in_scope(cast.admin)) == {mine, theirs, shared}
    assert set(services.sessions_editable_by(cast.admin)) == {mine, theirs, shared}
    assert not services.sessions_in_scope(cast.learner).exists()
    assert not services.sessions_editable_by(cast.learner).exists()
    with pytest.raises(PermissionDenied):  # not B's course to schedule
        make_session(units=[cast.cell_a1], on=course_b, actor=cast.trainer_a)
    with pytest.raises(PermissionDenied):  # unit out of scope
        make_session(units=[cast.cell_b1], actor=cast.trainer_a)


def test_end_before_start_is_refused(cast, make_session):
    with pytest.raises(ValidationError):
        make_session(hours=-1)


def test_day_before_reminder_once_per_start_time(
    cast, make_session, django_capture_on_commit_callbacks
):
    soon = make_session(units=[cast.cell_a1], starts_in=timedelta(hours=20))
    later = make_session(units=[cast.cell_a1], starts_in=timedelta(days=3))
    services.register(session=soon, user=cast.learner)
    services.register(session=later, user=cast.learner)
    services.decline(session=soon, user=cast.other_learner, reason="Ốm")
    mail.outbox.clear()
    from training.tasks import send_session_reminders

    with django_capture_on_commit_callbacks(execute=True):
        assert send_session_reminders.delay().get() == 1
    assert [m.to for m in mail.outbox] == [[cast.learner.email]]
    assert soon.title in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_day_before_reminders() == 0  # nothing twice
    # Two days on, the later session is within a day: its own reminder.
    assert services.send_day_before_reminders(now=timezone.now() + timedelta(days=2)) == 1


def test_materials_take_web_links_and_checked_files_only(cast, make_session):
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = make_session(units=[cast.cell_a1])
    with pytest.raises(ValidationError):
        services.add_material(
            actor=cast.trainer_a, session=session, title="x", url="javascript:alert(1)"
        )
    with pytest.raises(ValidationError):  # a script named .pdf
        services.add_material(
            actor=cast.trainer_a,
            session=session,
            title="x",
            upload=SimpleUploadedFile("a.pdf", b"<script>alert(1)</script>", "application/pdf"),
        )
    with pytest.raises(PermissionDenied):
        services.add_material(
            actor=cast.trainer_b, session=session, title="x", url="https://example.org"
        )
    link = services.add_material(
        actor=cast.trainer_a, session=session, title="Văn kiện", url="https://example.org/vk"
    )
    assert link.safe_url == "https://example.org/vk"
