"""Attendance by QR: the rotating token the trainer's screen shows, the
learner's personal code the trainer's phone scans, and the one service that
records a check-in.

Rotating token: ``"<session>.<slot>:<signature>"`` where slot is the 30-second
interval of the clock it was shown in, signed with SECRET_KEY under a salt of
its own. It is accepted during its own slot and the next one (at most 60 s:
a learner scanning as the code changes, a slow phone), so a photo forwarded
to an absent colleague stops working within a minute. The session id is in
clear so that a token of another session gets its own message.

Personal code: ``"<user>-XXXX-XXXX-XXXX"``, twelve base32 letters of an HMAC
of the user id (60 bits): short enough to type from a printed card when the
camera fails, and unguessable.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditLog, User, subtree_q
from accounts.text import nfc, vi_order
from training.models import Attendance, Registration, TrainingSession

ROTATE_SECONDS = 30
# A pending scan (opened while logged out) waits this long for the login.
PENDING_SECONDS = 600
_TOKEN_SALT = "training.checkin.rotating"
_CODE_SALT = "training.checkin.personal"
_CODE_LETTERS = 12
NOT_TRAINER_MESSAGE = _("Chỉ báo cáo viên phụ trách buổi tập huấn được điểm danh bằng mã cá nhân.")
UNKNOWN_LEARNER_MESSAGE = _("Mã cá nhân không thuộc học viên nào đang hoạt động.")
MISSING_TOKEN_MESSAGE = _(
    "Đường dẫn điểm danh thiếu mã QR. Hãy quét mã đang chiếu trên màn hình của buổi tập huấn."
)


class CheckinError(Exception):
    """A refused check-in; `code` for the API, `message` for people."""

    def __init__(self, code: str, message: str | Promise, status: int = 400) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.status = status


def _forged() -> CheckinError:
    return CheckinError(
        "invalid_token",
        _("Mã QR không hợp lệ. Hãy quét mã đang chiếu trên màn hình của buổi tập huấn."),
    )


def _slot(now: datetime) -> int:
    return int(now.timestamp()) // ROTATE_SECONDS


def rotating_token(session_pk: int, now: datetime | None = None) -> str:
    now = now or timezone.now()
    return signing.Signer(salt=_TOKEN_SALT).sign(f"{session_pk}.{_slot(now)}")


def seconds_left(now: datetime | None = None) -> int:
    """Seconds until the screen's code changes."""
    now = now or timezone.now()
    return ROTATE_SECONDS - int(now.timestamp()) % ROTATE_SECONDS


def read_rotating_token(token: str, *, session_pk: int, now: datetime | None = None) -> None:
    """Raise CheckinError unless `token` is a current token of this session."""
    now = now or timezone.now()
    try:
        value = signing.Signer(salt=_TOKEN_SALT).unsign((token or "").strip())
        session_part, slot_part = value.split(".")
        token_session, slot = int(session_part), int(slot_part)
    except (signing.BadSignature, ValueError):
        raise _forged() from None
    if token_session != session_pk:
        raise CheckinError(
            "other_session",
            _("Mã QR này là của một buổi tập huấn khác. Hãy quét mã đang chiếu tại buổi bạn dự."),
        )
    current = _slot(now)
    if slot > current:  # signed by us, yet from the future: a clock we do not trust
        raise _forged()
    if slot < current - 1:
        raise CheckinError(
            "expired_token",
            _(
                "Mã QR đã hết hạn (mã đổi sau mỗi 30 giây). "
                "Hãy quét lại mã đang chiếu trên màn hình."
            ),
        )


def _code_letters(user_pk: int) -> str:
    digest = salted_hmac(_CODE_SALT, str(user_pk), algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:_CODE_LETTERS]


def personal_code(user_pk: int) -> str:
    letters = _code_letters(user_pk)
    return f"{user_pk}-{letters[0:4]}-{letters[4:8]}-{letters[8:12]}"


def read_personal_code(code: str) -> int:
    """The user id a personal code stands for; CheckinError if it is not one.
    Forgiving of case, spaces and the digits people type for look-alike letters."""
    text = "".join((code or "").split()).upper()
    pk_part, _sep, letters = text.partition("-")
    letters = letters.replace("-", "").translate(str.maketrans("0189", "OIBG"))
    if not pk_part.isdigit() or len(pk_part) > 12 or len(letters) != _CODE_LETTERS:
        raise CheckinError("invalid_code", _("Mã cá nhân không hợp lệ. Kiểm tra lại từng ký tự."))
    user_pk = int(pk_part)
    if not constant_time_compare(letters, _code_letters(user_pk)):
        raise CheckinError("invalid_code", _("Mã cá nhân không hợp lệ. Kiểm tra lại từng ký tự."))
    return user_pk


def check_window(session: TrainingSession, at: datetime) -> None:
    if session.status == TrainingSession.Status.CANCELLED:
        raise CheckinError("cancelled", _("Buổi tập huấn này đã bị hủy."))
    opens, closes = session.checkin_window()
    if at < opens:
        local = timezone.localtime(opens)
        raise CheckinError(
            "not_open",
            _("Chưa đến giờ điểm danh: điểm danh mở lúc %(time)s ngày %(day)s.")
            % {"time": date_format(local, "H:i"), "day": date_format(local, "d/m/Y")},
        )
    if at > closes:
        raise CheckinError(
            "closed",
            _(
                "Buổi tập huấn đã kết thúc nên điểm danh đã đóng. "
                "Nếu bạn có mặt, hãy báo báo cáo viên để được ghi nhận."
            ),
        )


@dataclass(frozen=True)
class Result:
    attendance: Attendance
    recorded: bool  # False: the learner had already checked in; nothing changed


def check_in(
    *,
    session: TrainingSession,
    learner: User,
    method: str,
    at: datetime,
    recorded_by: User | None = None,
    now: datetime | None = None,
) -> Result:
    """Record `learner` present, or late if `at` is after the start.

    One record per learner per session however many scans and resyncs arrive
    at once: the row is created under the (session, user) unique constraint
    (get_or_create retries the read when a concurrent insert wins), and an
    existing absent/excused mark is upgraded by a conditional UPDATE, so of
    two racing scans exactly one reports `recorded`.
    """
    from training import services

    now = now or timezone.now()
    at = min(at, now)
    check_window(session, at)
    if not services.is_invited(session, learner):
        raise CheckinError(
            "not_invited",
            _("Bạn không thuộc đơn vị được mời dự buổi tập huấn này.")
            if recorded_by is None or recorded_by.pk == learner.pk
            else _("Học viên này không thuộc đơn vị được mời dự buổi tập huấn này."),
            status=403,
        )
    status = Attendance.Status.LATE if at > session.starts_at else Attendance.Status.PRESENT
    fields = {
        "status": status,
        "method": method,
        "checked_in_at": at,
        "recorded_by": recorded_by,
    }
    with transaction.atomic():
        attendance, created = Attendance.objects.get_or_create(
            session=session, user=learner, defaults=fields
        )
        attendance.user, attendance.session = learner, session  # no query to read them back
        recorded = created
        if not created and attendance.status not in Attendance.ATTENDED:
            # Marked absent beforehand, and here they are.
            recorded = bool(
                Attendance.objects.filter(pk=attendance.pk)
                .exclude(status__in=Attendance.ATTENDED)
                .update(updated_at=now, **fields)
            )
            if recorded:
                for name, value in fields.items():
                    setattr(attendance, name, value)
            else:
                attendance.refresh_from_db()
        if recorded:
            services.attendance_changed(session, [learner.pk])
    return Result(attendance, recorded)


def result_message(result: Result) -> str:
    a = result.attendance
    name = a.user.full_name or a.user.username
    time = date_format(timezone.localtime(a.checked_in_at), "H:i") if a.checked_in_at else ""
    if not result.recorded:
        return _("%(name)s đã điểm danh trước đó (%(status)s).") % {
            "name": name,
            "status": a.get_status_display().lower(),
        }
    if a.status == Attendance.Status.LATE:
        return _("Đã ghi nhận %(name)s đến muộn lúc %(time)s.") % {"name": name, "time": time}
    return _("Đã ghi nhận %(name)s có mặt lúc %(time)s.") % {"name": name, "time": time}


# ---------------------------------------------------------------- roll-call

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


def _people(session: TrainingSession) -> models.QuerySet[User]:
    """Everyone invited (active learners under an invited unit) and anyone
    with a record (moved away since, or checked in by a trainer)."""
    paths = list(session.invited_units.values_list("path", flat=True))
    invited = subtree_q(paths, "unit__path") & Q(is_active=True, role=User.Role.LEARNER)
    return User.objects.filter(invited | Q(attendances__session=session)).distinct()


def roll_call(session: TrainingSession, now: datetime | None = None) -> list[Row]:
    """One row per person, in Vietnamese name order; four queries whatever the size."""
    now = now or timezone.now()
    people = list(
        _people(session).select_related("unit").order_by(vi_order("full_name"), "username")
    )
    return _rows(session, people, now)


def roll_call_row(session: TrainingSession, user_pk: int) -> Row:
    from django.http import Http404

    user = _people(session).select_related("unit").filter(pk=user_pk).first()
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
