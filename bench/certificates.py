"""Certificates per second, end to end through Celery.

N learners finish a one-lesson course through `courses.services` (each
completion commits and enqueues `issue_certificate` on commit, as in
production); real Celery workers on Redis issue the certificate, render
the PDF (WeasyPrint) and leave the notice. The clock runs from the first
completion until the last certificate has its PDF and notice.

Needs PostgreSQL and Redis; use a database of its own, the data stays:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_certificates \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
      .venv/bin/python bench/certificates.py --certificates 200 --concurrency 2
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUEUE = f"bench-certificates-{uuid.uuid4().hex[:6]}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["CERTIFICATES_QUEUE"] = QUEUE

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import Unit, User  # noqa: E402
from accounts.services import create_unit  # noqa: E402
from courses import authoring  # noqa: E402
from courses import services as course_services  # noqa: E402
from courses.certificates.models import Certificate  # noqa: E402
from courses.models import Course, Enrollment  # noqa: E402


def prepare(n: int, tag: str) -> tuple[Course, list[User]]:
    root = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-root", "bench@example.org", None, full_name="Bench Root"
    )
    unit = create_unit(
        actor=root,
        name=f"Chi bộ đo tải {tag}",
        code=f"BENCH-{tag}",
        kind=Unit.Kind.CELL,
        parent=None,
    )
    course = authoring.create_course(
        actor=root, code=f"BENCH-{tag}", title="Đo tải giấy chứng nhận", owner_unit=unit,
        validity_months=24,
    )  # fmt: skip
    module = authoring.add_module(actor=root, course=course, title="Học phần 1")
    authoring.add_lesson(actor=root, module=module, title="Bài 1", body="Nội dung mẫu")
    course = authoring.set_status(actor=root, course=course, status="published")
    learners = User.objects.bulk_create(
        User(
            username=f"bench-{tag}-{i:05d}",
            full_name=f"Nguyễn Thị Đo Tải {i:05d}",
            unit=unit,
            password="!",
        )
        for i in range(n)
    )
    Enrollment.objects.bulk_create(Enrollment(user=u, course=course) for u in learners)
    return course, learners


def start_workers(processes: int, concurrency: int) -> list[subprocess.Popen]:
    env = {**os.environ, "CERTIFICATES_QUEUE": QUEUE}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", QUEUE,
               "-c", str(concurrency), "--loglevel=WARNING", "--without-gossip",
               "--without-mingle"]  # fmt: skip
    workers = []
    for i in range(processes):
        process = subprocess.Popen(
            [*command, "-n", f"{QUEUE}-{i}@%h"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        workers.append(process)
    return workers


def wait_until_ready(count: int) -> None:
    from config.celery import app

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if sum(1 for r in replies for name in r if name.startswith(QUEUE)) >= count:
            time.sleep(10)  # the pool's children warm up WeasyPrint
            return
    sys.exit("workers did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    if not settings.IS_POSTGRES or not settings.REDIS_URL:
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL.")
    call_command("migrate", verbosity=0)
    tag = uuid.uuid4().hex[:6].upper()
    course, learners = prepare(args.certificates, tag)
    lesson = course.modules.get().lessons.get()
    workers = start_workers(args.workers, args.concurrency)
    wait_until_ready(len(workers))
    try:
        started = time.perf_counter()
        for learner in learners:
            course_services.mark_lesson_done(user=learner, lesson=lesson)
        enqueued = time.perf_counter() - started
        issued = Certificate.objects.filter(course=course)
        done = issued.exclude(pdf="").exclude(notified_at=None)
        all_issued = None
        while done.count() < len(learners):
            if all_issued is None and issued.count() >= len(learners):
                all_issued = time.perf_counter() - started
            if time.perf_counter() - started > 120 + 3 * len(learners):
                sys.exit(f"timed out: {done.count()}/{len(learners)} certificates")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        all_issued = all_issued or elapsed
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)
    latencies = sorted(
        (c.notified_at - c.completion.completed_at).total_seconds()
        for c in Certificate.objects.filter(course=course).select_related("completion")
    )
    duplicates = len(learners) - Certificate.objects.filter(course=course).count()
    print(f"database        {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"workers         {args.workers} x concurrency {args.concurrency} (cpus: {os.cpu_count()})"
    )
    print(f"certificates    {len(learners)} (extra or missing: {duplicates})")
    print(f"completions     {enqueued:.1f} s to complete and enqueue all")
    print(
        f"issued (rows)   all {len(learners)} verifiable {all_issued:.1f} s after the first completion"
    )
    print(f"end to end      {elapsed:.1f} s -> {len(learners) / elapsed:.1f} certificates/s")
    print(
        f"latency         completion -> PDF and notice: p50 {statistics.median(latencies):.1f} s, "
        f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.1f} s, max {latencies[-1]:.1f} s"
    )


if __name__ == "__main__":
    main()
