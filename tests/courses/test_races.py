"""Concurrent events on one enrolment complete the course exactly once (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from courses import services
from courses.models import Completion

from .conftest import lessons_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_last_two_lessons_done_at_once_complete_exactly_once(cast, make_course):
    course = make_course(modules=1, lessons=2)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def mark(lesson):  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            services.mark_lesson_done(user=cast.learner, lesson=lesson)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=mark, args=(le,)) for le in lessons_of(course)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Completion.objects.filter(user=cast.learner, course=course).count() == 1


def test_same_reminder_from_two_workers_is_sent_once(cast, make_course):
    from datetime import timedelta

    from django.utils import timezone

    from courses.models import ReminderLog
    from courses.reminders import send_deadline_reminders

    course = make_course(modules=1, lessons=1)
    services.enrol_user(
        actor=cast.trainer_a,
        user=cast.learner,
        course=course,
        due_date=timezone.localdate() + timedelta(days=3),
    )
    barrier = threading.Barrier(2)

    def run():  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            send_deadline_reminders()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ReminderLog.objects.filter(recipient=cast.learner).count() == 1
    assert cast.learner.notices.count() == 1
