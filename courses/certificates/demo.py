"""Demo: one learner has finished the sample course and holds its certificate.

So the verification page can be tried at once: log in as hocvien02, open
"Chứng nhận của tôi", scan the QR or follow the share link. Idempotent.
"""

from __future__ import annotations

import logging
import random

from django.utils.translation import gettext as _

from accounts.models import User
from courses import services as course_services
from courses.models import Completion, Course, Enrollment

from . import services
from .models import Certificate, CertificateSettings

logger = logging.getLogger(__name__)

COURSE_CODE = "MAU-XDD-01"  # the sample course of courses.demo
LEARNER = "hocvien02"


def _work_through(user: User, course: Course) -> None:
    """Do the course as a learner would: each module's lessons, then its quiz, all right."""
    from courses.reports.demo import take_quiz

    rng = random.Random(user.username)
    for module in course.modules.order_by("order", "pk").select_related("quiz"):
        for lesson in module.lessons.order_by("order", "pk"):
            course_services.mark_lesson_done(user=user, lesson=lesson)
        if module.quiz is not None:
            take_quiz(user, module.quiz, 1.0, rng, finish=True)
    if course.final_exam is not None:
        take_quiz(user, course.final_exam, 1.0, rng, finish=True)


def load() -> list[tuple[str, str, str]]:
    course = Course.objects.filter(code=COURSE_CODE).first()
    learner = User.objects.filter(username=LEARNER).first()
    if course is None or learner is None:
        logger.warning("certificates demo skipped: sample course or %s missing", LEARNER)
        return []
    CertificateSettings.objects.get_or_create(
        course=course,
        defaults={
            "signatory_title": _("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ"),
            "signatory_name": _("Người ký (mẫu)"),
        },
    )
    if Certificate.objects.filter(user=learner, course=course).exists():
        return []
    enrollment = Enrollment.objects.filter(user=learner, course=course).first()
    if enrollment is None:
        actor = User.objects.filter(is_superuser=True).first()
        course_services.enrol_user(actor=actor, user=learner, course=course)  # type: ignore[arg-type]
    _work_through(learner, course)
    # The last step is a quiz pass, whose completion a worker records once the
    # grade commits: record it here too (idempotent), so that the demo has its
    # certificate with no worker running.
    course_services.check_completion(enrollment=Enrollment.objects.get(user=learner, course=course))
    completion = Completion.objects.filter(user=learner, course=course).first()
    if completion is None:
        logger.warning("certificates demo: %s could not complete %s", LEARNER, COURSE_CODE)
        return []
    # The completion hook has enqueued the same job; doing it here too (it is
    # idempotent) means the certificate exists even with no worker running.
    services.deliver(completion_id=completion.pk)
    return []
