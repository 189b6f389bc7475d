"""Issuing, rendering, announcing, revoking and re-issuing certificates.

Issuing is idempotent: the completion row is locked, an existing
certificate is returned as is, and the partial unique constraint backs
that up. Each later step (PDF, notice) checks whether it was already done,
so a task redelivered after its worker died finishes the job instead of
repeating it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditLog, Unit, User
from accounts.services import record
from accounts.text import nfc
from config.sql import columns, fetch, for_update
from courses.models import Completion, Course

from . import codes
from .models import (
    Certificate,
    CertificateSettings,
    SerialCounter,
    add_months,
    format_serial,
    unit_serial_code,
)
from .pdf import CertificateDocument, data_uri, render_pdf

logger = logging.getLogger(__name__)


def course_settings(course: Course) -> CertificateSettings:
    try:
        return course.certificate_settings  # type: ignore[attr-defined]
    except CertificateSettings.DoesNotExist:
        return CertificateSettings(course=course)


def serial_prefix(unit: Unit) -> str:
    """What a serial prints for its issuing unit: the unit's code (see `unit_serial_code`)."""
    return unit_serial_code(unit.code) or f"DV{unit.pk}"


NEXT_SERIAL_SQL = f"""
INSERT INTO {SerialCounter._meta.db_table} (prefix, year, last_number) VALUES (%s, %s, 1)
ON CONFLICT (prefix, year)
DO UPDATE SET last_number = {SerialCounter._meta.db_table}.last_number + 1
RETURNING last_number
"""


def _next_serial(unit: Unit, year: int) -> str:
    """BD-<unit code>-<year>-<6 digits>, consecutive per unit code and year.

    The counter row is locked for the rest of the issuing transaction, so
    two workers issuing at once get different numbers and no gap appears
    when one of them rolls back. The unique constraint on the serial backs
    this up across the whole register.
    """
    prefix = serial_prefix(unit)
    # One statement instead of get_or_create, SELECT ... FOR UPDATE and UPDATE
    # (five round trips with the savepoint): the upsert creates or increments the
    # row and keeps it locked to the end of the transaction all the same.
    with connection.cursor() as cursor:
        cursor.execute(NEXT_SERIAL_SQL, [prefix, year])
        (number,) = cursor.fetchone()
    return format_serial(prefix, year, number)


def _new_certificate(
    *, completion: Completion, learner_name: str, now: Any | None = None
) -> Certificate:
    """Insert the certificate row; the caller holds a transaction (the counter stays locked)."""
    now = now or timezone.now()
    course = completion.course
    completed_on = timezone.localdate(completion.completed_at)
    year = timezone.localdate(now).year
    serial = _next_serial(course.issuing_unit, year)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    completion=completion,
                    user_id=completion.user_id,
                    course=course,
                    issuing_unit=course.issuing_unit,
                    serial=serial,
                    code=codes.generate(),
                    learner_name=nfc(learner_name),
                    course_title=course.title,
                    issuing_unit_name=course.issuing_unit.name,
                    score=completion.score,
                    completed_on=completed_on,
                    issued_at=now,
                    expires_on=add_months(completed_on, course.validity_months)
                    if course.validity_months
                    else None,
                )
        except IntegrityError:
            # A second valid certificate for the completion must fail. A
            # verification-code collision (1 in 2**75) is worth retrying, and so
            # is a serial the counter did not hand out (entered some other way):
            # the next number then.
            if Certificate.objects.filter(
                completion=completion, status=Certificate.Status.VALID
            ).exists():
                raise
            if Certificate.objects.filter(serial=serial).exists():
                serial = _next_serial(course.issuing_unit, year)
    raise IntegrityError("could not allocate a serial and a verification code")


# Issuing runs once per pass of an exam wave: the completion with its course,
# issuing unit and learner, locked, then the newest certificate already issued
# for it, as two statements written out (the ORM compiled them for longer than
# the database ran them).
COMPLETION_TO_CERTIFY_SQL = """
SELECT {completion}, {course}, {unit}, {user}
FROM courses_completion cp
JOIN courses_course c ON c.id = cp.course_id
JOIN accounts_unit u ON u.id = c.issuing_unit_id
JOIN accounts_user us ON us.id = cp.user_id
WHERE cp.id = %s{lock}
"""
NEWEST_CERTIFICATE_SQL = """
SELECT {certificate} FROM certificates_certificate ce
WHERE ce.completion_id = %s ORDER BY ce.id DESC LIMIT 1
"""


@transaction.atomic
def issue_certificate(*, completion_id: int) -> Certificate | None:
    """The certificate for a completion, issuing it if there is none yet (idempotent)."""
    rows = fetch(
        COMPLETION_TO_CERTIFY_SQL.format(
            completion=columns(Completion, "cp"),
            course=columns(Course, "c"),
            unit=columns(Unit, "u"),
            user=columns(User, "us"),
            lock=for_update("cp"),
        ),
        [completion_id],
        Completion,
        Course,
        Unit,
        User,
    )
    if not rows:  # the completion was rolled back or deleted
        return None
    completion, course, course.issuing_unit, completion.user = rows[0]
    completion.course = course
    existing = fetch(
        NEWEST_CERTIFICATE_SQL.format(certificate=columns(Certificate, "ce")),
        [completion.pk],
        Certificate,
    )
    if existing:
        return existing[0][0]
    return _new_certificate(completion=completion, learner_name=completion.user.full_name)


def _image(field: Any) -> str:
    if not field:
        return ""
    try:
        with field.open("rb") as handle:
            content = handle.read()
    except OSError:
        logger.warning("certificate image %s is missing", field.name)
        return ""
    mime = "image/png" if content[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return data_uri(content, mime)


def issuing_place(unit: Unit) -> str:
    """Where the issuing unit writes its documents from: its own place, or the
    nearest ancestor's (a cell dates its papers where its organisation sits)."""
    if unit.place:
        return unit.place
    for ancestor in reversed(list(Unit.objects.get_ancestors(unit))):
        if ancestor.place:
            return str(ancestor.place)
    return ""


def document_for(certificate: Certificate) -> CertificateDocument:
    style = course_settings(certificate.course)
    unit = certificate.issuing_unit
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    revoked = certificate.status == Certificate.Status.REVOKED and certificate.revoked_at
    return CertificateDocument(
        learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        issued_on=timezone.localdate(certificate.issued_at),
        serial=certificate.serial,
        code=certificate.code,
        verify_url=certificate.verify_url(),
        unit_name=certificate.issuing_unit_name,
        parent_unit_name=parent.name if parent else "",
        place=style.place or issuing_place(unit),
        title=style.title,
        score=certificate.score,
        completed_on=certificate.completed_on,
        expires_on=certificate.expires_on,
        signatory_title=style.signatory_title,
        signatory_name=style.signatory_name,
        signature=_image(style.signature),
        seal=_image(style.seal),
        background=_image(style.background),
        revoked_on=timezone.localdate(certificate.revoked_at) if revoked else None,
    )


def _store(certificate: Certificate, field: str) -> Certificate:
    """Render the PDF into `field` (pdf, revoked_pdf) unless it is already stored."""
    file = getattr(certificate, field)
    if file:
        return certificate
    content = render_pdf(document_for(certificate))
    name = file.storage.save(
        file.field.generate_filename(certificate, "certificate.pdf"), ContentFile(content)
    )
    updated = Certificate.objects.filter(pk=certificate.pk, **{field: ""}).update(**{field: name})
    if updated:
        file.name = name
    else:  # rendered concurrently: keep theirs, drop ours
        file.storage.delete(name)
        certificate.refresh_from_db(fields=[field])
    return certificate


def ensure_pdf(certificate: Certificate) -> Certificate:
    """Render and store the PDF as issued unless it is already stored."""
    return _store(certificate, "pdf")


def served_pdf(certificate: Certificate) -> Any:
    """The PDF to hand out, wherever it is downloaded from.

    While the certificate is not revoked: the PDF as issued. Once revoked: a
    copy stamped "ĐÃ THU HỒI" with the date (rendered on the first download
    after the revocation and kept); the original is never served again. The
    status is read afresh, so a revocation a moment ago counts.
    """
    certificate.refresh_from_db(fields=["status", "revoked_at", "pdf", "revoked_pdf"])
    if certificate.status == Certificate.Status.REVOKED:
        return _store(certificate, "revoked_pdf").revoked_pdf
    return ensure_pdf(certificate).pdf


def my_certificates_url() -> str:
    return reverse("frontend:my-certificates")


def announce(certificate: Certificate) -> bool:
    """Email and in-app notice to the learner, once per certificate."""
    from courses.services import notify

    with transaction.atomic():
        claimed = Certificate.objects.filter(pk=certificate.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            return False
        text = _("Giấy chứng nhận khóa học “%(course)s” đã được cấp (số hiệu %(serial)s).") % {
            "course": certificate.course_title,
            "serial": certificate.serial,
        }
        notify(user=certificate.user, text=text, url=my_certificates_url())
    if certificate.user.email:
        body = _(
            "Kính gửi đồng chí %(name)s,\n\n%(text)s\n\n"
            "Tải giấy chứng nhận: %(mine)s\nKiểm tra giấy chứng nhận: %(verify)s\n"
        ) % {
            "name": certificate.learner_name,
            "text": text,
            "mine": settings.SITE_URL.rstrip("/") + my_certificates_url(),
            "verify": certificate.verify_url(),
        }
        try:
            send_mail(_("Giấy chứng nhận đã được cấp"), body, None, [certificate.user.email])
        except Exception:  # the in-app notice is there; mail trouble must not redo the task
            logger.exception("could not email certificate %s", certificate.pk)
    return True


def deliver(*, completion_id: int, pause: Any = None, inline: bool = True) -> Certificate | None:
    """The whole issuing job: certificate row, PDF, notice. Safe to repeat.

    With `inline=False` (the Celery task) the PDF and notice become a task
    of their own: the certificate row exists, and verifies, within
    milliseconds of the completion even when a wave of completions queues
    up hundreds of renders. If that task cannot be published, the work is
    done here instead.
    """
    certificate = issue_certificate(completion_id=completion_id)
    if certificate is None or certificate.status != Certificate.Status.VALID:
        return certificate
    if pause is not None:
        pause(certificate)
    if not inline and not certificate.pdf and enqueue("render", certificate.pk):
        return certificate
    ensure_pdf(certificate)
    announce(certificate)
    return certificate


@transaction.atomic
def save_settings(*, actor: User, form: Any) -> CertificateSettings:
    """Save a course's certificate form; only those who may edit the course."""
    from courses.authoring import check_can_edit

    check_can_edit(actor, form.instance.course)
    return form.save()


def sample_document(course: Course) -> CertificateDocument:
    """A preview of the course's certificate with a sample learner."""
    from . import codes as _codes

    style = course_settings(course)
    unit = course.issuing_unit
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    code = "0" * (_codes.LENGTH - 1)
    code += _codes.check_symbol(code)
    return CertificateDocument(
        learner_name=_("Nguyễn Văn Mẫu"),
        course_title=course.title,
        issued_on=timezone.localdate(),
        serial=format_serial(serial_prefix(unit), timezone.localdate().year, 0),
        code=code,
        verify_url=settings.SITE_URL.rstrip("/") + reverse("certificate-verify-form"),
        unit_name=unit.name,
        parent_unit_name=parent.name if parent else "",
        place=style.place or issuing_place(unit),
        title=style.title,
        score=None,
        signatory_title=style.signatory_title,
        signatory_name=style.signatory_name,
        signature=_image(style.signature),
        seal=_image(style.seal),
        background=_image(style.background),
    )


def _check_admin(actor: User, certificate: Certificate) -> None:
    if not actor.is_unit_admin or not actor.can_see_user(certificate.user):
        raise PermissionDenied(_("Giấy chứng nhận nằm ngoài phạm vi quản lý của bạn."))


@transaction.atomic
def revoke(
    *, actor: User | None, certificate: Certificate, reason: str, check: bool = True
) -> Certificate:
    """Revoke a valid certificate; the reason shows on the verification page."""
    reason = nfc(reason)
    if not reason:
        raise ValidationError({"reason": _("Vui lòng nhập lý do thu hồi.")})
    if check and actor is not None:
        _check_admin(actor, certificate)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != Certificate.Status.VALID:
        raise ValidationError(_("Chỉ thu hồi được giấy chứng nhận còn hiệu lực."))
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.needs_review = False
    certificate.save(
        update_fields=["status", "revoked_at", "revoked_by", "revocation_reason", "needs_review"]
    )
    record(
        actor=actor,
        action=AuditLog.Action.CERTIFICATE_REVOKED,
        unit=certificate.user.unit,
        target=certificate,
        data={"certificate": certificate.pk, "serial": certificate.serial},
        reason=reason,
    )
    return certificate


@transaction.atomic
def reissue(*, actor: User, certificate: Certificate, reason: str = "") -> Certificate:
    """Replace a valid certificate with one carrying the learner's current name."""
    _check_admin(actor, certificate)
    old = Certificate.objects.select_for_update().select_related("user").get(pk=certificate.pk)
    if old.status != Certificate.Status.VALID:
        raise ValidationError(_("Chỉ cấp lại được giấy chứng nhận còn hiệu lực."))
    Completion.objects.select_for_update().get(pk=old.completion_id)
    old.status = Certificate.Status.REPLACED
    old.save(update_fields=["status"])
    new = _new_certificate(completion=old.completion, learner_name=old.user.full_name)
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    record(
        actor=actor,
        action=AuditLog.Action.CERTIFICATE_REISSUED,
        unit=old.user.unit,
        target=new,
        data={
            "old": old.pk,
            "new": new.pk,
            "old_name": old.learner_name,
            "new_name": new.learner_name,
        },
        reason=nfc(reason),
    )
    transaction.on_commit(lambda: enqueue("render", new.pk))
    return new


@transaction.atomic
def clear_review(*, actor: User, certificate: Certificate) -> Certificate:
    """The admin reviewed a flagged certificate and keeps it valid."""
    _check_admin(actor, certificate)
    Certificate.objects.filter(pk=certificate.pk).update(needs_review=False)
    certificate.needs_review = False
    record(
        actor=actor,
        action=AuditLog.Action.GRADE_CHANGED,
        unit=certificate.user.unit,
        target=certificate,
        data={"certificate": certificate.pk, "review": "kept"},
    )
    return certificate


def on_failed_regrade(*, user_id: int, quiz_id: int) -> list[Certificate]:
    """A grade on a course's module quiz or final exam stopped passing.

    Valid certificates of that learner for that course are flagged for
    review, or revoked where the course says so. A completion whose
    certificate task is still queued gets its certificate here first, so the
    flag reaches it rather than a valid certificate issued a moment later.
    """
    courses = Course.objects.filter(Q(final_exam_id=quiz_id) | Q(modules__quiz_id=quiz_id))
    completions = Completion.objects.filter(user_id=user_id, course__in=courses)
    rows = list(completions.values_list("pk", "certificates__pk"))
    if not rows:  # a failed attempt with nothing completed: the usual case, one query
        return []
    for completion_id, certificate_id in rows:
        if certificate_id is None:
            issue_certificate(completion_id=completion_id)
    affected = list(
        Certificate.objects.filter(
            user_id=user_id, course__in=courses, status=Certificate.Status.VALID
        ).select_related("course", "user__unit")
    )
    note = _("Điểm bài kiểm tra được chấm lại dưới mức đạt.")
    for certificate in affected:
        if course_settings(certificate.course).on_failed_regrade == "revoke":
            revoke(actor=None, certificate=certificate, reason=note, check=False)
        else:
            Certificate.objects.filter(pk=certificate.pk).update(
                needs_review=True, review_note=note
            )
    return affected


def enqueue(kind: str, pk: int) -> bool:
    """Publish a task without ever failing the caller (the sweeper retries later)."""
    from . import tasks

    task = {"issue": tasks.issue_certificate, "render": tasks.render_certificate_pdf}[kind]
    options: dict[str, Any] = {"retry": False}
    queue = getattr(settings, "CERTIFICATES_QUEUE", "")
    if kind == "render":
        queue = getattr(settings, "CERTIFICATES_RENDER_QUEUE", "") or queue
    if queue:
        options["queue"] = queue
    try:
        task.apply_async(args=[pk], **options)
    except Exception:
        logger.exception("could not enqueue certificate %s task for %s", kind, pk)
        return False
    return True


def issue_after_commit(completion_id: int) -> None:
    """A completion has committed: issue its certificate.

    In a Celery task (the completion that follows a pass, a sweep) the row is
    issued right here, in the same task invocation, when certificates have no
    queue of their own: publishing an issuing task and running it costs a
    worker more than the issuing itself, and an exam wave brings thousands at
    once. The PDF is still a task of its own. Anywhere else (a request), or
    when CERTIFICATES_QUEUE gives issuing its own workers, it is a task as
    before. If issuing here fails, the task is published instead, and the
    sweep catches anything lost."""
    from celery import current_task

    if current_task and not getattr(settings, "CERTIFICATES_QUEUE", ""):
        try:
            deliver(completion_id=completion_id, inline=False)
            return
        except Exception:
            logger.exception("could not issue the certificate of completion %s", completion_id)
    enqueue("issue", completion_id)


def missing_completions(*, older_than_seconds: int = 60) -> list[int]:
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Completion.objects.filter(certificates__isnull=True, recorded_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )


def sweep(*, older_than_seconds: int = 60) -> dict[str, int]:
    """Enqueue what was missed: completions with no certificate, certificates with no PDF."""
    issued = [pk for pk in missing_completions(older_than_seconds=older_than_seconds)]
    for pk in issued:
        enqueue("issue", pk)
    unrendered = list(
        Certificate.objects.filter(status=Certificate.Status.VALID, pdf="")
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in unrendered:
        enqueue("render", pk)
    return {"completions": len(issued), "pdfs": len(unrendered)}


def ensure_and_announce(*, certificate_id: int) -> Certificate | None:
    certificate = Certificate.objects.select_related("user").filter(pk=certificate_id).first()
    if certificate is None or certificate.status != Certificate.Status.VALID:
        return certificate
    ensure_pdf(certificate)
    announce(certificate)
    return certificate
