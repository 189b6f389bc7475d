"""The roll-call: everyone invited to a session with their attendance, and the
trainer's audited corrections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditLog, User, subtree_q
from accounts.text import nfc, vi_order
from training.models import Attendance, Registration, TrainingSession

PENDING = "pending"  # no record yet, the session not over: not absent yet


@dataclass(frozen=True)
class Row:
    user: User
    attendance: Attendance | None
    registration: str  # Registration.Status value, or "" (did not answer)
    ended: bool

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""

    @property
    def state(self) -> str:
        """What the roll-call shows: no record after the end is an absence."""
        if self.attendance:
            return self.attendance.status
        return Attendance.Status.ABSENT if self.ended else PENDING

    @property
    def note(self) -> str:
        return self.attendance.note if self.attendance else ""


def viewer_scope(session: TrainingSession, viewer: User | None) -> Q | None:
    """Whose rows a viewer sees and edits: everyone for who may author the
    session's course; for a trainer/admin of a merely invited unit, only the
    people within their own scope. None = no limit."""
    if viewer is None or viewer.is_superuser:
        return None
    # Course.editable_by, decided in memory (the hot check-in paths load
    # course__owner_unit; granted_paths is cached on the user).
    if viewer.is_staff_role and viewer.can_see_unit(session.course.owner_unit):
        return None
    return viewer.scope_q("unit__path")


def _people(session: TrainingSession, viewer: User | None = None) -> models.QuerySet[User]:
    """Everyone invited (active learners under an invited unit) and anyone
    with a record (moved away since, or checked in by a trainer), within the
    viewer's scope (see `viewer_scope`)."""
    paths = list(session.invited_units.values_list("path", flat=True))
    invited = subtree_q(paths, "unit__path") & Q(is_active=True, role=User.Role.LEARNER)
    people = User.objects.filter(invited | Q(attendances__session=session))
    scope = viewer_scope(session, viewer)
    if scope is not None:
        people = people.filter(scope)
    return people.distinct()


def roll_call(
    session: TrainingSession, now: datetime | None = None, *, viewer: User | None = None
) -> list[Row]:
    """One row per person, in Vietnamese name order; a handful of queries whatever
    the size. `viewer`: only the rows they may see (None: everyone)."""
    now = now or timezone.now()
    people = list(
        _people(session, viewer).select_related("unit").order_by(vi_order("full_name"), "username")
    )
    return _rows(session, people, now)


def roll_call_row(session: TrainingSession, user_pk: int, *, viewer: User | None = None) -> Row:
    user = _people(session, viewer).select_related("unit").filter(pk=user_pk).first()
    if user is None:
        raise Http404
    return _rows(session, [user], timezone.now())[0]


def _rows(session: TrainingSession, people: list[User], now: datetime) -> list[Row]:
    ids = [u.pk for u in people]
    records = {
        a.user_id: a
        for a in Attendance.objects.filter(session=session, user_id__in=ids).select_related(
            "recorded_by"
        )
    }
    answers = dict(
        Registration.objects.filter(session=session, user_id__in=ids).values_list(
            "user_id", "status"
        )
    )
    ended = now > session.ends_at
    return [Row(u, records.get(u.pk), answers.get(u.pk, ""), ended) for u in people]


def set_attendance(
    *,
    session: TrainingSession,
    learner: User,
    status: str,
    note: str,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> Attendance:
    """The trainer's hand on the roll-call. Every change leaves an audit row
    (who, when, the old and new status, why); after the session a reason is
    required, since it corrects the record people signed."""
    now = now or timezone.now()
    note, reason = nfc(note).strip(), nfc(reason).strip()
    errors: dict[str, list[str | Promise]] = {}
    if status not in Attendance.Status.values:
        errors["status"] = [_("Chọn một trạng thái điểm danh.")]
    if now > session.ends_at and not reason:
        errors["reason"] = [_("Buổi tập huấn đã kết thúc: hãy ghi lý do sửa điểm danh.")]
    if len(note) > 1000 or len(reason) > 1000:
        errors["note" if len(note) > 1000 else "reason"] = [_("Tối đa 1000 ký tự.")]
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]
    with transaction.atomic():
        attendance, created = Attendance.objects.select_for_update().get_or_create(
            session=session,
            user=learner,
            defaults={"status": status, "method": Attendance.Method.MANUAL},
        )
        before = "" if created else attendance.status
        if not created and before == status and attendance.note == note:
            return attendance
        attendance.status = status
        attendance.note = note
        attendance.recorded_by = actor
        if status in Attendance.ATTENDED and attendance.checked_in_at is None:
            attendance.method = Attendance.Method.MANUAL
            if now <= session.ends_at:
                attendance.checked_in_at = now
        attendance.save()
        AuditLog.objects.create(
            actor=actor,
            action=AuditLog.Action.ATTENDANCE_CHANGED,
            unit=learner.unit,
            target=f"{learner.full_name or learner.username} · {session.title}"[:255],
            data={"session": session.pk, "user": learner.pk, "from": before, "to": status},
            reason=reason,
        )
        if before != status:
            from training import services

            services.attendance_changed(session, [learner.pk])
    return attendance
