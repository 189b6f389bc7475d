"""Concurrent scans and resyncs of the same learner give one record (PostgreSQL)."""

import pytest
from django.utils import timezone

from tests.quizzes.test_races import run_together
from training import checkin
from training.models import Attendance

from .checkin_world import make_session

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_scans_of_one_learner_make_one_record(cast):
    session = make_session(cast)

    def scan():
        return checkin.check_in(session=session, learner=cast.learner, method="qr",
                                at=timezone.now())  # fmt: skip

    def resync():
        return checkin.check_in(session=session, learner=cast.learner, method="code",
                                at=timezone.now(), recorded_by=cast.trainer_a)  # fmt: skip

    results = run_together(scan, resync, repeat=5)
    assert all(isinstance(r, checkin.Result) for r in results), results
    assert sum(r.recorded for r in results) == 1
    assert len({r.attendance.pk for r in results}) == 1
    assert Attendance.objects.filter(session=session, user=cast.learner).count() == 1


def test_concurrent_scans_upgrading_an_absence_record_it_once(cast):
    session = make_session(cast)
    Attendance.objects.create(session=session, user=cast.learner, status="absent")
    results = run_together(
        lambda: checkin.check_in(session=session, learner=cast.learner, method="qr",
                                 at=timezone.now()),
        repeat=8,
    )  # fmt: skip
    assert all(isinstance(r, checkin.Result) for r in results), results
    assert sum(r.recorded for r in results) == 1
    assert {r.attendance.status for r in results} == {"present"}
    assert Attendance.objects.get(session=session, user=cast.learner).status == "present"


def test_many_learners_at_once_each_get_their_record(cast):
    from accounts.services import create_user

    session = make_session(cast)
    people = [
        create_user(actor=cast.superuser, username=f"hv{i}", full_name=f"Học viên {i}",
                    unit=cast.cell_a1)
        for i in range(8)
    ]  # fmt: skip
    results = run_together(
        *[
            lambda p=p: checkin.check_in(session=session, learner=p, method="qr",
                                         at=timezone.now())
            for p in people
        ]
    )  # fmt: skip
    assert all(isinstance(r, checkin.Result) and r.recorded for r in results), results
    assert Attendance.objects.filter(session=session).count() == 8
