"""Many learners asking for the last seats at once: capacity holds (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from accounts.models import User
from accounts.services import create_user
from training import services
from training.models import Registration

from ..conftest import PASSWORD

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_registrations_never_exceed_capacity(cast, make_session):
    session = make_session(units=[cast.cell_a1], capacity=2)
    learners = [
        create_user(
            actor=cast.superuser,
            username=f"hv{n}",
            full_name=f"Học viên {n}",
            unit=cast.cell_a1,
            role=User.Role.LEARNER,
            email=f"hv{n}@example.org",
            password=PASSWORD,
        )
        for n in range(6)
    ]
    barrier = threading.Barrier(len(learners))
    errors: list[BaseException] = []

    def register(user):  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            services.register(session=session, user=user)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(u,)) for u in learners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert statuses.count(Registration.Status.REGISTERED) == 2
    assert statuses.count(Registration.Status.WAITLISTED) == 4
