"""Attendance requirements: progress shows them, the certificate waits for them,
and a correction after the fact (absent -> present) completes the course."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courses import services as course_services
from courses.certificates.models import Certificate
from courses.models import Completion, Enrollment
from courses.progress import progress_for, progress_of
from training import services
from training.models import Attendance, AttendanceRule

from ..certificates.conftest import _certificate_settings  # noqa: F401  (autouse fixture)
from ..courses.conftest import lessons_of, modules_of

pytestmark = pytest.mark.django_db


def _enrol_and_study(cast, course, user):  # type: ignore[no-untyped-def]
    enrollment = course_services.enrol_user(actor=cast.trainer_a, user=user, course=course)
    for lesson in lessons_of(course):
        course_services.mark_lesson_done(user=user, lesson=lesson)
    return Enrollment.objects.select_related("course").get(pk=enrollment.pk)


def _mark(session, user, status, by):  # type: ignore[no-untyped-def]
    Attendance.objects.update_or_create(
        session=session,
        user=user,
        defaults={"status": status, "recorded_by": by, "checked_in_at": timezone.now()},
    )


def test_certificate_only_once_the_attendance_requirement_is_met_and_after_a_correction(
    cast, course, make_session, django_capture_on_commit_callbacks
):
    module = modules_of(course)[1]
    services.add_rule(
        actor=cast.trainer_a,
        course=course,
        kind=AttendanceRule.Kind.SESSIONS,
        minimum=1,
        module=module,
    )
    other = make_session(units=[cast.cell_a1], starts_in=timedelta(days=-2))  # no module
    session = make_session(units=[cast.cell_a1], starts_in=timedelta(days=-1), module=module)

    with django_capture_on_commit_callbacks(execute=True):
        enrollment = _enrol_and_study(cast, course, cast.learner)
    progress = progress_of(enrollment)
    assert progress.modules_complete and not progress.complete
    (step,) = progress.extra_steps
    assert not step.done and "Học phần 2" in step.label and step.detail == "Đã tham dự 0/1 buổi"
    assert progress.next_step()["kind"] == "requirement"
    assert progress.percent < 100
    assert not Completion.objects.exists() and not Certificate.objects.exists()

    # Present at a session of another module, absent at this one: not yet.
    with django_capture_on_commit_callbacks(execute=True):
        _mark(other, cast.learner, Attendance.Status.PRESENT, cast.trainer_a)
        services.attendance_changed(other, [cast.learner.pk])
        _mark(session, cast.learner, Attendance.Status.ABSENT, cast.trainer_a)
        assert services.attendance_changed(session, [cast.learner.pk]) == []
    assert not Certificate.objects.exists()

    # The roll-call is corrected after the fact: absent -> present.
    with django_capture_on_commit_callbacks(execute=True):
        _mark(session, cast.learner, Attendance.Status.PRESENT, cast.trainer_a)
        (completion,) = services.attendance_changed(session, [cast.learner.pk])
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert Certificate.objects.get(completion=completion).status == "valid"
    # Idempotent: a second call records nothing more.
    assert services.attendance_changed(session, [cast.learner.pk]) == []
    assert Completion.objects.count() == 1


def test_late_counts_excused_does_not(cast, course, make_session):
    services.add_rule(
        actor=cast.trainer_a, course=course, kind=AttendanceRule.Kind.SESSIONS, minimum=1
    )
    session = make_session(units=[cast.cell_a1], starts_in=timedelta(days=-1))
    enrollment = _enrol_and_study(cast, course, cast.learner)
    _mark(session, cast.learner, Attendance.Status.EXCUSED, cast.trainer_a)
    assert services.attendance_changed(session, [cast.learner.pk]) == []
    _mark(session, cast.learner, Attendance.Status.LATE, cast.trainer_a)
    assert len(services.attendance_changed(session, [cast.learner.pk])) == 1
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


def test_percent_of_scheduled_hours_ignores_cancelled_sessions(cast, course, make_session):
    services.add_rule(
        actor=cast.trainer_a, course=course, kind=AttendanceRule.Kind.HOURS_PERCENT, minimum=80
    )
    long = make_session(units=[cast.cell_a1], starts_in=timedelta(days=-3), hours=3)
    short = make_session(units=[cast.cell_a1], starts_in=timedelta(days=-2), hours=1)
    dropped = make_session(units=[cast.cell_a1], starts_in=timedelta(days=1), hours=4)
    services.cancel_session(actor=cast.trainer_a, session=dropped, reason="Trùng lịch")
    enrollment = _enrol_and_study(cast, course, cast.learner)

    _mark(long, cast.learner, Attendance.Status.PRESENT, cast.trainer_a)
    (step,) = progress_of(enrollment).extra_steps
    assert not step.done  # 3 of 4 hours: 75 %
    assert step.detail == "Đã tham dự 3/4 giờ (75%)"
    _mark(short, cast.learner, Attendance.Status.PRESENT, cast.trainer_a)
    assert len(services.attendance_changed(short, [cast.learner.pk])) == 1


def test_dropping_the_rule_completes_whoever_met_the_rest(cast, course):
    rule = services.add_rule(
        actor=cast.trainer_a, course=course, kind=AttendanceRule.Kind.SESSIONS, minimum=2
    )
    enrollment = _enrol_and_study(cast, course, cast.learner)
    assert enrollment.completed_at is None
    services.delete_rule(actor=cast.trainer_a, rule=rule)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


def test_progress_queries_do_not_grow_with_sessions_or_learners(
    cast, course, make_session, django_assert_max_num_queries
):
    services.add_rule(
        actor=cast.trainer_a, course=course, kind=AttendanceRule.Kind.SESSIONS, minimum=2
    )
    for day in range(1, 6):
        session = make_session(units=[cast.cell_a1], starts_in=timedelta(days=-day))
        _mark(session, cast.learner, Attendance.Status.PRESENT, cast.trainer_a)
        _mark(session, cast.other_learner, Attendance.Status.PRESENT, cast.trainer_a)
    for user in (cast.learner, cast.other_learner):
        course_services.enrol_user(actor=cast.trainer_a, user=user, course=course)
    enrollments = list(Enrollment.objects.select_related("course"))
    # 3 for modules/lessons/grades, 3 for the attendance rules, sessions and records.
    with django_assert_max_num_queries(6):
        result = progress_for(enrollments)
    assert all(p.extra_steps[0].done for p in result.values())


def test_course_page_shows_the_requirement_and_upcoming_sessions(cast, course, make_session, login):
    services.add_rule(
        actor=cast.trainer_a, course=course, kind=AttendanceRule.Kind.SESSIONS, minimum=1
    )
    make_session(units=[cast.cell_a1], title="Quán triệt Nghị quyết <b>")
    course_services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    page = login(cast.learner).get(course.get_absolute_url()).content.decode()
    assert "Tham dự ít nhất 1 buổi tập huấn của khóa học" in page
    assert "Đã tham dự 0/1 buổi" in page
    assert "Quán triệt Nghị quyết &lt;b&gt;" in page
    assert "Đăng ký tham dự" in page


@pytest.mark.parametrize("sessions", [1, 6])
def test_dashboard_and_course_page_queries_do_not_grow_with_sessions(
    cast, course, make_session, login, sessions, django_assert_max_num_queries
):
    services.add_rule(
        actor=cast.trainer_a, course=course, kind=AttendanceRule.Kind.SESSIONS, minimum=1
    )
    for n in range(sessions):
        session = make_session(units=[cast.cell_a1], starts_in=timedelta(days=n + 1))
        services.register(session=session, user=cast.learner)
    course_services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    client = login(cast.learner)
    with django_assert_max_num_queries(14):
        page = client.get("/").content.decode()
    assert page.count("Đã đăng ký") == min(sessions, 5)
    with django_assert_max_num_queries(12):
        page = client.get(course.get_absolute_url()).content.decode()
    assert page.count("Đã đăng ký") == sessions
