"""Workflows of training sessions: scheduling, invitations, registration with a
waiting list, notifications, reminders and attendance-based completion.

Views, the API and tasks call these; every write that matters for the record
(session changed or cancelled) leaves an audit row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import AuditLog, Unit, User, subtree_q
from accounts.services import record
from courses.models import Course, Module
from courses.services import ancestor_paths, notify, recheck_learners

from . import ics
from .models import (
    Attendance,
    AttendanceRule,
    CalendarFeed,
    Registration,
    SessionMaterial,
    TrainingSession,
)

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------- who sees what


def invited_sessions(user: User) -> QuerySet[TrainingSession]:
    """Sessions a learner is invited to: an invited unit contains theirs (the
    invitation covers the subtree, so people placed there later are invited)."""
    return TrainingSession.objects.invited(user).select_related("course", "module")


def is_invited(session: TrainingSession, user: User) -> bool:
    if user.unit_id is None:
        return False
    assert user.unit is not None
    return session.invited_units.filter(path__in=ancestor_paths(user.unit)).exists()


def sessions_in_scope(user: User) -> QuerySet[TrainingSession]:
    """Sessions a trainer/admin sees and runs check-in for: of courses their units
    own, or inviting a unit in their scope. Not enough to change one: see
    `sessions_editable_by`."""
    return TrainingSession.objects.in_scope_of(user).select_related("course", "module")


def sessions_editable_by(user: User) -> QuerySet[TrainingSession]:
    """Sessions a user may edit, postpone, cancel, delete, give materials or
    re-invite: those of the courses they may author (`Course.editable_by`)."""
    return TrainingSession.objects.editable_by(user).select_related("course", "module")


def may_manage(user: User, session: TrainingSession) -> bool:
    """May change the session (not merely run its check-in)."""
    return sessions_editable_by(user).filter(pk=session.pk).exists()


def may_run_checkin(user: User, session: TrainingSession) -> bool:
    """May open the QR screen, the scanner and the roll call (of their own learners)."""
    return sessions_in_scope(user).filter(pk=session.pk).exists()


def visible_sessions(user: User) -> QuerySet[TrainingSession]:
    """What a user may read: in scope (trainers/admins) or invited (learners)."""
    if user.is_superuser or user.is_staff_role:
        return sessions_in_scope(user)
    return invited_sessions(user)


def invited_learners(session: TrainingSession) -> QuerySet[User]:
    """Every active learner now in an invited unit's subtree."""
    paths = list(session.invited_units.values_list("path", flat=True))
    return User.objects.learners().filter(subtree_q(paths, "unit__path"))


def courses_for_sessions(user: User) -> QuerySet[Course]:
    """Courses a trainer may schedule sessions for: those they may author."""
    return Course.objects.editable_by(user)


# ---------------------------------------------------------------- scheduling


@dataclass
class SessionData:
    title: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    topic: str = ""
    speakers: str = ""
    capacity: int | None = None
    module: Module | None = None
    checkin_opens_minutes: int = 30


def _check_units(actor: User, units: Iterable[Unit]) -> list[Unit]:
    units = list(units)
    if not units:
        raise ValidationError({"invited_units": _("Hãy chọn ít nhất một đơn vị được mời.")})
    for unit in units:
        if not actor.can_see_unit(unit):
            raise PermissionDenied(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."))
    return units


def _validate(session: TrainingSession) -> None:
    session.clean()


@transaction.atomic
def create_session(
    *, actor: User, course: Course, data: SessionData, invited_units: Iterable[Unit]
) -> TrainingSession:
    if not courses_for_sessions(actor).filter(pk=course.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền lên lịch tập huấn cho khóa học này."))
    units = _check_units(actor, invited_units)
    session = TrainingSession(course=course, created_by=actor, **data.__dict__)
    _validate(session)
    session.save()
    session.invited_units.set(units)
    return session


_CHANGE_FIELDS = (
    "title",
    "topic",
    "speakers",
    "venue",
    "capacity",
    "module",
    "checkin_opens_minutes",
)


@transaction.atomic
def update_session(
    *,
    actor: User,
    session: TrainingSession,
    data: SessionData,
    invited_units: Iterable[Unit] | None = None,
) -> TrainingSession:
    """Edit a session. A new start or end time is a postponement: learners are told."""
    session = _locked_editable(actor, session)
    if session.is_cancelled:
        raise ValidationError(_("Buổi tập huấn đã hủy, không sửa được."))
    moved = (data.starts_at, data.ends_at) != (session.starts_at, session.ends_at)
    old = {f: str(getattr(session, f) or "") for f in _CHANGE_FIELDS}
    old_times = (session.starts_at, session.ends_at)
    for name, value in data.__dict__.items():
        setattr(session, name, value)
    _validate(session)
    if moved:
        session.status = TrainingSession.Status.POSTPONED
    session.save()
    if invited_units is not None:
        session.invited_units.set(_check_units(actor, invited_units))
    changes = {
        f: [old[f], str(getattr(session, f) or "")]
        for f in _CHANGE_FIELDS
        if old[f] != str(getattr(session, f) or "")
    }
    if moved:
        changes["starts_at"] = [old_times[0].isoformat(), session.starts_at.isoformat()]
        changes["ends_at"] = [old_times[1].isoformat(), session.ends_at.isoformat()]
        Registration.objects.filter(session=session).update(reminded_for=None)
    record(
        actor=actor,
        action=AuditLog.Action.SESSION_CHANGED,
        unit=session.course.owner_unit,
        target=session,
        data={"session": session.pk, "changes": changes},
    )
    promote_waitlist(session=session)
    if moved:
        _tell_participants(
            session,
            _("Buổi tập huấn “%(title)s” được dời sang %(when)s tại %(venue)s."),
            subject=_("Dời lịch buổi tập huấn"),
        )
    return session


def postpone_session(
    *, actor: User, session: TrainingSession, starts_at: datetime, ends_at: datetime
) -> TrainingSession:
    data = SessionData(**{f: getattr(session, f) for f in SessionData.__dataclass_fields__})
    data.starts_at, data.ends_at = starts_at, ends_at
    return update_session(actor=actor, session=session, data=data)


@transaction.atomic
def cancel_session(*, actor: User, session: TrainingSession, reason: str) -> TrainingSession:
    session = _locked_editable(actor, session)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy nhập lý do hủy.")})
    if session.is_cancelled:
        return session
    session.status = TrainingSession.Status.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action=AuditLog.Action.SESSION_CANCELLED,
        unit=session.course.owner_unit,
        target=session,
        data={"session": session.pk},
        reason=reason,
    )
    _tell_participants(
        session,
        _("Buổi tập huấn “%(title)s” (%(when)s) đã bị hủy."),
        subject=_("Hủy buổi tập huấn"),
        extra=reason,
    )
    return session


def _locked_editable(actor: User, session: TrainingSession) -> TrainingSession:
    locked = (
        sessions_editable_by(actor).select_for_update(of=("self",)).filter(pk=session.pk).first()
    )
    if locked is None:
        raise PermissionDenied(_("Buổi tập huấn nằm ngoài phạm vi quản lý của bạn."))
    return locked


# ---------------------------------------------------------------- registration


def _locked_for_learner(session: TrainingSession, user: User, now: datetime) -> TrainingSession:
    if not is_invited(session, user):
        raise PermissionDenied(_("Bạn không thuộc đơn vị được mời dự buổi tập huấn này."))
    # The session row serialises registrations: capacity is counted under its lock.
    locked = TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    if locked.is_cancelled:
        raise ValidationError(_("Buổi tập huấn đã bị hủy."))
    if locked.ends_at <= now:
        raise ValidationError(_("Buổi tập huấn đã kết thúc."))
    return locked


def seats_taken(session: TrainingSession) -> int:
    return Registration.objects.filter(
        session=session, status=Registration.Status.REGISTERED
    ).count()


@transaction.atomic
def register(*, session: TrainingSession, user: User, now: datetime | None = None) -> Registration:
    """Register for a session; past capacity the learner goes to the waiting list
    (in the order people asked). Registering again changes nothing."""
    now = now or timezone.now()
    session = _locked_for_learner(session, user, now)
    existing = Registration.objects.filter(session=session, user=user).first()
    if existing is not None and existing.status != Registration.Status.DECLINED:
        return existing
    full = session.capacity is not None and seats_taken(session) >= session.capacity
    status = Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED
    if existing is None:
        registration = Registration.objects.create(session=session, user=user, status=status)
    else:
        # Back after declining: to the end of the waiting list, like anyone asking now.
        existing.status, existing.decline_reason, existing.created_at = status, "", now
        existing.save(update_fields=["status", "decline_reason", "created_at", "updated_at"])
        registration = existing
    if status == Registration.Status.REGISTERED:
        _tell(
            user,
            session,
            _("Bạn đã đăng ký tham dự buổi tập huấn “%(title)s”, %(when)s tại %(venue)s."),
            subject=_("Xác nhận đăng ký tập huấn"),
            invitation=True,
        )
    else:
        _tell(
            user,
            session,
            _(
                "Buổi tập huấn “%(title)s” (%(when)s) đã đủ chỗ: bạn đang ở danh sách chờ "
                "và sẽ được báo khi có chỗ."
            ),
            subject=_("Danh sách chờ buổi tập huấn"),
        )
    return registration


@transaction.atomic
def decline(
    *, session: TrainingSession, user: User, reason: str, now: datetime | None = None
) -> Registration:
    """Decline with a reason (bận công tác, ốm...). A freed seat goes to the first
    on the waiting list."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy nhập lý do không tham dự.")})
    session = _locked_for_learner(session, user, now)
    registration, _created = Registration.objects.update_or_create(
        session=session,
        user=user,
        defaults={"status": Registration.Status.DECLINED, "decline_reason": reason[:2000]},
    )
    promote_waitlist(session=session)
    return registration


def promote_waitlist(*, session: TrainingSession) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served (call with
    the session row locked)."""
    waiting = (
        Registration.objects.filter(session=session, status=Registration.Status.WAITLISTED)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    if session.capacity is not None:
        free = session.capacity - seats_taken(session)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    if not promoted:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=Registration.Status.REGISTERED, updated_at=timezone.now()
    )
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        _tell(
            registration.user,
            session,
            _(
                "Đã có chỗ: bạn được chuyển từ danh sách chờ sang danh sách tham dự "
                "buổi tập huấn “%(title)s”, %(when)s tại %(venue)s."
            ),
            subject=_("Bạn đã có chỗ tham dự tập huấn"),
            invitation=True,
        )
    return promoted


# ---------------------------------------------------------------- notifications


def _when(session: TrainingSession) -> str:
    start = timezone.localtime(session.starts_at)
    return f"{start:%H:%M} {date_format(start, 'SHORT_DATE_FORMAT')}"


def _text(template: str, session: TrainingSession) -> str:
    return template % {"title": session.title, "when": _when(session), "venue": session.venue}


def _send(to: str, subject: str, body: str, attachment: bytes | None) -> None:
    if not to:
        return
    try:
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
        if attachment is not None:
            message.attach("tap-huan.ics", attachment, "text/calendar; method=PUBLISH")
        message.send()
    except Exception:  # the notice is in the app; a mail outage must not undo the write
        logger.warning("training email to %s failed", to, exc_info=True)


def _tell(
    user: User,
    session: TrainingSession,
    template: str,
    *,
    subject: str,
    invitation: bool = False,
    extra: str = "",
) -> None:
    """An in-app notice now, an email (with the .ics) once the write commits."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _text(template, session)
        subject = str(subject)
    url = session.get_absolute_url()
    notify(user=user, text=text, url=url)
    body = "\n\n".join(part for part in (text, extra, settings.SITE_URL + url) if part)
    attachment = ics.calendar([session]) if invitation else None
    transaction.on_commit(partial(_send, user.email, subject, body, attachment))


def _tell_participants(
    session: TrainingSession, template: str, *, subject: str, extra: str = ""
) -> int:
    people = list(
        User.objects.filter(
            session_registrations__session=session,
            session_registrations__status__in=[
                Registration.Status.REGISTERED,
                Registration.Status.WAITLISTED,
            ],
            is_active=True,
        )
    )
    for person in people:
        _tell(person, session, template, subject=subject, extra=extra)
    return len(people)


# ---------------------------------------------------------------- reminders


def send_day_before_reminders(*, now: datetime | None = None) -> int:
    """Remind registered learners of sessions starting within the next day (run
    hourly: each registration is reminded once per start time)."""
    now = now or timezone.now()
    due = list(
        Registration.objects.filter(
            status=Registration.Status.REGISTERED,
            user__is_active=True,
            session__starts_at__gt=now,
            session__starts_at__lte=now + timedelta(days=1),
        )
        .exclude(session__status=TrainingSession.Status.CANCELLED)
        .select_related("session", "user")
    )
    sent = 0
    for registration in due:
        session = registration.session
        if registration.reminded_for == session.starts_at:
            continue
        with transaction.atomic():
            claimed = (
                Registration.objects.filter(pk=registration.pk)
                .exclude(reminded_for=session.starts_at)
                .update(reminded_for=session.starts_at)
            )
            if not claimed:  # another worker sent it
                continue
            _tell(
                registration.user,
                session,
                _("Nhắc lịch: buổi tập huấn “%(title)s” bắt đầu lúc %(when)s tại %(venue)s."),
                subject=_("Nhắc lịch tập huấn ngày mai"),
            )
        sent += 1
    return sent


# ---------------------------------------------------------------- calendar feed


def feed_for(user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def feed_sessions(user: User) -> QuerySet[TrainingSession]:
    """What a learner's feed lists: sessions they registered for (or wait for),
    from 60 days back, cancelled ones included so calendars drop them."""
    since = timezone.now() - timedelta(days=60)
    return (
        invited_sessions(user)
        .filter(
            ends_at__gte=since,
            registrations__user=user,
            registrations__status__in=[
                Registration.Status.REGISTERED,
                Registration.Status.WAITLISTED,
            ],
        )
        .distinct()
    )


# ---------------------------------------------------------------- completion


def attendance_changed(
    session: TrainingSession, user_ids: Iterable[int], *, now: datetime | None = None
) -> list[Any]:
    """Attendance of these learners changed (check-in, roll-call correction):
    complete the course for whoever now meets every requirement; the
    certificate follows as for any other last step."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    return recheck_learners(course_id=session.course_id, user_ids=ids, now=now)


def attended(session: TrainingSession, user: User) -> bool:
    return Attendance.objects.filter(
        session=session, user=user, status__in=Attendance.ATTENDED
    ).exists()


# ---------------------------------------------------------------- materials


@transaction.atomic
def add_material(
    *,
    actor: User,
    session: TrainingSession,
    title: str,
    upload: UploadedFile | None = None,
    url: str = "",
) -> SessionMaterial:
    """A handout: a file checked by its content (PDF, DOCX, PNG, JPEG; as lesson
    attachments) stored under a generated name, or a link."""
    from courses.authoring import ALLOWED_ATTACHMENTS, MAX_ATTACHMENT_BYTES, _sniff

    session = _locked_editable(actor, session)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Hãy nhập tên tài liệu.")})
    if (upload is None) == (not url):
        raise ValidationError(_("Hãy chọn một tệp hoặc nhập một liên kết."))
    material = SessionMaterial(session=session, title=title, url=(url or "").strip())
    if material.url and not material.safe_url:
        raise ValidationError({"url": _("Liên kết phải bắt đầu bằng http:// hoặc https://.")})
    if upload is not None:
        if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {"file": _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": MAX_ATTACHMENT_BYTES >> 20}}
            )
        mime = _sniff(upload)
        if mime not in ALLOWED_ATTACHMENTS:
            raise ValidationError(
                {"file": _("Loại tệp không được phép. Chỉ nhận PDF, Word (DOCX), PNG hoặc JPEG.")}
            )
        material.file.save(f"x.{ALLOWED_ATTACHMENTS[mime]}", upload, save=False)
    material.save()
    return material


@transaction.atomic
def delete_material(*, actor: User, material: SessionMaterial) -> None:
    _locked_editable(actor, material.session)
    storage, name = material.file.storage, material.file.name
    material.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def may_read(user: User, session: TrainingSession) -> bool:
    return visible_sessions(user).filter(pk=session.pk).exists()


# ---------------------------------------------------------------- completion rules


@transaction.atomic
def add_rule(
    *, actor: User, course: Course, kind: str, minimum: int, module: Module | None = None
) -> AttendanceRule:
    """Require attendance for the course's completion. Completions already
    recorded stay (a completion is an event, never recomputed)."""
    from courses.authoring import check_can_edit

    check_can_edit(actor, course)
    if module is not None and module.course_id != course.pk:
        raise ValidationError({"module": _("Học phần không thuộc khóa học này.")})
    if minimum < 1 or (kind == AttendanceRule.Kind.HOURS_PERCENT and minimum > 100):
        raise ValidationError({"minimum": _("Mức tối thiểu không hợp lệ.")})
    return AttendanceRule.objects.create(course=course, kind=kind, minimum=minimum, module=module)


@transaction.atomic
def delete_rule(*, actor: User, rule: AttendanceRule) -> None:
    """Drop a requirement: whoever now meets every other rule completes."""
    from courses.authoring import check_can_edit
    from courses.services import recheck_course

    check_can_edit(actor, rule.course)
    course = rule.course
    rule.delete()
    recheck_course(course=course)
