"""Celery tasks: thin wrappers that load by id and call a service.

`acks_late` + `reject_on_worker_lost`: the message is acknowledged only
after the work is done, so a worker killed mid-task leaves it on the
broker for another worker; the services are idempotent, so redelivery
finishes the job and never issues a second certificate.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

from celery import shared_task
from celery.signals import worker_process_init
from django.db import OperationalError

from . import services

RELIABLE: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@worker_process_init.connect
def _warm_up_pdf_engine(**kwargs: Any) -> None:
    """The first render in a process loads the fonts (and subsets them for the fast
    path, pdf_fast.py) and takes seconds: pay that when the worker starts, not on
    the first learner's certificate."""
    import datetime

    from .pdf import CertificateDocument, render_pdf

    with contextlib.suppress(Exception):  # never keep a worker from starting
        render_pdf(
            CertificateDocument(
                learner_name="Đặng Quốc Việt",
                course_title="-",
                issued_on=datetime.date.today(),
                serial="-",
                code="0" * 16,
                verify_url="-",
            )
        )


def _test_pause(certificate: Any) -> None:
    """Let the worker tests kill a worker at a known point (never set in production).

    With CERTIFICATES_TEST_PAUSE_FILE set, the task writes that file once the
    certificate row is committed, then sleeps before rendering the PDF.
    """
    marker = os.environ.get("CERTIFICATES_TEST_PAUSE_FILE")
    if marker:
        Path(marker).write_text(str(certificate.pk))
        time.sleep(float(os.environ.get("CERTIFICATES_TEST_PAUSE_SECONDS", "60")))


@shared_task(**RELIABLE)
def issue_certificate(completion_id: int) -> int | None:
    certificate = services.deliver(completion_id=completion_id, pause=_test_pause, inline=False)
    return certificate.pk if certificate else None


@shared_task(**RELIABLE)
def render_certificate_pdf(certificate_id: int) -> None:
    services.ensure_and_announce(certificate_id=certificate_id)


@shared_task(acks_late=True)
def sweep_certificates() -> dict[str, int]:
    return services.sweep()


@shared_task(acks_late=True)
def send_expiry_reminders() -> int:
    from .expiry import send_expiry_reminders as send

    return send()


@shared_task(**RELIABLE)
def build_export(export_id: int) -> None:
    from .register import build_export as build

    build(export_id=export_id)
