"""Celery tasks: thin wrappers that load by id and call a service."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from accounts.models import User


@shared_task(acks_late=True)
def finalise_overdue_attempts() -> int:
    """Periodic sweeper: finish attempts whose time ran out (idempotent)."""
    from .services import finalise_overdue

    return finalise_overdue()


@shared_task(acks_late=True)
def regrade_version_task(
    version_id: int, actor_id: int | None, reason: str
) -> list[dict[str, Any]]:
    from .services import regrade_version

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return regrade_version(version_id=version_id, actor=actor, reason=reason)
