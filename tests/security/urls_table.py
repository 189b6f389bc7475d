"""Every URL of the site and every API operation, with who may reach it.

Columns, in order: anonymous, learner, other learner (same cell), learner of
unit B, trainer of unit A, trainer of unit B, admin of the bloc, superuser.
The objects in the URLs belong to the learner (cell A1) or to unit A, so the
other learner, the learner of B and the trainer of B are the intruders.

Codes: a status, `L` = redirect to the login page, `-` = not probed (a write
by someone allowed to make it: its effect is tested where the feature lives).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ROLES = (
    "anonymous",
    "learner",
    "other_learner",
    "learner_b",
    "trainer_a",
    "trainer_b",
    "admin",
    "superuser",
)

W = Any  # tests.security.world.World


def _pk(get: Callable[[W], Any]) -> Callable[[W], dict[str, Any]]:
    return lambda w: {"pk": get(w).pk}


NO_ARGS: Callable[[W], dict[str, Any]] = lambda w: {}  # noqa: E731

# URL name -> keyword arguments (built from the world)
PAGE_ARGS: dict[str, Callable[[W], dict[str, Any]]] = {
    "healthz": NO_ARGS,
    "set_language": NO_ARGS,
    "accounts:login": NO_ARGS,
    "accounts:logout": NO_ARGS,
    "accounts:password-change": NO_ARGS,
    "accounts:password-change-done": NO_ARGS,
    "accounts:password-reset": NO_ARGS,
    "accounts:password-reset-done": NO_ARGS,
    "accounts:password-reset-confirm": lambda w: {"uidb64": "MQ", "token": "abc-def"},
    "jwks": NO_ARGS,
    "certificate-issuer": lambda w: {"pk": w.certificate.issuing_unit_id},
    "certificate-status-list": lambda w: {"pk": w.certificate.issuing_unit_id, "number": 0},
    "api-schema": NO_ARGS,
    "api-docs": NO_ARGS,
    "api-root": NO_ARGS,
    "certificate-verify-form": NO_ARGS,
    "certificate-verify": lambda w: {"code": w.certificate.code},
    "frontend:dashboard": NO_ARGS,
    "frontend:unit-list": NO_ARGS,
    "frontend:unit-create": NO_ARGS,
    "frontend:unit-detail": lambda w: {"pk": w.cast.cell_a1.pk},
    "frontend:unit-edit": lambda w: {"pk": w.cast.cell_a1.pk},
    "frontend:user-list": NO_ARGS,
    "frontend:user-create": NO_ARGS,
    "frontend:user-import": NO_ARGS,
    "frontend:user-import-template": NO_ARGS,
    "frontend:user-edit": lambda w: {"pk": w.cast.learner.pk},
    "frontend:user-deactivate": lambda w: {"pk": w.cast.learner.pk},
    "frontend:audit-list": NO_ARGS,
    "frontend:course-list": NO_ARGS,
    "frontend:course-detail": _pk(lambda w: w.course),
    "frontend:course-enrol": _pk(lambda w: w.course),
    "frontend:lesson-detail": _pk(lambda w: w.lesson),
    "frontend:lesson-done": _pk(lambda w: w.lesson),
    "frontend:attachment-download": _pk(lambda w: w.attachment),
    "frontend:notices-read": NO_ARGS,
    "frontend:course-enrolments": _pk(lambda w: w.course),
    "frontend:enrolment-unenrol": lambda w: {
        "pk": w.course.enrollments.get(user=w.cast.learner).pk
    },
    "frontend:authoring-list": NO_ARGS,
    "frontend:authoring-course-create": NO_ARGS,
    "frontend:authoring-course": _pk(lambda w: w.course),
    "frontend:authoring-course-edit": _pk(lambda w: w.course),
    "frontend:authoring-course-status": _pk(lambda w: w.course),
    "frontend:authoring-module-add": _pk(lambda w: w.course),
    "frontend:authoring-module-edit": lambda w: {"pk": w.course.pk, "module_pk": w.module.pk},
    "frontend:authoring-module-move": lambda w: {"pk": w.course.pk, "module_pk": w.module.pk},
    "frontend:authoring-module-delete": lambda w: {"pk": w.course.pk, "module_pk": w.module.pk},
    "frontend:authoring-lesson-create": lambda w: {"pk": w.course.pk, "module_pk": w.module.pk},
    "frontend:authoring-lesson-edit": lambda w: {"pk": w.course.pk, "lesson_pk": w.lesson.pk},
    "frontend:authoring-lesson-move": lambda w: {"pk": w.course.pk, "lesson_pk": w.lesson.pk},
    "frontend:authoring-lesson-delete": lambda w: {"pk": w.course.pk, "lesson_pk": w.lesson.pk},
    "frontend:authoring-attachment-add": lambda w: {"pk": w.course.pk, "lesson_pk": w.lesson.pk},
    "frontend:authoring-attachment-delete": lambda w: {
        "pk": w.course.pk,
        "attachment_pk": w.attachment.pk,
    },
    "frontend:session-list": NO_ARGS,
    "frontend:session-create": NO_ARGS,
    "frontend:session-calendar": NO_ARGS,
    "frontend:session-detail": _pk(lambda w: w.session),
    "frontend:session-edit": _pk(lambda w: w.session),
    "frontend:session-cancel": _pk(lambda w: w.session),
    "frontend:session-respond": _pk(lambda w: w.session),
    "frontend:material-add": _pk(lambda w: w.session),
    "frontend:profile": NO_ARGS,
    "frontend:checkin-scan": _pk(lambda w: w.session),
    "frontend:checkin-screen": _pk(lambda w: w.session),
    "frontend:checkin-scanner": _pk(lambda w: w.session),
    "frontend:roll-call": _pk(lambda w: w.session),
    "frontend:roll-call-edit": lambda w: {"pk": w.session.pk, "user_pk": w.cast.learner.pk},
    "frontend:material-download": _pk(lambda w: w.material),
    "frontend:material-delete": _pk(lambda w: w.material),
    "frontend:attendance-rules": _pk(lambda w: w.course),
    "training:calendar-feed": lambda w: {"token": w.cast.learner.calendar_feed.token},
    "frontend:my-certificates": NO_ARGS,
    "frontend:certificate-pdf": _pk(lambda w: w.certificate),
    "frontend:certificate-credential": _pk(lambda w: w.certificate),
    "frontend:certificate-revoke": _pk(lambda w: w.certificate),
    "frontend:certificate-reissue": _pk(lambda w: w.certificate),
    "frontend:certificate-keep": _pk(lambda w: w.certificate),
    "frontend:certificate-register": NO_ARGS,
    "frontend:certificate-register-xlsx": NO_ARGS,
    "frontend:certificate-register-zip": NO_ARGS,
    "frontend:certificate-export": _pk(lambda w: w.certificate_export),
    "frontend:certificate-export-download": _pk(lambda w: w.certificate_export),
    "frontend:reports": NO_ARGS,
    "frontend:report-review": NO_ARGS,
    "frontend:report-gradebook": _pk(lambda w: w.course),
    "frontend:report-learner": lambda w: {"course_pk": w.course.pk, "user_pk": w.cast.learner.pk},
    "frontend:report-unit": lambda w: {"pk": w.cast.cell_a1.pk},
    "frontend:report-statistics": _pk(lambda w: w.quiz),
    "frontend:report-monitor": _pk(lambda w: w.quiz),
    "frontend:report-attempt": _pk(lambda w: w.attempts["learner"]),
    "frontend:report-attempt-override": _pk(lambda w: w.attempts["learner"]),
    "frontend:report-export-create": NO_ARGS,
    "frontend:report-export": _pk(lambda w: w.export),
    "frontend:report-export-download": _pk(lambda w: w.export),
    "frontend:certificate-settings-list": NO_ARGS,
    "frontend:certificate-settings": _pk(lambda w: w.cert_course),
    "frontend:certificate-settings-preview": _pk(lambda w: w.cert_course),
    "frontend:quiz-start": _pk(lambda w: w.quiz),
    "frontend:quiz-attempt-start": _pk(lambda w: w.quiz),
    "frontend:quiz-attempt": _pk(lambda w: w.attempts["learner"]),
    "frontend:quiz-flag": lambda w: {"pk": w.attempts["learner"].pk, "slot_pk": w.essay_slot().pk},
    "frontend:quiz-page": _pk(lambda w: w.attempts["learner"]),
    "frontend:quiz-summary": _pk(lambda w: w.attempts["learner"]),
    "frontend:quiz-submit": _pk(lambda w: w.attempts["learner"]),
    "frontend:quiz-result": _pk(lambda w: w.attempts["learner"]),
    "frontend:quiz-bank": NO_ARGS,
    "frontend:quiz-category-create": NO_ARGS,
    "frontend:quiz-question-create": NO_ARGS,
    "frontend:quiz-question-edit": _pk(lambda w: w.single),
    "frontend:quiz-question-fix-key": _pk(lambda w: w.single),
    "frontend:quiz-question-media": lambda w: {"pk": w.media.question_id, "name": w.media.name},
    "frontend:quiz-bank-import": NO_ARGS,
    "frontend:quiz-bank-import-confirm": NO_ARGS,
    "frontend:quiz-bank-template": NO_ARGS,
    "frontend:quiz-bank-export": lambda w: {"fmt": "gift"},
    "frontend:quiz-manage": NO_ARGS,
    "frontend:quiz-create": NO_ARGS,
    "frontend:quiz-builder": _pk(lambda w: w.quiz),
    "frontend:quiz-edit": _pk(lambda w: w.quiz),
    "frontend:quiz-override": _pk(lambda w: w.quiz),
    "frontend:quiz-item-delete": lambda w: {"pk": w.quiz.pk, "item_pk": w.quiz.items.first().pk},
    "frontend:quiz-add-questions": _pk(lambda w: w.quiz),
    "frontend:quiz-add-random": _pk(lambda w: w.quiz),
    "frontend:quiz-pool": _pk(lambda w: w.quiz),
    "frontend:quiz-preview": _pk(lambda w: w.quiz),
    "frontend:quiz-reorder": _pk(lambda w: w.quiz),
    "frontend:quiz-max-grade": _pk(lambda w: w.quiz),
    "frontend:quiz-item-update": lambda w: {"pk": w.quiz.pk, "item_pk": w.quiz.items.first().pk},
    "frontend:quiz-item-move": lambda w: {"pk": w.quiz.pk, "item_pk": w.quiz.items.first().pk},
    "frontend:grading-queue": NO_ARGS,
    "frontend:grading-attempt": _pk(lambda w: w.attempts["learner"]),
    "frontend:grading-slot": _pk(lambda w: w.essay_slot()),
    # evaluation surveys, attendance sheets, attendance drill-down (issue 19)
    "frontend:survey-fill": _pk(lambda w: w.survey),
    "frontend:course-surveys": _pk(lambda w: w.course),
    "frontend:survey-edit": _pk(lambda w: w.survey),
    "frontend:survey-question-delete": lambda w: {
        "pk": w.survey.pk,
        "question_pk": w.survey.questions.last().pk,
    },
    "frontend:survey-results": _pk(lambda w: w.survey),
    "frontend:survey-results-xlsx": _pk(lambda w: w.survey),
    "frontend:session-sheet-xlsx": _pk(lambda w: w.survey.session),
    "frontend:session-sheet-pdf": _pk(lambda w: w.survey.session),
    "frontend:report-unit-attendance": lambda w: {"pk": w.cast.cell_a1.pk},
}


def _audit_entry(w: W) -> Any:
    from accounts.models import AuditLog

    return AuditLog.objects.filter(unit=w.cast.cell_a1).earliest("pk")


def _enrolment(w: W) -> Any:
    return w.course.enrollments.get(user=w.cast.learner)


# {name} in an API path -> its value
API_PARAMS: dict[str, dict[str, Callable[[W], Any]]] = {
    "/api/attempts/": {
        "id": lambda w: w.attempts["learner"].pk,
        "slot": lambda w: w.essay_slot().pk,
    },
    "/api/certificates/verify/": {"code": lambda w: w.certificate.code},
    "/api/certificates/": {"id": lambda w: w.certificate.pk},
    "/api/courses/": {"id": lambda w: w.course.pk},
    "/api/enrollments/": {"id": lambda w: _enrolment(w).pk},
    "/api/grading/": {"id": lambda w: w.attempts["learner"].pk},
    "/api/exports/": {"id": lambda w: w.export.pk},
    "/api/lessons/": {"id": lambda w: w.lesson.pk},
    "/api/sessions/": {"id": lambda w: w.session.pk},
    "/api/modules/": {"id": lambda w: w.module.pk},
    "/api/question-categories/": {"id": lambda w: w.single.category_id},
    "/api/questions/": {"id": lambda w: w.single.pk},
    "/api/quizzes/": {"id": lambda w: w.quiz.pk, "item_id": lambda w: w.quiz.items.first().pk},
    "/api/units/": {"id": lambda w: w.cast.cell_a1.pk},
    "/api/users/": {"id": lambda w: w.cast.learner.pk},
    "/api/audit/": {"id": lambda w: _audit_entry(w).pk},
    "/api/surveys/": {"id": lambda w: w.survey.pk},
}


def api_url(w: W, path: str) -> str:
    prefix = max((p for p in API_PARAMS if path.startswith(p)), key=len, default="")
    values = {k: f(w) for k, f in API_PARAMS.get(prefix, {}).items()}
    return path.format(**values)


# URL name -> (GET, POST with an empty form), one code per role in ROLES order.
PAGES: dict[str, tuple[str, str]] = {
    # public
    "healthz": ("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),
    "set_language": ("302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302"),
    "accounts:login": ("200 302 302 302 302 302 302 302", "200 302 302 302 302 302 302 302"),
    "accounts:logout": ("405 405 405 405 405 405 405 405", "L L L L L L L L"),
    "accounts:password-reset": (
        "200 200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200 200",
    ),
    "accounts:password-reset-done": (
        "200 200 200 200 200 200 200 200",
        "405 405 405 405 405 405 405 405",
    ),
    "accounts:password-reset-confirm": (
        "200 200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200 200",
    ),
    "jwks": ("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),
    # public, for verifiers: the issuing unit's Open Badges profile and revocation list
    "certificate-issuer": ("200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405"),
    "certificate-status-list": (
        "200 200 200 200 200 200 200 200",
        "405 405 405 405 405 405 405 405",
    ),
    "api-schema": ("200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405"),
    "api-docs": ("200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405"),
    "api-root": ("401 200 200 200 200 200 200 200", "401 405 405 405 405 405 405 405"),
    "certificate-verify-form": (
        "200 200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200 200",
    ),
    "certificate-verify": ("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),
    # signed in
    "accounts:password-change": ("L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"),
    "accounts:password-change-done": (
        "L 200 200 200 200 200 200 200",
        "L 405 405 405 405 405 405 405",
    ),
    "frontend:dashboard": ("L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"),
    "frontend:notices-read": ("L 405 405 405 405 405 405 405", "L 302 302 302 302 302 302 302"),
    # people (trainers read their subtree, admins write)
    "frontend:unit-list": ("L 403 403 403 200 200 200 200", "L 403 403 403 200 200 200 200"),
    "frontend:unit-create": ("L 403 403 403 403 403 200 200", "L 403 403 403 403 403 200 200"),
    "frontend:unit-detail": ("L 403 403 403 200 404 200 200", "L 403 403 403 200 404 200 200"),
    "frontend:unit-edit": ("L 403 403 403 403 403 200 200", "L 403 403 403 403 403 200 200"),
    "frontend:user-list": ("L 403 403 403 200 200 200 200", "L 403 403 403 200 200 200 200"),
    "frontend:user-create": ("L 403 403 403 403 403 200 200", "L 403 403 403 403 403 200 200"),
    "frontend:user-import": ("L 403 403 403 403 403 200 200", "L 403 403 403 403 403 200 200"),
    "frontend:user-import-template": (
        "L 403 403 403 403 403 200 200",
        "L 405 405 405 405 405 405 405",
    ),
    "frontend:user-edit": ("L 403 403 403 403 403 200 200", "L 403 403 403 403 403 200 200"),
    "frontend:user-deactivate": ("L 405 405 405 405 405 405 405", "L 403 403 403 403 403 302 302"),
    "frontend:audit-list": ("L 403 403 403 403 403 200 200", "L 403 403 403 403 403 200 200"),
    # courses: published content is readable by everyone signed in (all three learners are
    # enrolled); progress and enrolment are per person.
    "frontend:course-list": ("L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"),
    "frontend:course-detail": ("L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"),
    "frontend:course-enrol": ("L 405 405 405 405 405 405 405", "L 302 302 302 302 302 302 302"),
    "frontend:lesson-detail": ("L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"),
    "frontend:lesson-done": ("L 405 405 405 405 405 405 405", "L 302 302 302 302 302 302 302"),
    "frontend:attachment-download": (
        "L 200 200 200 200 200 200 200",
        "L 200 200 200 200 200 200 200",
    ),
    # trainers enrol into the courses they author (trainer B sees unit A's course,
    # and who can enrol into it)
    "frontend:course-enrolments": (
        "L 403 403 403 200 200 200 200",
        "L 403 403 403 200 403 200 200",
    ),
    "frontend:enrolment-unenrol": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    # authoring: the course belongs to unit A
    "frontend:authoring-list": ("L 403 403 403 200 200 200 200", "L 403 403 403 200 200 200 200"),
    "frontend:authoring-course-create": (
        "L 403 403 403 200 200 200 200",
        "L 403 403 403 200 200 200 200",
    ),
    "frontend:authoring-course": ("L 403 403 403 200 404 200 200", "L 403 403 403 200 404 200 200"),
    "frontend:authoring-course-edit": (
        "L 403 403 403 200 404 200 200",
        "L 403 403 403 200 404 200 200",
    ),
    "frontend:authoring-course-status": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    "frontend:authoring-module-add": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    "frontend:authoring-module-edit": (
        "L 403 403 403 200 404 200 200",
        "L 403 403 403 200 404 200 200",
    ),
    "frontend:authoring-module-move": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    "frontend:authoring-module-delete": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    "frontend:authoring-lesson-create": (
        "L 403 403 403 200 404 200 200",
        "L 403 403 403 200 404 200 200",
    ),
    "frontend:authoring-lesson-edit": (
        "L 403 403 403 200 404 200 200",
        "L 403 403 403 200 404 200 200",
    ),
    "frontend:authoring-lesson-move": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    "frontend:authoring-lesson-delete": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    "frontend:authoring-attachment-add": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    "frontend:authoring-attachment-delete": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    # training sessions: a session of unit A's course inviting cell A1 (the learner
    # registered); learner B is not invited (404), trainer B has it out of scope (404).
    # Any learner may answer invitations (POST without a reason declines nothing: 302).
    "frontend:session-list": ("L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "frontend:session-create": ("L 403 403 403 200 200 200 200", "L 403 403 403 200 200 200 200"),
    "frontend:session-calendar": (
        "L 200 200 200 200 200 200 200",
        "L 302 302 302 302 302 302 302",
    ),
    "frontend:session-detail": ("L 200 200 404 200 404 200 200", "L 405 405 405 405 405 405 405"),
    "frontend:session-edit": ("L 403 403 403 200 404 200 200", "L 403 403 403 200 404 200 200"),
    "frontend:session-cancel": ("L 403 403 403 200 404 200 200", "L 403 403 403 200 404 200 200"),
    "frontend:session-respond": (
        "L 405 405 405 405 405 405 405",
        "L 302 302 404 302 404 302 302",
    ),
    "frontend:material-add": ("L 405 405 405 405 405 405 405", "L 403 403 403 302 404 302 302"),
    # attendance (checkin): the personal QR on everyone's profile; the URL in the QR
    # without its token is refused to all (400, no login asked); the session's
    # trainers and admins run the screen, scanner and roll-call (404 to others); an
    # empty roll-call form comes back with its errors (200).
    "frontend:profile": ("L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "frontend:checkin-scan": (
        "400 400 400 400 400 400 400 400",
        "405 405 405 405 405 405 405 405",
    ),
    "frontend:checkin-screen": (
        "L 404 404 404 200 404 200 200",
        "L 405 405 405 405 405 405 405",
    ),
    "frontend:checkin-scanner": (
        "L 404 404 404 200 404 200 200",
        "L 405 405 405 405 405 405 405",
    ),
    "frontend:roll-call": ("L 404 404 404 200 404 200 200", "L 405 405 405 405 405 405 405"),
    "frontend:roll-call-edit": (
        "L 404 404 404 200 404 200 200",
        "L 404 404 404 200 404 200 200",
    ),
    "frontend:material-download": (
        "L 200 200 404 200 404 200 200",
        "L 200 200 404 200 404 200 200",
    ),
    "frontend:material-delete": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    "frontend:attendance-rules": (
        "L 403 403 403 200 404 200 200",
        "L 403 403 403 200 404 200 200",
    ),
    # the calendar feed: its long random token is the credential (calendar apps cannot log in)
    "training:calendar-feed": (
        "200 200 200 200 200 200 200 200",
        "405 405 405 405 405 405 405 405",
    ),
    # certificates: the learner's own; trainers and admins in scope; exports are personal
    "frontend:my-certificates": ("L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"),
    "frontend:certificate-pdf": ("L 200 404 404 200 404 200 200", "L 200 404 404 200 404 200 200"),
    "frontend:certificate-credential": (
        "L 200 404 404 200 404 200 200",
        "L 200 404 404 200 404 200 200",
    ),
    "frontend:certificate-revoke": (
        "L 403 403 403 403 403 200 200",
        "L 403 403 403 403 403 400 400",
    ),
    "frontend:certificate-reissue": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 403 403 302 302",
    ),
    "frontend:certificate-keep": ("L 405 405 405 405 405 405 405", "L 403 403 403 403 403 302 302"),
    "frontend:certificate-register": (
        "L 403 403 403 403 403 200 200",
        "L 403 403 403 403 403 200 200",
    ),
    "frontend:certificate-register-xlsx": (
        "L 403 403 403 403 403 200 200",
        "L 403 403 403 403 403 200 200",
    ),
    "frontend:certificate-register-zip": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 403 403 302 302",
    ),
    "frontend:certificate-export": (
        "L 403 403 403 403 403 200 404",
        "L 403 403 403 403 403 200 404",
    ),
    "frontend:certificate-export-download": (
        "L 403 403 403 403 403 200 404",
        "L 403 403 403 403 403 200 404",
    ),
    # reports: learners never see them (404); trainer B sees the course's gradebook, limited
    # to unit B (checked by content below), but no object of unit A
    "frontend:reports": ("L 404 404 404 200 200 200 200", "L 404 404 404 200 200 200 200"),
    "frontend:report-review": ("L 404 404 404 200 200 200 200", "L 404 404 404 200 200 200 200"),
    "frontend:report-gradebook": ("L 404 404 404 200 200 200 200", "L 404 404 404 200 200 200 200"),
    "frontend:report-learner": ("L 404 404 404 200 404 200 200", "L 404 404 404 200 404 200 200"),
    "frontend:report-unit": ("L 404 404 404 200 404 200 200", "L 404 404 404 200 404 200 200"),
    "frontend:report-statistics": (
        "L 404 404 404 200 404 200 200",
        "L 404 404 404 200 404 200 200",
    ),
    "frontend:report-monitor": ("L 404 404 404 200 404 200 200", "L 404 404 404 200 404 200 200"),
    "frontend:report-attempt": ("L 404 404 404 200 404 200 200", "L 404 404 404 200 404 200 200"),
    "frontend:report-attempt-override": (
        "L 405 405 405 405 405 405 405",
        "L 404 404 404 302 404 302 302",
    ),
    "frontend:report-export-create": (
        "L 405 405 405 405 405 405 405",
        "L 404 404 404 302 302 302 302",
    ),
    "frontend:report-export": ("L 404 404 404 200 404 404 404", "L 404 404 404 200 404 404 404"),
    "frontend:report-export-download": (
        "L 404 404 404 200 404 404 404",
        "L 404 404 404 200 404 404 404",
    ),
    # evaluation surveys (issue 19): the learner attended the session, so only they may fill
    # it (an empty form: 400); unit A's course, so trainer A, the admin and the superuser
    # author it and read its results; below 5 answers the XLSX sends back to the page
    "frontend:survey-fill": ("L 200 404 404 404 404 404 404", "L 400 404 404 404 404 404 404"),
    "frontend:course-surveys": ("L 404 404 404 200 404 200 200", "L 404 404 404 200 404 200 200"),
    "frontend:survey-edit": ("L 404 404 404 200 404 200 200", "L 404 404 404 200 404 200 200"),
    "frontend:survey-question-delete": (
        "L 405 405 405 405 405 405 405",
        "L 404 404 404 302 404 302 302",
    ),
    "frontend:survey-results": ("L 404 404 404 200 404 200 200", "L 404 404 404 200 404 200 200"),
    "frontend:survey-results-xlsx": (
        "L 404 404 404 302 404 302 302",
        "L 404 404 404 302 404 302 302",
    ),
    # the session's attendance sheet: trainers of the session's scope
    "frontend:session-sheet-xlsx": (
        "L 404 404 404 200 404 200 200",
        "L 404 404 404 200 404 200 200",
    ),
    "frontend:session-sheet-pdf": (
        "L 404 404 404 200 404 200 200",
        "L 404 404 404 200 404 200 200",
    ),
    # attendance drill-down of the unit report: without a course, back to the unit report
    "frontend:report-unit-attendance": (
        "L 404 404 404 302 404 302 302",
        "L 404 404 404 302 404 302 302",
    ),
    # quizzes: the learner's attempt (finished), the bank and quiz of unit A; certificate
    # settings of unit A's course (pages of other engineers, added as they landed)
    "frontend:certificate-settings-list": (
        "L 403 403 403 200 200 200 200",
        "L 403 403 403 200 200 200 200",
    ),
    "frontend:certificate-settings": (
        "L 404 404 404 200 404 200 200",
        "L 404 404 404 200 404 200 200",
    ),
    "frontend:certificate-settings-preview": (
        "L 404 404 404 200 404 200 200",
        "L 404 404 404 200 404 200 200",
    ),
    "frontend:quiz-start": ("L 200 200 200 200 404 200 200", "L 200 200 200 200 404 200 200"),
    "frontend:quiz-attempt-start": (
        "L 405 405 405 405 405 405 405",
        "L 302 302 302 302 404 302 302",
    ),
    "frontend:quiz-attempt": ("L 302 404 404 404 404 404 404", "L 302 404 404 404 404 404 404"),
    "frontend:quiz-flag": ("L 405 405 405 405 405 405 405", "L 404 404 404 404 404 404 404"),
    "frontend:quiz-page": ("L 405 405 405 405 405 405 405", "L 404 404 404 404 404 404 404"),
    "frontend:quiz-summary": ("L 302 404 404 404 404 404 404", "L 302 404 404 404 404 404 404"),
    "frontend:quiz-submit": ("L 405 405 405 405 405 405 405", "L 302 404 404 404 404 404 404"),
    "frontend:quiz-result": ("L 200 404 404 404 404 404 404", "L 200 404 404 404 404 404 404"),
    "frontend:quiz-bank": ("L 403 403 403 200 200 200 200", "L 403 403 403 200 200 200 200"),
    "frontend:quiz-category-create": (
        "L 403 403 403 200 200 200 200",
        "L 403 403 403 200 200 200 200",
    ),
    "frontend:quiz-question-create": (
        "L 403 403 403 200 200 200 200",
        "L 403 403 403 200 200 200 200",
    ),
    "frontend:quiz-question-edit": (
        "L 403 403 403 200 404 200 200",
        "L 403 403 403 200 404 200 200",
    ),
    "frontend:quiz-question-fix-key": (
        "L 403 403 403 200 404 200 200",
        "L 403 403 403 200 404 200 200",
    ),
    # a question's image: to learners with an attempt holding it (this question is in no
    # quiz, so none of them) and to trainers whose bank includes it; 404 to anyone else
    "frontend:quiz-question-media": (
        "L 404 404 404 200 404 200 200",
        "L 405 405 405 405 405 405 405",
    ),
    "frontend:quiz-bank-import": ("L 403 403 403 200 200 200 200", "L 403 403 403 200 200 200 200"),
    # importing from the preview: without a valid token of one's own, back to the upload page
    "frontend:quiz-bank-import-confirm": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 302 302 302",
    ),
    "frontend:quiz-bank-template": (
        "L 403 403 403 200 200 200 200",
        "L 405 405 405 405 405 405 405",
    ),
    "frontend:quiz-bank-export": ("L 403 403 403 404 404 404 404", "L 403 403 403 404 404 404 404"),
    "frontend:quiz-manage": ("L 403 403 403 200 200 200 200", "L 403 403 403 200 200 200 200"),
    "frontend:quiz-create": ("L 403 403 403 200 200 200 200", "L 403 403 403 200 200 200 200"),
    "frontend:quiz-builder": ("L 403 403 403 200 404 200 200", "L 403 403 403 200 404 200 200"),
    "frontend:quiz-edit": ("L 403 403 403 200 404 200 200", "L 403 403 403 200 404 200 200"),
    "frontend:quiz-override": ("L 405 405 405 405 405 405 405", "L 403 403 403 302 404 302 302"),
    "frontend:quiz-item-delete": ("L 405 405 405 405 405 405 405", "L 403 403 403 302 404 302 302"),
    # the builder: bank panel, random slots, order, points, maximum grade, preview attempt
    "frontend:quiz-add-questions": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 302 404 302 302",
    ),
    "frontend:quiz-add-random": ("L 405 405 405 405 405 405 405", "L 403 403 403 302 404 302 302"),
    "frontend:quiz-pool": ("L 403 403 403 200 404 200 200", "L 405 405 405 405 405 405 405"),
    "frontend:quiz-preview": ("L 405 405 405 405 405 405 405", "L 403 403 403 302 404 302 302"),
    "frontend:quiz-reorder": ("L 405 405 405 405 405 405 405", "L 403 403 403 302 404 302 302"),
    "frontend:quiz-max-grade": ("L 405 405 405 405 405 405 405", "L 403 403 403 302 404 302 302"),
    "frontend:quiz-item-update": ("L 405 405 405 405 405 405 405", "L 403 403 403 302 404 302 302"),
    "frontend:quiz-item-move": ("L 405 405 405 405 405 405 405", "L 403 403 403 302 404 302 302"),
    "frontend:grading-queue": ("L 403 403 403 200 200 200 200", "L 403 403 403 200 200 200 200"),
    "frontend:grading-attempt": ("L 403 403 403 200 404 200 200", "L 405 405 405 405 405 405 405"),
    "frontend:grading-slot": ("L 405 405 405 405 405 405 405", "L 403 403 403 302 404 302 302"),
}


# "METHOD /api/path" -> one code per role; writes are sent with API_BODIES (or {}) and
# rolled back.
API: dict[str, str] = {
    "GET /api/me/": "401 200 200 200 200 200 200 200",
    "POST /api/auth/token/": "400 400 400 400 400 400 400 400",
    # people and units
    "GET /api/units/": "401 200 200 200 200 200 200 200",
    "POST /api/units/": "401 403 403 403 403 403 400 400",
    "GET /api/units/{id}/": "401 200 200 404 200 404 200 200",
    "PUT /api/units/{id}/": "401 403 403 403 403 403 400 400",
    "PATCH /api/units/{id}/": "401 403 403 403 403 403 200 200",
    "DELETE /api/units/{id}/": "401 403 403 403 403 403 400 400",
    "GET /api/units/{id}/report/": "401 404 404 404 400 404 400 400",
    "GET /api/users/": "401 200 200 200 200 200 200 200",
    "POST /api/users/": "401 403 403 403 403 403 400 400",
    "GET /api/users/{id}/": "401 200 404 404 200 404 200 200",
    "PUT /api/users/{id}/": "401 403 403 403 403 403 400 400",
    "PATCH /api/users/{id}/": "401 403 403 403 403 403 200 200",
    "DELETE /api/users/{id}/": "401 403 403 403 403 403 204 204",
    "GET /api/audit/": "401 403 403 403 403 403 200 200",
    "GET /api/audit/{id}/": "401 403 403 403 403 403 200 200",
    # training sessions: cell A1 invited (learner registered; learner B not invited)
    "GET /api/sessions/": "401 200 200 200 200 200 200 200",
    "POST /api/sessions/": "401 403 403 403 400 400 400 400",
    "GET /api/sessions/{id}/": "401 200 200 404 200 404 200 200",
    "PUT /api/sessions/{id}/": "401 403 403 403 400 404 400 400",
    "PATCH /api/sessions/{id}/": "401 403 403 403 200 404 200 200",
    "DELETE /api/sessions/{id}/": "401 403 403 403 400 404 400 400",
    "POST /api/sessions/{id}/register/": "401 200 200 404 403 404 403 403",
    "POST /api/sessions/{id}/cancel/": "401 403 403 403 400 404 400 400",
    "GET /api/sessions/{id}/ics/": "401 200 200 404 200 404 200 200",
    # check-in: an empty body is refused (400) to anyone signed in; the attendance
    # list: trainers of the session see all, an invited learner their own row
    "POST /api/sessions/{id}/check-in/": "401 400 400 400 400 400 400 400",
    "GET /api/sessions/{id}/attendance/": "401 200 200 404 200 404 200 200",
    # courses of unit A (all three learners enrolled)
    "GET /api/courses/": "401 200 200 200 200 200 200 200",
    "POST /api/courses/": "401 403 403 403 400 400 400 400",
    "GET /api/courses/{id}/": "401 200 200 200 200 200 200 200",
    "PUT /api/courses/{id}/": "401 403 403 403 400 400 400 400",
    "PATCH /api/courses/{id}/": "401 403 403 403 200 403 200 200",
    "DELETE /api/courses/{id}/": "401 403 403 403 400 403 400 400",
    "POST /api/courses/{id}/enroll/": "401 200 200 200 403 403 403 403",
    "POST /api/courses/{id}/enroll-unit/": "401 403 403 403 400 403 400 400",
    "GET /api/courses/{id}/gradebook/": "401 404 404 404 200 200 200 200",
    "GET /api/courses/{id}/modules/": "401 200 200 200 200 200 200 200",
    "POST /api/courses/{id}/modules/": "401 403 403 403 400 400 400 400",
    "GET /api/courses/{id}/progress/": "401 200 200 200 404 404 404 404",
    "GET /api/modules/{id}/": "401 200 200 200 200 200 200 200",
    "PUT /api/modules/{id}/": "401 403 403 403 400 400 400 400",
    "PATCH /api/modules/{id}/": "401 403 403 403 200 403 200 200",
    "DELETE /api/modules/{id}/": "401 403 403 403 204 403 204 204",
    "POST /api/modules/{id}/lessons/": "401 403 403 403 400 400 400 400",
    "POST /api/modules/{id}/move/": "401 403 403 403 400 400 400 400",
    "GET /api/lessons/{id}/": "401 200 200 200 200 200 200 200",
    "PUT /api/lessons/{id}/": "401 403 403 403 400 400 400 400",
    "PATCH /api/lessons/{id}/": "401 403 403 403 200 403 200 200",
    "DELETE /api/lessons/{id}/": "401 403 403 403 204 403 204 204",
    "POST /api/lessons/{id}/complete/": "401 200 200 200 404 404 404 404",
    "POST /api/lessons/{id}/move/": "401 403 403 403 400 400 400 400",
    "GET /api/enrollments/": "401 200 200 200 200 200 200 200",
    "POST /api/enrollments/": "401 403 403 403 400 400 400 400",
    "GET /api/enrollments/{id}/": "401 200 404 404 200 404 200 200",
    "DELETE /api/enrollments/{id}/": "401 403 403 403 204 404 204 204",
    # question bank of unit A
    "GET /api/question-categories/": "401 403 403 403 200 200 200 200",
    "POST /api/question-categories/": "401 403 403 403 400 400 400 400",
    "GET /api/question-categories/{id}/": "401 403 403 403 200 404 200 200",
    "PUT /api/question-categories/{id}/": "401 403 403 403 400 404 400 400",
    "PATCH /api/question-categories/{id}/": "401 403 403 403 200 404 200 200",
    "DELETE /api/question-categories/{id}/": "401 403 403 403 400 404 400 400",
    "GET /api/questions/": "401 403 403 403 200 200 200 200",
    "POST /api/questions/": "401 403 403 403 400 400 400 400",
    "GET /api/questions/{id}/": "401 403 403 403 200 404 200 200",
    "PUT /api/questions/{id}/": "401 403 403 403 400 404 400 400",
    "PATCH /api/questions/{id}/": "401 403 403 403 200 404 200 200",
    "DELETE /api/questions/{id}/": "401 403 403 403 204 404 204 204",
    "POST /api/questions/{id}/fix-key/": "401 403 403 403 400 404 400 400",
    "POST /api/questions/import/": "401 403 403 403 415 415 415 415",
    "POST /api/questions/import/confirm/": "401 403 403 403 400 400 400 400",
    # quizzes and the learner's attempt (learners have used their one attempt: 409)
    "GET /api/quizzes/": "401 200 200 200 200 200 200 200",
    "POST /api/quizzes/": "401 403 403 403 400 400 400 400",
    "GET /api/quizzes/{id}/": "401 200 200 200 200 404 200 200",
    "PUT /api/quizzes/{id}/": "401 403 403 403 400 404 400 400",
    "PATCH /api/quizzes/{id}/": "401 403 403 403 200 404 200 200",
    "DELETE /api/quizzes/{id}/": "401 403 403 403 400 404 400 400",
    "POST /api/quizzes/{id}/attempts/": "401 409 409 409 201 404 201 201",
    "GET /api/quizzes/{id}/statistics/": "401 404 404 404 200 404 200 200",
    # the builder (trainers who may edit the quiz; learners 403, trainer of B 404)
    "GET /api/quizzes/{id}/bank/": "401 403 403 403 200 404 200 200",
    "GET /api/quizzes/{id}/pool/": "401 403 403 403 400 404 400 400",
    "GET /api/quizzes/{id}/summary/": "401 403 403 403 200 404 200 200",
    "POST /api/quizzes/{id}/add-questions/": "401 403 403 403 400 404 400 400",
    "POST /api/quizzes/{id}/random-slots/": "401 403 403 403 400 404 400 400",
    "POST /api/quizzes/{id}/reorder/": "401 403 403 403 400 404 400 400",
    "PATCH /api/quizzes/{id}/items/{item_id}/": "401 403 403 403 200 404 200 200",
    "POST /api/quizzes/{id}/preview/": "401 403 403 403 201 404 201 201",
    "GET /api/attempts/{id}/": "401 200 404 404 404 404 404 404",
    "GET /api/attempts/{id}/review/": "401 200 404 404 404 404 404 404",
    "PUT /api/attempts/{id}/answers/{slot}/": "401 409 404 404 404 404 404 404",
    "POST /api/attempts/{id}/submit/": "401 200 404 404 404 404 404 404",
    "POST /api/attempts/{id}/grade/": "401 403 403 403 400 400 400 400",
    "POST /api/attempts/{id}/override/": "401 403 403 403 400 404 400 400",
    "GET /api/grading/": "401 403 403 403 200 200 200 200",
    "GET /api/grading/{id}/": "401 403 403 403 200 404 200 200",
    # certificates (the learner's) and exports (trainer A's, personal)
    "GET /api/certificates/": "401 200 200 200 200 200 200 200",
    "GET /api/certificates/{id}/": "401 200 404 404 200 404 200 200",
    "GET /api/certificates/{id}/credential/": "401 200 404 404 200 404 200 200",
    "GET /api/certificates/{id}/pdf/": "401 200 404 404 200 404 200 200",
    "POST /api/certificates/{id}/revoke/": "401 403 404 404 403 404 400 400",
    "GET /api/certificates/verify/{code}/": "200 200 200 200 200 200 200 200",
    "GET /api/exports/": "401 200 200 200 200 200 200 200",
    "POST /api/exports/": "401 404 404 404 400 400 400 400",
    "GET /api/exports/{id}/": "401 404 404 404 200 404 404 404",
    "GET /api/exports/{id}/download/": "401 404 404 404 200 404 404 404",
    # evaluation surveys: the learner attended the session (answers need a body: 400);
    # results for the course's authors and admins only
    "GET /api/surveys/": "401 200 200 200 200 200 200 200",
    "POST /api/surveys/": "401 403 403 403 400 400 400 400",
    "GET /api/surveys/{id}/": "401 200 404 404 200 404 200 200",
    "POST /api/surveys/{id}/responses/": "401 400 404 404 403 404 403 403",
    "GET /api/surveys/{id}/results/": "401 404 404 404 200 404 200 200",
}

API_BODIES: dict[str, dict[str, Any]] = {
    "POST /api/sessions/{id}/register/": {"answer": "register"},
    "PUT /api/attempts/{id}/answers/{slot}/": {"response": {"text": "x"}, "seq": 5},
}

# Responses that name their subject to anyone by design (public verification).
PUBLIC_BY_DESIGN = {"certificate-verify", "GET /api/certificates/verify/{code}/"}
