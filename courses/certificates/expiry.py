"""Expiry: remind the learner and their unit admins, and start recertification."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from courses.services import ancestor_paths, notify, restart_cycle

from .models import Certificate
from .services import course_settings, my_certificates_url

logger = logging.getLogger(__name__)


def unit_admins_of(learner: User) -> QuerySet[User]:
    """Admins whose granted units contain the learner's unit."""
    if learner.unit is None:
        return User.objects.none()
    return User.objects.filter(
        role=User.Role.ADMIN, is_active=True, grants__unit__path__in=ancestor_paths(learner.unit)
    ).distinct()


def expiry_due(today: date) -> list[Certificate]:
    candidates = (
        Certificate.objects.valid(today)
        .filter(expires_on__isnull=False, expiry_reminded_at__isnull=True)
        .select_related("user__unit", "course__certificate_settings", "completion__enrollment")
    )
    return [
        c
        for c in candidates
        if c.expires_on is not None
        and (c.expires_on - today).days <= course_settings(c.course).reminder_days
    ]


def _mail(user: User, subject: str, body: str) -> None:
    if not user.email:
        return
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        logger.exception("could not email expiry reminder to %s", user.pk)


def remind_one(certificate: Certificate) -> bool:
    """Remind once (claimed by a conditional update) and open a new learning cycle."""
    with transaction.atomic():
        claimed = Certificate.objects.filter(
            pk=certificate.pk, expiry_reminded_at__isnull=True
        ).update(expiry_reminded_at=timezone.now())
        if not claimed:
            return False
        expires = certificate.expires_on.strftime("%d/%m/%Y") if certificate.expires_on else ""
        text = _(
            "Giấy chứng nhận khóa học “%(course)s” hết hạn ngày %(date)s. "
            "Đồng chí đã được ghi danh học lại để cấp giấy chứng nhận mới."
        ) % {"course": certificate.course_title, "date": expires}
        notify(user=certificate.user, text=text, url=my_certificates_url())
        admin_text = _(
            "Giấy chứng nhận của đồng chí %(name)s (khóa học “%(course)s”) hết hạn ngày %(date)s."
        ) % {"name": certificate.learner_name, "course": certificate.course_title, "date": expires}
        admins = list(unit_admins_of(certificate.user))
        for admin in admins:
            notify(user=admin, text=admin_text, url="")
        # Recertification: the learner's enrolment starts a new cycle, so the
        # course must be completed again (and a new certificate is issued).
        restart_cycle(enrollment=certificate.completion.enrollment)
    subject = _("Giấy chứng nhận sắp hết hạn")
    site = settings.SITE_URL.rstrip("/")
    _mail(certificate.user, subject, f"{text}\n\n{site}{my_certificates_url()}\n")
    for admin in admins:
        _mail(admin, subject, admin_text)
    return True


def send_expiry_reminders(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return sum(remind_one(c) for c in expiry_due(today))
