"""A report export built by a real Celery worker on Redis and PostgreSQL.

Run with DATABASE_URL (PostgreSQL) and REDIS_URL set; the worker runs as a
subprocess on the pytest test database and a queue of its own.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from courses.reports.exports import start_export
from courses.reports.models import Export

from .conftest import answers, enrol, take

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_worker_builds_the_export_with_progress_and_a_link(
    cast, setup, learners, settings, tmp_path, api
):
    queue = f"reports-test-{uuid.uuid4().hex[:8]}"
    settings.REPORTS_QUEUE = queue
    settings.MEDIA_ROOT = tmp_path
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{queue}@%h"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": django_settings.REDIS_URL,
             "REPORTS_QUEUE": queue, "MEDIA_ROOT": str(tmp_path), "CONN_MAX_AGE": "0"},
    )  # fmt: skip
    try:
        s = setup(questions=2)
        a, b = learners(3, cast.cell_a1, "wa"), learners(2, cast.cell_b1, "wb")
        enrol(cast, s.course, a + b)
        for person in a + b:
            take(person, s.quiz, answers("00"))  # no completion: nothing else is enqueued
        export = start_export(
            actor=cast.trainer_a, kind="gradebook", params={"course": s.course.pk}
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            export.refresh_from_db()
            if export.finished:
                break
            time.sleep(0.3)
        assert export.status == Export.Status.DONE, (tmp_path / "worker.log").read_text()
        assert (export.done, export.total) == (3, 3)  # only unit A's learners
        body = api(cast.trainer_a).get(f"/api/exports/{export.pk}/").json()
        assert body["progress"] == 100 and body["download_url"].endswith("/download/")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        import redis

        redis.Redis.from_url(django_settings.REDIS_URL).delete(queue)
