"""Celery tasks: load by id, call the service."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import exports


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def build_report_export(export_id: int) -> str:
    return exports.build_export(export_id=export_id).status


@shared_task(acks_late=True)
def purge_exports() -> int:
    return exports.purge_expired()
