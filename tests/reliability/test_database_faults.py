"""The database connection dies in the middle of an answer save.

A real server thread (pytest-django's live server, with Django's request
signals and persistent connections as in production) serves the API; another
connection holds the attempt row so the save blocks inside its transaction,
and then its backend is killed with pg_terminate_backend.
"""

import threading
import time

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import connection
from psycopg.conninfo import make_conninfo
from rest_framework.authtoken.models import Token

from quizzes.services import start_attempt

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _dsn() -> str:
    db = connection.settings_dict
    return make_conninfo(
        host=db["HOST"] or "localhost",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    )


def _open_attempt(world):  # type: ignore[no-untyped-def]
    world.quiz.attempts_allowed = 5
    world.quiz.save(update_fields=["attempts_allowed"])
    attempt = start_attempt(user=world.cast.learner, quiz=world.quiz)
    slot = attempt.slots.get(version__question=world.essay)
    return attempt, slot


def _session(user) -> requests.Session:  # type: ignore[no-untyped-def]
    s = requests.Session()
    s.headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    return s


def _wait_for_blocked_backend(admin: psycopg.Connection, timeout: float = 10) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        ).fetchone()
        if row:
            return row[0]
        time.sleep(0.05)
    raise AssertionError("the save never reached the database")


def test_connection_killed_during_a_save_gives_a_retryable_error_and_the_retry_succeeds(
    world, live_server
):
    attempt, slot = _open_attempt(world)
    http = _session(world.cast.learner)
    url = f"{live_server.url}/api/attempts/{attempt.pk}/answers/{slot.pk}/"
    first = http.put(url, json={"response": {"text": "Bản nháp"}, "seq": 1}, timeout=10)
    assert first.status_code == 200, first.text

    result: dict[str, requests.Response] = {}
    admin = psycopg.connect(_dsn(), autocommit=True)
    holder = psycopg.connect(_dsn())
    try:
        holder.execute("SELECT 1 FROM quizzes_attempt WHERE id = %s FOR UPDATE", [attempt.pk])
        body = {"response": {"text": "Bài làm cuối"}, "seq": 2}
        thread = threading.Thread(
            target=lambda: result.setdefault("r", http.put(url, json=body, timeout=30))
        )
        thread.start()
        pid = _wait_for_blocked_backend(admin)
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        holder.rollback()
        thread.join(30)
    finally:
        holder.close()
        admin.close()

    killed = result["r"]
    assert killed.status_code == 503, killed.text
    assert killed.json()["retryable"] is True
    assert "thử lại" in killed.json()["detail"]
    assert killed.headers["Retry-After"]
    slot.refresh_from_db()
    assert (slot.seq, slot.response) == (1, {"text": "Bản nháp"}), "nothing half-written"

    retry = http.put(url, json=body, timeout=10)
    assert retry.status_code == 200, retry.text
    slot.refresh_from_db()
    assert (slot.seq, slot.response) == (2, {"text": "Bài làm cuối"})
    # and the following requests are served on a fresh connection
    for _ in range(3):
        assert http.get(f"{live_server.url}/api/attempts/{attempt.pk}/", timeout=10).ok


def test_connections_killed_between_requests_are_replaced_without_errors(world, live_server):
    attempt, _slot = _open_attempt(world)
    http = _session(world.cast.learner)
    url = f"{live_server.url}/api/attempts/{attempt.pk}/"
    assert http.get(url, timeout=10).ok  # the server thread now holds a persistent connection
    with psycopg.connect(_dsn(), autocommit=True) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND pid <> %s",
            [connection.connection.info.backend_pid],
        ).fetchone()[0]
    assert killed >= 1
    statuses = [http.get(url, timeout=10).status_code for _ in range(3)]
    # CONN_HEALTH_CHECKS: the dead connection is noticed before use, not after a failure
    assert statuses == [200, 200, 200], statuses
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
