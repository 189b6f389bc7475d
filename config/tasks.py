"""Enqueue Celery tasks after commit without letting a broker outage fail the request.

Work that must not be lost is also found by a periodic sweeper (ungraded
submissions, passes whose course completion was not decided, completions
without a certificate), so a message that could not be published is only
delayed, never lost.
"""

import logging
from typing import Any

from celery import Task
from django.db import transaction

log = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Publish `task`; False (logged) if the broker refused it."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception as exc:
        log.warning(
            "could not enqueue %s%r (%s); the sweeper will pick it up", task.name, args, exc
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Publish `task` once the current transaction commits; nothing if it rolls back."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
