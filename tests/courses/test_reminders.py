from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from courses import services
from courses.models import Notice, ReminderLog
from courses.reminders import kind_for, send_deadline_reminders
from courses.tasks import send_deadline_reminders as task

from .conftest import finish_lessons

pytestmark = pytest.mark.django_db


def enrol_due(cast, course, user, days_left):  # type: ignore[no-untyped-def]
    return services.enrol_user(
        actor=cast.admin,
        user=user,
        course=course,
        due_date=timezone.localdate() + timedelta(days=days_left),
    )


def test_thresholds_pick_the_tightest_reached():
    assert kind_for(8) is None
    assert kind_for(7) == "d7" and kind_for(4) == "d7"
    assert kind_for(3) == "d3" and kind_for(2) == "d3"
    assert kind_for(1) == "d1" and kind_for(0) == "d1"
    assert kind_for(-1) == "overdue"


def test_reminders_are_sent_once_per_threshold(
    cast, make_course, django_capture_on_commit_callbacks
):
    course = make_course(modules=1, lessons=1)
    enrol_due(cast, course, cast.learner, 7)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=today).learner_reminders == 1
        assert send_deadline_reminders(today=today).learner_reminders == 0
        assert send_deadline_reminders(today=today + timedelta(days=1)).learner_reminders == 0
        assert send_deadline_reminders(today=today + timedelta(days=4)).learner_reminders == 1
        assert send_deadline_reminders(today=today + timedelta(days=6)).learner_reminders == 1
        assert send_deadline_reminders(today=today + timedelta(days=8)).learner_reminders == 1
        assert send_deadline_reminders(today=today + timedelta(days=9)).learner_reminders == 0
    kinds = sorted(
        ReminderLog.objects.filter(recipient=cast.learner).values_list("kind", flat=True)
    )
    assert kinds == ["d1", "d3", "d7", "overdue"]
    learner_mails = [m for m in mail.outbox if m.to == [cast.learner.email]]
    assert len(learner_mails) == 4
    assert "Còn 7 ngày" in learner_mails[0].body
    assert Notice.objects.filter(user=cast.learner).count() == 4


def test_completed_or_unenrolled_learners_get_no_reminder(cast, make_course):
    course = make_course(modules=1, lessons=1)
    enrol_due(cast, course, cast.learner, 1)
    finish_lessons(cast.learner, course)
    gone = enrol_due(cast, course, cast.other_learner, 1)
    services.unenrol(actor=cast.trainer_a, enrollment=gone)
    assert send_deadline_reminders().learner_reminders == 0


def test_admin_digest_lists_newly_overdue_learners_once(
    cast, make_course, django_capture_on_commit_callbacks
):
    course = make_course(modules=1, lessons=1)
    enrol_due(cast, course, cast.learner, -2)
    enrol_due(cast, course, cast.learner_b, -1)
    with django_capture_on_commit_callbacks(execute=True):
        run = send_deadline_reminders()
        again = send_deadline_reminders()
    assert run.digests == 1 and again.digests == 0
    digest = [m for m in mail.outbox if m.to == [cast.admin.email]]
    assert len(digest) == 1
    assert cast.learner.full_name in digest[0].body and cast.learner_b.full_name in digest[0].body
    assert Notice.objects.filter(user=cast.admin).count() == 1


def test_changed_due_date_gets_fresh_reminders(cast, make_course):
    course = make_course(modules=1, lessons=1)
    enrollment = enrol_due(cast, course, cast.learner, 1)
    assert send_deadline_reminders().learner_reminders == 1
    enrollment.due_date = timezone.localdate() + timedelta(days=3)
    enrollment.save()
    assert send_deadline_reminders().learner_reminders == 1


def test_daily_task_runs_the_service(cast, make_course):
    course = make_course(modules=1, lessons=1)
    enrol_due(cast, course, cast.learner, 3)
    assert task.delay().get() == {"learner_reminders": 1, "digests": 0}


def test_reminder_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["courses-deadline-reminders"]
    assert entry["task"] == "courses.tasks.send_deadline_reminders"
