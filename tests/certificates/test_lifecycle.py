"""After issue: a failing regrade flags or revokes; expiry reminds and re-enrols."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditLog
from courses import authoring
from courses import services as course_services
from courses.certificates.expiry import send_expiry_reminders
from courses.certificates.models import Certificate, CertificateSettings
from courses.certificates.services import issue_certificate, on_failed_regrade
from courses.models import Enrollment, Lesson, Notice
from quizzes.models import Quiz, QuizGrade
from quizzes.signals import quiz_grade_changed

pytestmark = pytest.mark.django_db


def _grade(user, quiz, percent: int, passed: bool) -> QuizGrade:  # type: ignore[no-untyped-def]
    grade, _ = QuizGrade.objects.update_or_create(
        user=user,
        quiz=quiz,
        defaults={
            "percent": Decimal(percent),
            "passed": passed,
            "passed_at": timezone.now() if passed else None,
        },
    )
    quiz_grade_changed.send(sender=QuizGrade, grade=grade)
    return grade


@pytest.fixture
def quiz_course(cast):  # type: ignore[no-untyped-def]
    quiz = Quiz.objects.create(title="Kiểm tra học phần 1", owner_unit=cast.unit_a)
    course = authoring.create_course(
        actor=cast.trainer_a, code="XDD02", title="Tự phê bình và phê bình", owner_unit=cast.unit_a
    )
    module = authoring.add_module(
        actor=cast.trainer_a, course=course, title="Học phần 1", quiz=quiz
    )
    authoring.add_lesson(actor=cast.trainer_a, module=module, title="Bài 1", body="Nội dung")
    authoring.set_status(actor=cast.trainer_a, course=course, status="published")
    course.refresh_from_db()
    return course, quiz


@pytest.fixture
def passed(cast, quiz_course, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    course, quiz = quiz_course
    course_services.enrol_user(actor=cast.admin, user=cast.learner, course=course)
    for lesson in Lesson.objects.filter(module__course=course):
        course_services.mark_lesson_done(user=cast.learner, lesson=lesson)
    assert not Certificate.objects.exists()  # the quiz is still to pass
    with django_capture_on_commit_callbacks(execute=True):
        _grade(cast.learner, quiz, 85, True)
    return Certificate.objects.get(user=cast.learner, course=course), quiz


def test_passing_the_quiz_completes_and_issues(passed):
    certificate, _quiz = passed
    assert certificate.status == "valid"
    assert certificate.score == Decimal(85)


def test_failing_regrade_flags_the_certificate_for_review(passed, cast, login):
    certificate, quiz = passed
    _grade(cast.learner, quiz, 40, False)
    certificate.refresh_from_db()
    assert certificate.status == "valid" and certificate.needs_review
    page = login(cast.admin).get("/certificates/register/", {"state": "review"}).content.decode()
    assert certificate.serial in page
    login(cast.admin).post(f"/certificates/{certificate.pk}/keep/")
    certificate.refresh_from_db()
    assert not certificate.needs_review


def test_failing_regrade_revokes_where_the_course_says_so(passed, cast, client):
    certificate, quiz = passed
    CertificateSettings.objects.create(course=certificate.course, on_failed_regrade="revoke")
    _grade(cast.learner, quiz, 40, False)
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert "chấm lại" in certificate.revocation_reason
    assert AuditLog.objects.filter(action=AuditLog.Action.CERTIFICATE_REVOKED).exists()
    assert "Đã thu hồi" in client.get(f"/verify/{certificate.display_code}").content.decode()


def test_failing_regrade_before_the_certificate_task_ran_flags_it(cast, quiz_course):
    course, quiz = quiz_course
    course_services.enrol_user(actor=cast.admin, user=cast.learner, course=course)
    for lesson in Lesson.objects.filter(module__course=course):
        course_services.mark_lesson_done(user=cast.learner, lesson=lesson)
    _grade(cast.learner, quiz, 85, True)
    completion = course_services.complete_after_pass(user_id=cast.learner.pk, quiz_id=quiz.pk)
    assert completion is not None and not Certificate.objects.exists()  # its task still queued

    _grade(cast.learner, quiz, 40, False)
    certificate = Certificate.objects.get(completion=completion)
    assert certificate.status == "valid" and certificate.needs_review

    assert issue_certificate(completion_id=completion.pk) == certificate  # the task, at last
    certificate.refresh_from_db()
    assert certificate.needs_review and Certificate.objects.count() == 1


def test_a_failed_attempt_with_nothing_completed_costs_one_query(
    quiz_course, cast, django_assert_num_queries
):
    """Every failed submit of an exam wave comes through here."""
    _course, quiz = quiz_course
    with django_assert_num_queries(1):
        assert on_failed_regrade(user_id=cast.learner.pk, quiz_id=quiz.pk) == []


def test_regrade_of_someone_else_or_a_pass_changes_nothing(passed, cast):
    certificate, quiz = passed
    _grade(cast.learner, quiz, 95, True)
    _grade(cast.other_learner, quiz, 10, False)
    certificate.refresh_from_db()
    assert certificate.status == "valid" and not certificate.needs_review


def test_expiry_reminds_learner_and_unit_admin_once_and_reenrols(certificate, cast):
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=today + timedelta(days=40))
    assert send_expiry_reminders(today=today) == 0  # default: 30 days before
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=today + timedelta(days=20))
    mail.outbox.clear()
    assert send_expiry_reminders(today=today) == 1
    assert send_expiry_reminders(today=today) == 0
    assert Notice.objects.filter(user=cast.learner, text__contains="hết hạn").count() == 1
    assert (
        Notice.objects.filter(user=cast.admin, text__contains="Nguyễn Thị Hồng Nhung").count() == 1
    )
    assert {m.to[0] for m in mail.outbox} == {cast.learner.email, cast.admin.email}
    enrollment = Enrollment.objects.get(user=cast.learner, course=certificate.course)
    assert enrollment.completed_at is None  # a new cycle: the course is to be done again
    certificate.refresh_from_db()
    assert certificate.state() == "valid"  # still valid until it expires


def test_expiry_reminders_skip_revoked_and_open_ended(certificate, cast):
    from courses.certificates import services

    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=None)
    assert send_expiry_reminders(today=today) == 0
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=today + timedelta(days=1))
    services.revoke(actor=cast.admin, certificate=certificate, reason="Thu hồi")
    assert send_expiry_reminders(today=today) == 0
