"""Deadline reminders: learners 7, 3 and 1 days before and once overdue; unit
admins a digest of newly overdue learners.

Each reminder is recorded (ReminderLog, unique per enrolment, recipient,
kind and due date) in the same transaction as its in-app notice, and the
email goes out after commit: a rerun, a retry or a second worker never
sends the same reminder twice. A changed due date gets its own reminders.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User

from .models import Course, Enrollment, ReminderLog
from .services import notify

logger = logging.getLogger(__name__)

# (kind, most days left it covers): the tightest threshold reached wins, so a
# learner enrolled two days before the deadline gets the 3-day reminder once.
THRESHOLDS = [
    (ReminderLog.Kind.DAYS_1, 1),
    (ReminderLog.Kind.DAYS_3, 3),
    (ReminderLog.Kind.DAYS_7, 7),
]


@dataclass
class ReminderRun:
    learner_reminders: int = 0
    digests: int = 0


def kind_for(days_left: int) -> str | None:
    if days_left < 0:
        return ReminderLog.Kind.OVERDUE
    for kind, most in THRESHOLDS:
        if days_left <= most:
            return kind
    return None


def _email(to: str, subject: str, body: str) -> None:
    if not to:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception:  # the notice is in the app; a mail outage must not stop the run
        logger.warning("reminder email to %s failed", to, exc_info=True)


def _record(enrollment: Enrollment, recipient: User, kind: str) -> bool:
    """Record the reminder; False if it was already sent."""
    assert enrollment.due_date is not None
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                enrollment=enrollment, recipient=recipient, kind=kind, due_date=enrollment.due_date
            )
    except IntegrityError:
        return False
    return True


def _learner_text(enrollment: Enrollment, days_left: int) -> str:
    assert enrollment.due_date is not None
    due = date_format(enrollment.due_date, "SHORT_DATE_FORMAT")
    if days_left < 0:
        return _("Khóa học “%(course)s” đã quá hạn hoàn thành (%(due)s). Hãy hoàn thành sớm.") % {
            "course": enrollment.course.title,
            "due": due,
        }
    if days_left == 0:
        return _("Hôm nay (%(due)s) là hạn hoàn thành khóa học “%(course)s”.") % {
            "course": enrollment.course.title,
            "due": due,
        }
    return ngettext(
        "Còn %(n)s ngày đến hạn hoàn thành khóa học “%(course)s” (%(due)s).",
        "Còn %(n)s ngày đến hạn hoàn thành khóa học “%(course)s” (%(due)s).",
        days_left,
    ) % {"n": days_left, "course": enrollment.course.title, "due": due}


def _pending(today: date) -> list[Enrollment]:
    return list(
        Enrollment.objects.active()
        .filter(
            completed_at__isnull=True,
            due_date__isnull=False,
            due_date__lte=today + timedelta(days=7),
            course__status=Course.Status.PUBLISHED,
            user__is_active=True,
        )
        .select_related("user__unit", "course")
        .order_by("due_date", "pk")
    )


def send_deadline_reminders(*, today: date | None = None) -> ReminderRun:
    today = today or timezone.localdate()
    run = ReminderRun()
    pending = _pending(today)
    sent = set(
        ReminderLog.objects.filter(enrollment__in=pending).values_list(
            "enrollment_id", "recipient_id", "kind", "due_date"
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        for enrollment in pending:
            assert enrollment.due_date is not None  # filtered in _pending
            days_left = (enrollment.due_date - today).days
            kind = kind_for(days_left)
            key = (enrollment.pk, enrollment.user_id, kind, enrollment.due_date)
            if kind is None or key in sent:
                continue
            with transaction.atomic():
                if not _record(enrollment, enrollment.user, kind):
                    continue
                text = _learner_text(enrollment, days_left)
                url = enrollment.course.get_absolute_url()
                notify(user=enrollment.user, text=text, url=url)
                email, link = enrollment.user.email, settings.SITE_URL + url
                subject = _("Nhắc hạn hoàn thành khóa học")
                transaction.on_commit(partial(_email, email, subject, f"{text}\n\n{link}"))
            run.learner_reminders += 1
        overdue = [e for e in pending if e.due_date is not None and e.due_date < today]
        run.digests = _send_digests(overdue, sent, today)
    return run


def _send_digests(overdue: list[Enrollment], sent: set[tuple], today: date) -> int:
    """One email per unit admin listing the newly overdue learners in their scope."""
    if not overdue:
        return 0
    admins = list(
        User.objects.filter(role=User.Role.ADMIN, is_active=True).prefetch_related("grants__unit")
    )
    per_admin: dict[int, list[Enrollment]] = defaultdict(list)
    for admin in admins:
        paths = [g.unit.path for g in admin.grants.all()]
        for e in overdue:
            unit = e.user.unit
            if unit is None or not any(unit.path.startswith(p) for p in paths):
                continue
            if (e.pk, admin.pk, ReminderLog.Kind.DIGEST, e.due_date) not in sent:
                per_admin[admin.pk].append(e)
    by_pk = {a.pk: a for a in admins}
    count = 0
    for admin_pk, enrollments in per_admin.items():
        admin = by_pk[admin_pk]
        with transaction.atomic():
            fresh = [e for e in enrollments if _record(e, admin, ReminderLog.Kind.DIGEST)]
            if not fresh:
                continue
            lines = [
                f"- {e.user.full_name} ({e.user.unit.name if e.user.unit else ''}): "
                f"{e.course.title}, {date_format(e.due_date or today, 'SHORT_DATE_FORMAT')}"
                for e in fresh
            ]
            text = ngettext(
                "%(n)s học viên mới quá hạn hoàn thành khóa học.",
                "%(n)s học viên mới quá hạn hoàn thành khóa học.",
                len(fresh),
            ) % {"n": len(fresh)}
            notify(user=admin, text=text, url=reverse("frontend:authoring-list"))
            body = text + "\n\n" + "\n".join(lines)
            subject = _("Tổng hợp học viên quá hạn hoàn thành khóa học")
            transaction.on_commit(partial(_email, admin.email, subject, body))
        count += 1
    return count
