"""The whole demo, as `make demo` loads it, end to end and idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from courses.certificates.models import Certificate
from courses.models import Completion, Course, Enrollment
from quizzes.models import Attempt

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Course, Enrollment, Attempt, Completion, Certificate)
    }


def test_load_demo_builds_everything_and_running_it_again_changes_nothing(
    client, django_capture_on_commit_callbacks
):
    out = StringIO()
    # `make demo` commits as it goes: what the demo enqueues on commit runs (eager tasks).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    printed = out.getvalue()
    for username in ["admin", "baocaovien1", "baocaovien2", "hocvien01", "hocvien12"]:
        assert username in printed
    assert "BoiDuong@2026" in printed
    first = counts()
    assert first["Attempt"] > 0 and first["Completion"] >= 1
    holder = Certificate.objects.get(user__username="hocvien02")
    assert "Còn hiệu lực" in client.get(f"/verify/{holder.display_code}").content.decode()
    login = client.post("/accounts/login/", {"username": "hocvien01", "password": "BoiDuong@2026"})
    assert login.status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    assert counts() == first
