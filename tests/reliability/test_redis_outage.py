"""Redis stops while learners save and submit; then it comes back.

A private redis-server on another port is started and stopped by the test;
the cache and the Celery broker point at it. Sessions are signed cookies and
login lockouts live in the database, so nothing on the learner's path needs
Redis: answers and submissions commit, pages render, and the tasks that could
not be published are found again by the sweepers once Redis is back.
"""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from django.urls import reverse

from config.celery import app as celery_app
from courses import services as course_services
from courses.certificates import services as certificate_services
from courses.certificates.models import Certificate
from courses.models import Completion, Lesson
from quizzes.models import Attempt

PORT = 6390
URL = f"redis://127.0.0.1:{PORT}/0"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


class PrivateRedis:
    def __init__(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        self.dir = tmp_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(PORT),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def _reset_broker_pools() -> None:
    """Forget pooled broker connections so the next publish uses the current broker_url."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(tmp_path, settings) -> Iterator[PrivateRedis]:  # type: ignore[no-untyped-def]
    server = PrivateRedis(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    _reset_broker_pools()
    celery_app.conf.broker_url = URL
    celery_app.conf.task_always_eager = False
    yield server
    server.stop()
    _reset_broker_pools()
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous


def test_learners_save_submit_and_complete_while_redis_is_down_and_the_backlog_drains_after(
    world, private_redis, api, login
):
    cast = world.cast
    world.quiz.attempts_allowed = 5
    world.quiz.save(update_fields=["attempts_allowed"])
    private_redis.stop()

    # the quiz: start, save every answer, submit (API, as the browser's htmx does)
    client = api(cast.other_learner)
    started = client.post(f"/api/quizzes/{world.quiz.pk}/attempts/")
    assert started.status_code == 201, started.content
    attempt = Attempt.objects.get(pk=started.json()["id"])
    for seq, slot in enumerate(attempt.slots.select_related("version"), start=1):
        response = {"choice": "a"} if slot.version.type == "single" else {"text": "Trả lời"}
        saved = client.put(
            f"/api/attempts/{attempt.pk}/answers/{slot.pk}/",
            {"response": response, "seq": seq},
            format="json",
        )
        assert saved.status_code == 200, saved.content
    submitted = client.post(f"/api/attempts/{attempt.pk}/submit/")
    assert submitted.status_code == 200, submitted.content
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED and attempt.score is not None

    # a course completed: the certificate task cannot be published yet
    lesson = Lesson.objects.get(module__course=world.cert_course)
    course_services.enrol_user(actor=cast.admin, user=cast.other_learner, course=world.cert_course)
    done = login(cast.other_learner).post(reverse("frontend:lesson-done", args=[lesson.pk]))
    assert done.status_code in (200, 302)
    completion = Completion.objects.get(user=cast.other_learner, course=world.cert_course)
    assert not Certificate.objects.filter(completion=completion).exists()

    # pages still render (cache misses, not errors)
    browser = login(cast.other_learner)
    for url in (
        reverse("frontend:dashboard"),
        reverse("frontend:course-list"),
        reverse("frontend:lesson-detail", args=[lesson.pk]),
    ):
        assert browser.get(url).status_code == 200, url

    # Redis back: the sweeper publishes the missed work...
    private_redis.start()
    assert certificate_services.sweep(older_than_seconds=0)["completions"] >= 1
    assert redis.Redis.from_url(URL).dbsize() > 0, "the sweeper's task reached the broker"
    # ...and a worker (run in-process here) drains it: one certificate
    celery_app.conf.task_always_eager = True
    certificate_services.sweep(older_than_seconds=0)
    certificate_services.sweep(older_than_seconds=0)
    assert Certificate.objects.filter(completion=completion).count() == 1


def test_fixing_a_key_while_redis_is_down_commits_and_still_regrades(world, private_redis, api):
    before = world.attempts["learner"].score
    private_redis.stop()
    version = world.single.versions.latest("number")
    data = {**version.data}
    data["choices"] = [{**c, "fraction": 1 - c["fraction"]} for c in data["choices"]]
    response = api(world.cast.trainer_a).post(
        f"/api/questions/{world.single.pk}/fix-key/",
        {"version": version.pk, "data": data, "reason": "Đáp án sai"},
        format="json",
    )
    assert response.status_code == 202, response.content
    world.attempts["learner"].refresh_from_db()
    assert world.attempts["learner"].score == before - 1
