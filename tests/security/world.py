"""A small but complete world for adversarial tests, built through the projects' services.

One course of unit A with a quiz (single choice + essay) and an attachment, a
course of unit B, attempts by the learner, the other learner and the learner of
unit B, a certificate each for the learner and the learner of B, a report
export by trainer A and a certificate ZIP export by the admin.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile

from courses import authoring
from courses import services as course_services
from courses.certificates import register as certificate_register
from courses.certificates import services as certificate_services
from courses.certificates.models import Certificate, CertificateExport
from courses.models import Course, Lesson, LessonAttachment, Module
from courses.reports import exports as report_exports
from courses.reports.models import Export
from quizzes import media as question_media
from quizzes.models import Attempt, AttemptSlot, Question, QuestionType, Quiz, QuizItem
from quizzes.services import (
    create_question,
    ensure_category_path,
    save_answer,
    start_attempt,
    submit_attempt,
)

TEST_KEY = (
    Ed25519PrivateKey.generate()
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
)

# The smallest valid PNG: attachments are checked by content.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class World:
    cast: Any
    course: Course
    module: Module
    lesson: Lesson
    attachment: LessonAttachment
    quiz: Quiz
    single: Question
    essay: Question
    course_b: Course
    cert_course: Course
    attempts: dict[str, Attempt]
    certificate: Certificate
    certificate_b: Certificate
    export: Export
    certificate_export: CertificateExport
    survey: Any  # training.Survey of a past session of `course` the learner attended
    session: Any = None  # training session of the course, inviting cell A1
    material: Any = None
    media: Any = None  # quizzes.QuestionMedia of a bank question in no quiz

    def essay_slot(self, who: str = "learner") -> AttemptSlot:
        return self.attempts[who].slots.get(version__question=self.essay)


def configure(settings: Any, tmp_path: Any, monkeypatch: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CERTIFICATE_SIGNING_KEY = TEST_KEY
    settings.SITE_URL = "http://testserver"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setattr(certificate_services, "render_pdf", lambda doc: b"%PDF-1.7 test\n")


def take(
    user: Any, quiz: Quiz, choice: str = "a", essay: str = "Sinh hoạt chi bộ đều đặn."
) -> Attempt:
    attempt = start_attempt(user=user, quiz=quiz)
    for slot in attempt.slots.select_related("version"):
        qtype = slot.version.type
        response = {"choice": choice} if qtype == QuestionType.SINGLE else {"text": essay}
        save_answer(user=user, attempt_id=attempt.pk, slot_id=slot.pk, response=response, seq=1)
    return submit_attempt(attempt=attempt, user=user)


def _survey(cast: Any, course: Course) -> Any:
    """A past session of unit A's course, attended by the learner, with its survey."""
    from datetime import timedelta

    from django.utils import timezone

    from training.models import Attendance, Registration, TrainingSession
    from training.surveys.services import create_survey

    start = timezone.now() - timedelta(days=2)
    session = TrainingSession.objects.create(
        course=course,
        title="Buổi tập huấn có phiếu đánh giá",
        venue="Hội trường",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    session.invited_units.add(cast.unit_a)
    Registration.objects.create(session=session, user=cast.learner, status="registered")
    Attendance.objects.create(session=session, user=cast.learner, status="present")
    return create_survey(actor=cast.trainer_a, course=course, session=session)


def build(cast: Any, capture: Any) -> World:
    trainer = cast.trainer_a
    bank = ensure_category_path(path="An ninh/Nghị quyết 4", owner_unit=cast.unit_a)
    single = create_question(
        actor=trainer,
        category=bank,
        type=QuestionType.SINGLE,
        text="Nghị quyết Trung ương 4 khóa XII ban hành năm nào?",
        data={
            "choices": [
                {"id": "a", "text": "2016", "fraction": 1, "feedback": "Đúng."},
                {"id": "b", "text": "2017", "fraction": 0},
            ]
        },
    )
    essay = create_question(
        actor=trainer,
        category=bank,
        type=QuestionType.ESSAY,
        text="Nêu một biện pháp nâng cao chất lượng sinh hoạt chi bộ.",
        data={"rubric": "Biện pháp cụ thể."},
    )
    quiz = Quiz.objects.create(
        title="Kiểm tra học phần 1",
        owner_unit=cast.unit_a,
        created_by=trainer,
        shuffle_choices=False,
        pass_percent=Decimal(50),
    )
    QuizItem.objects.bulk_create(
        QuizItem(quiz=quiz, position=i, kind=QuizItem.Kind.FIXED, question=q)
        for i, q in enumerate([single, essay])
    )
    course = authoring.create_course(
        actor=trainer, code="AN01", title="Nghiệp vụ công tác Đảng", owner_unit=cast.unit_a
    )
    module = authoring.add_module(actor=trainer, course=course, title="Học phần 1", quiz=quiz)
    lesson = authoring.add_lesson(actor=trainer, module=module, title="Bài 1", body="Nội dung")
    attachment = authoring.add_attachment(
        actor=trainer, lesson=lesson, upload=SimpleUploadedFile("so-do.png", PNG, "image/png")
    )
    authoring.set_status(actor=trainer, course=course, status="published")

    course_b = authoring.create_course(
        actor=cast.trainer_b, code="BN01", title="Khóa học đơn vị B", owner_unit=cast.unit_b
    )
    authoring.add_module(actor=cast.trainer_b, course=course_b, title="Học phần B")
    authoring.set_status(actor=cast.trainer_b, course=course_b, status="published")

    cert_course = authoring.create_course(
        actor=trainer, code="CN01", title="Bồi dưỡng cấp ủy viên", owner_unit=cast.unit_a
    )
    cert_module = authoring.add_module(actor=trainer, course=cert_course, title="Học phần 1")
    cert_lesson = authoring.add_lesson(actor=trainer, module=cert_module, title="Bài 1", body="x")
    authoring.set_status(actor=trainer, course=cert_course, status="published")

    attempts = {}
    for who in ("learner", "other_learner", "learner_b"):
        user = getattr(cast, who)
        course_services.enrol_user(actor=cast.admin, user=user, course=course)
        with capture(execute=True):
            attempts[who] = take(user, quiz)
    with capture(execute=True):
        for who in ("learner", "learner_b"):
            user = getattr(cast, who)
            course_services.enrol_user(actor=cast.admin, user=user, course=cert_course)
            course_services.mark_lesson_done(
                user=user, lesson=Lesson.objects.get(pk=cert_lesson.pk)
            )
    with capture(execute=True):
        export = report_exports.start_export(
            actor=trainer, kind=Export.Kind.GRADEBOOK, params={"course": course.pk}
        )
        certificate_export = certificate_register.start_export(actor=cast.admin, course=cert_course)
    survey = _survey(cast, course)
    session, material = _training(cast, course)
    pictured = create_question(
        actor=trainer,
        category=bank,
        type=QuestionType.TRUE_FALSE,
        text="Sơ đồ ![Sơ đồ tổ chức](media:so-do.png) đúng không?",
        data={"answer": True},
    )
    (media,) = question_media.store(pictured, {"so-do.png": PNG}, pictured.current_version.text)
    return World(
        media=media,
        session=session,
        material=material,
        cast=cast,
        survey=survey,
        course=course,
        module=module,
        lesson=lesson,
        attachment=attachment,
        quiz=quiz,
        single=single,
        essay=essay,
        course_b=course_b,
        cert_course=cert_course,
        attempts={k: Attempt.objects.get(pk=v.pk) for k, v in attempts.items()},
        certificate=Certificate.objects.get(user=cast.learner, course=cert_course),
        certificate_b=Certificate.objects.get(user=cast.learner_b, course=cert_course),
        export=Export.objects.get(pk=export.pk),
        certificate_export=CertificateExport.objects.get(pk=certificate_export.pk),
    )


def _training(cast: Any, course: Course) -> tuple[Any, Any]:
    """A session of unit A's course inviting cell A1 (learner, other learner), with a
    handout; the learner registered."""
    from datetime import timedelta

    from django.utils import timezone

    from training import services as training_services

    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    session = training_services.create_session(
        actor=cast.trainer_a,
        course=course,
        data=training_services.SessionData(
            title="Quán triệt Nghị quyết",
            venue="Hội trường",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=10,
        ),
        invited_units=[cast.cell_a1],
    )
    material = training_services.add_material(
        actor=cast.trainer_a,
        session=session,
        title="Tài liệu",
        upload=SimpleUploadedFile("tai-lieu.png", PNG, "image/png"),
    )
    training_services.register(session=session, user=cast.learner)
    training_services.feed_for(cast.learner)
    return session, material


def xlsx_bytes(rows: list[list[Any]]) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
