"""The whole demo, as `make demo` loads it, end to end and idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from courses.certificates.models import Certificate
from courses.models import Completion, Course, Enrollment
from quizzes.models import Attempt
from training.models import Attendance, Registration, TrainingSession
from training.surveys.models import SurveyResponse, SurveySubmission

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Course,
            Enrollment,
            Attempt,
            Completion,
            Certificate,
            TrainingSession,
            Registration,
            Attendance,
            SurveySubmission,
            SurveyResponse,
        )
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
    _training_screens(client)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    assert counts() == first


def _training_screens(client) -> None:  # type: ignore[no-untyped-def]
    """The sample course's two sessions: the past one with attendance and ten
    evaluations (results shown), the upcoming one open for registration."""
    from django.utils import timezone

    past, upcoming = TrainingSession.objects.order_by("starts_at")
    assert past.ends_at < timezone.now() < upcoming.starts_at
    assert past.attendances.filter(status__in=["present", "late"]).count() == 10
    survey = past.surveys.get()
    assert survey.responses.count() >= 5
    assert upcoming.registrations.filter(status="registered").exists()
    assert User.objects.get(username="hocvien01").position == "Bí thư chi bộ"
    client.force_login(User.objects.get(username="admin"))
    results = client.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert 'id="not-enough"' not in results and "Tất cả phiếu: 10 phiếu." in results
    # Both grassroots units have five answers each: each may be shown on its own.
    assert results.count('<option value="') >= 3
    course = past.course
    assert client.get(f"/courses/{course.pk}/surveys/").status_code == 200
    sheet = client.get(f"/sessions/{past.pk}/attendance-sheet.xlsx")
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"
    bloc = User.objects.get(username="admin").unit
    report = client.get(f"/reports/units/{bloc.pk}/?course={course.pk}").content.decode()
    assert 'id="attendance-rollup"' in report
    client.logout()


def _site_url(**env: str) -> str:
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    script = (
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_site_url_follows_the_demo_servers_host_and_port_unless_set():
    assert _site_url(PORT="8111") == "http://127.0.0.1:8111"
    assert _site_url(HOST="localhost", PORT="8111") == "http://localhost:8111"
    assert _site_url(PORT="8111", SITE_URL="https://boiduong.example.vn") == (
        "https://boiduong.example.vn"
    )


def test_make_demo_passes_its_port_to_the_demo():
    import subprocess
    from pathlib import Path

    makefile = (Path(__file__).parent.parent / "Makefile").read_text()
    assert "export HOST PORT" in makefile
    out = subprocess.run(
        ["make", "-n", "demo", "PORT=8111"], capture_output=True, text=True, check=True
    ).stdout
    assert "runserver 127.0.0.1:8111" in out


def test_load_demo_prints_the_address_of_the_server(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://127.0.0.1:8111"
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    assert "http://127.0.0.1:8111/" in out.getvalue()
    holder = Certificate.objects.get(user__username="hocvien02")
    assert holder.verify_url().startswith("http://127.0.0.1:8111/")
