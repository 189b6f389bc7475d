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
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from training.models import Attendance, TrainingSession

ROTATE_SECONDS = 30
# A pending scan (opened while logged out) waits this long for the login.
PENDING_SECONDS = 600
_TOKEN_SALT = "training.checkin.rotating"
_CODE_SALT = "training.checkin.personal"
_CODE_LETTERS = 12
NOT_TRAINER_MESSAGE = _("Chỉ báo cáo viên phụ trách buổi tập huấn được điểm danh bằng mã cá nhân.")
UNKNOWN_LEARNER_MESSAGE = _("Mã cá nhân không thuộc học viên nào đang hoạt động.")
OUT_OF_SCOPE_MESSAGE = _("Học viên này thuộc đơn vị ngoài phạm vi quản lý của bạn.")
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
