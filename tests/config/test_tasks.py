"""A broker outage delays a task; it never fails the request that enqueued it."""

import pytest
from celery import Celery

from config.tasks import enqueue, enqueue_on_commit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dead_broker_task():
    app = Celery("dead", broker="redis://127.0.0.1:1/0", set_as_current=False)
    app.conf.broker_connection_timeout = 0.2
    app.conf.broker_transport_options = {"socket_connect_timeout": 0.2}
    app.conf.task_publish_retry_policy = {"max_retries": 0}

    @app.task(name="dead.noop")
    def noop(x: int) -> int:
        return x

    return noop


def test_enqueue_swallows_a_broker_outage(dead_broker_task, caplog):
    enqueue(dead_broker_task, 1)
    assert "the sweeper will pick it up" in caplog.text


def test_enqueue_on_commit_publishes_only_after_commit(monkeypatch):
    from django.db import transaction

    sent: list[tuple] = []
    task = object()  # enqueue is replaced: only the timing of the call matters here
    monkeypatch.setattr("config.tasks.enqueue", lambda t, *a, **k: sent.append(a))
    try:
        with transaction.atomic():
            enqueue_on_commit(task, 7)
            assert sent == []
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert sent == []
    with transaction.atomic():
        enqueue_on_commit(task, 8)
    assert sent == [(8,)]
