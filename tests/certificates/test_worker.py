"""With a real Celery worker on Redis and PostgreSQL: redelivery, rollback, sweeper.

Run with DATABASE_URL (PostgreSQL) and REDIS_URL set; the worker runs as a
subprocess on the pytest test database and a queue of its own.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

from courses.certificates.models import Certificate
from courses.models import Completion

from .conftest import _TEST_KEY, complete_course

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queue(settings) -> str:  # type: ignore[no-untyped-def]
    name = f"certificates-test-{uuid.uuid4().hex[:8]}"
    settings.CERTIFICATES_QUEUE = name
    return name


@pytest.fixture
def worker(
    transactional_db, queue, tmp_path, settings
) -> Iterator[Callable[..., subprocess.Popen]]:  # type: ignore[no-untyped-def]
    started: list[subprocess.Popen] = []

    def start(**env: str) -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115
        environment = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": django_settings.REDIS_URL,
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "CERTIFICATES_QUEUE": queue,
            "CERTIFICATES_RENDER_QUEUE": "",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CERTIFICATE_SIGNING_KEY": _TEST_KEY,
            "SITE_URL": "http://testserver",
            "EMAIL_URL": "consolemail://",
            "CONN_MAX_AGE": "0",
            **env,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
             "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"{queue}-{len(started)}@%h", "--loglevel=INFO"],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    import redis

    client = redis.Redis.from_url(django_settings.REDIS_URL)
    client.delete(queue)


def wait_for(condition: Callable[[], Any], timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def _done(completion: Completion) -> Any:
    return (
        Certificate.objects.filter(completion=completion).exclude(pdf="").exclude(notified_at=None)
    )


def test_completion_is_issued_by_the_worker_end_to_end(cast, course, worker):
    worker()
    completion = complete_course(cast.learner, course, cast.admin)
    certificate = wait_for(lambda: _done(completion).first())
    assert certificate.learner_name == "Nguyễn Thị Hồng Nhung"
    with certificate.pdf.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"


def test_worker_killed_mid_task_still_ends_with_exactly_one_certificate(
    cast, course, worker, tmp_path
):
    marker = tmp_path / "paused"
    first = worker(CERTIFICATES_TEST_PAUSE_FILE=str(marker), CERTIFICATES_TEST_PAUSE_SECONDS="120")
    completion = complete_course(cast.learner, course, cast.admin)
    wait_for(marker.exists)
    # The certificate row is committed, the PDF and notice are not done, the
    # message is not acknowledged: kill the worker outright.
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    half_done = Certificate.objects.get(completion=completion)
    assert not half_done.pdf and half_done.notified_at is None

    worker()  # a fresh worker gets the message back after the visibility timeout
    certificate = wait_for(lambda: _done(completion).first(), timeout=90)
    assert certificate.pk == half_done.pk
    assert Certificate.objects.filter(completion=completion).count() == 1


def test_rolled_back_completion_publishes_nothing(cast, course, worker, queue):
    import redis

    worker()
    with pytest.raises(RuntimeError), transaction.atomic():
        complete_course(cast.learner, course, cast.admin)
        raise RuntimeError("rolled back")
    assert redis.Redis.from_url(django_settings.REDIS_URL).llen(queue) == 0
    time.sleep(2)
    assert Completion.objects.count() == 0
    assert Certificate.objects.count() == 0


def test_sweeper_on_the_worker_issues_what_the_broker_missed(
    cast, course, worker, queue, monkeypatch
):
    from courses.certificates import tasks

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("Redis is down")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.issue_certificate, "apply_async", refuse)
        completion = complete_course(cast.learner, course, cast.admin)
    Completion.objects.filter(pk=completion.pk).update(
        recorded_at=timezone.now() - timedelta(minutes=5)
    )
    assert not Certificate.objects.exists()
    worker()
    tasks.sweep_certificates.apply_async(queue=queue)
    wait_for(lambda: _done(completion).exists())
    assert Certificate.objects.filter(completion=completion).count() == 1


def test_submitted_pass_is_completed_and_certified_by_the_worker(cast, worker, queue, monkeypatch):
    """The exam path: the submit only grades; the worker records the completion
    (dated at the pass) and then issues the certificate."""
    from config.celery import app
    from courses import authoring
    from courses import services as course_services
    from quizzes import services as quiz_services
    from quizzes.models import Quiz, QuizGrade, QuizItem

    monkeypatch.setitem(app.conf, "task_default_queue", queue)  # the completion task too
    category = quiz_services.ensure_category_path(path="Thi/Cuối khóa", owner_unit=cast.unit_a)
    question = quiz_services.create_question(
        actor=cast.trainer_a,
        category=category,
        type="truefalse",
        text="Chi bộ sinh hoạt định kỳ mỗi tháng một lần.",
        data={"answer": True},
    )
    quiz = Quiz.objects.create(title="Thi cuối khóa", owner_unit=cast.unit_a)
    QuizItem.objects.create(quiz=quiz, position=0, kind=QuizItem.Kind.FIXED, question=question)
    course = authoring.create_course(
        actor=cast.trainer_a, code="THI01", title="Khóa thi", owner_unit=cast.unit_a
    )
    authoring.add_module(actor=cast.trainer_a, course=course, title="Học phần thi", quiz=quiz)
    authoring.set_status(actor=cast.trainer_a, course=course, status="published")
    course_services.enrol_user(actor=cast.admin, user=cast.learner, course=course)
    worker()

    attempt = quiz_services.start_attempt(user=cast.learner, quiz=quiz)
    slot = attempt.slots.get()
    quiz_services.save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response={"value": True}, seq=1
    )
    attempt = quiz_services.submit_attempt(attempt=attempt, user=cast.learner)
    assert attempt.passed

    completion = wait_for(
        lambda: Completion.objects.filter(user=cast.learner, course=course).first()
    )
    assert completion.completed_at == QuizGrade.objects.get(user=cast.learner, quiz=quiz).passed_at
    wait_for(lambda: _done(completion).exists())
    assert Certificate.objects.filter(user=cast.learner, course=course).count() == 1
