"""Analytics at scale: 5,000 learners × 10 quizzes.

Builds (once) an organisation of 1 bloc → 10 grassroots organisations → 50
cells holding 5,000 learners, one course of 10 module quizzes of 10
single-choice questions each, and a finished, graded attempt for most
(learner, quiz) pairs — about 45,000 attempts and 450,000 answered slots.
The rows are bulk-inserted (the benchmark is about the read side; the
write side has its own benchmarks), with answers drawn from a simple
ability/difficulty model so the statistics are not noise.

Then it times, warm, the median of several runs, with the query count:
the gradebook's first page (HTML page and API), the roll-up page of the
bloc, the item-analysis page of one quiz, and the full gradebook XLSX
export (the Celery task's body, run in-process).

Use a PostgreSQL database of its own; the data stays for the next run:

    createdb -h 127.0.0.1 -U postgres bench_analytics
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_analytics \\
      .venv/bin/python bench/analytics.py [--learners 5000] [--quizzes 10] [--runs 5]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "True")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Grant, Unit, User  # noqa: E402
from accounts.services import create_unit  # noqa: E402
from courses import authoring  # noqa: E402
from courses.models import Course, Enrollment  # noqa: E402
from courses.reports.exports import build_export  # noqa: E402
from courses.reports.models import Export  # noqa: E402
from quizzes.models import Attempt, AttemptSlot, Quiz, QuizGrade, QuizItem  # noqa: E402
from quizzes.services import create_question, ensure_category_path  # noqa: E402

CODE = "BENCH-ANALYTICS"


def build(learners: int, quizzes: int, questions: int = 10) -> tuple[Course, Unit, User]:
    course = Course.objects.filter(code=CODE).first()
    if course is not None:
        return course, Unit.objects.get(code="BA"), User.objects.get(username="ba-trainer")
    t0 = time.perf_counter()
    root = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-root", "bench@example.org", None, full_name="Bench Root"
    )
    bloc = create_unit(
        actor=root,
        name="Đảng bộ Khối (đo tải)",
        code="BA",
        kind=Unit.Kind.BLOC,
        parent=None,
        place="Ninh Bình",
    )
    cells = []
    for g in range(10):
        org = create_unit(
            actor=root,
            name=f"Đảng bộ cơ sở {g + 1:02d}",
            code=f"BA-{g:02d}",
            kind=Unit.Kind.GRASSROOTS,
            parent=bloc,
        )
        for c in range(5):
            cells.append(
                create_unit(
                    actor=root,
                    name=f"Chi bộ {g + 1:02d}.{c + 1}",
                    code=f"BA-{g:02d}-{c}",
                    kind=Unit.Kind.CELL,
                    parent=org,
                )
            )
    trainer = User.objects.create(
        username="ba-trainer", full_name="Báo cáo viên đo tải", role=User.Role.TRAINER, unit=bloc
    )
    Grant.objects.create(user=trainer, unit=bloc)
    rng = random.Random(7)
    first = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương"]
    middle = ["Văn", "Thị", "Minh", "Quốc", "Thu", "Đức", "Ánh", "Hồng"]
    last = ["An", "Bình", "Châu", "Dũng", "Hà", "Khôi", "Lan", "Long", "Mỹ", "Nhung", "Ước", "Việt"]
    people = User.objects.bulk_create(
        [
            User(
                username=f"ba{i:05d}",
                full_name=f"{rng.choice(first)} {rng.choice(middle)} {rng.choice(last)}",
                unit=cells[i % len(cells)],
                password="!",
            )
            for i in range(learners)
        ],
        batch_size=2000,
    )
    course = authoring.create_course(
        actor=root, code=CODE, title="Bồi dưỡng cấp ủy viên mới (đo tải)", owner_unit=bloc
    )
    bank = ensure_category_path(path="Đo tải", owner_unit=bloc)
    quiz_list = []
    for q in range(quizzes):
        quiz = Quiz.objects.create(title=f"Kiểm tra học phần {q + 1}", owner_unit=bloc)
        for i in range(questions):
            question = create_question(
                actor=None,
                category=bank,
                type="single",
                text=f"Câu {i + 1} của bài {q + 1}",
                data={
                    "choices": [
                        {"id": "a", "text": "Đúng", "fraction": 1},
                        {"id": "b", "text": "Nhiễu 1", "fraction": 0},
                        {"id": "c", "text": "Nhiễu 2", "fraction": 0},
                        {"id": "d", "text": "Nhiễu 3", "fraction": 0},
                    ]
                },
            )
            QuizItem.objects.create(quiz=quiz, position=i, question=question)
        authoring.add_module(actor=root, course=course, title=f"Học phần {q + 1}", quiz=quiz)
        quiz_list.append(quiz)
    authoring.set_status(actor=root, course=course, status="published")
    today = timezone.localdate()
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                user=p,
                course=course,
                source=Enrollment.Source.UNIT,
                due_date=today + timedelta(days=rng.choice([-20, -5, 10, 30, 60])),
            )
            for p in people
        ],
        batch_size=2000,
    )
    versions = {
        quiz.pk: list(
            QuizItem.objects.filter(quiz=quiz)
            .order_by("position")
            .values_list("question__current_version_id", flat=True)
        )
        for quiz in quiz_list
    }
    difficulty = {v: rng.uniform(-1.5, 1.5) for vs in versions.values() for v in vs}
    now = timezone.now()
    passed_all: dict[int, int] = {}
    for quiz in quiz_list:
        with transaction.atomic():
            attempts, slots_for = [], []
            for p in people:
                if rng.random() > 0.9:
                    continue
                ability = ((p.pk * 7919) % 1000) / 1000 * 3 - 1.2
                marks = []
                for v in versions[quiz.pk]:
                    right = rng.random() < 1 / (1 + math.exp(difficulty[v] - ability))
                    marks.append((v, right))
                score = sum(1 for _v, r in marks if r)
                percent = Decimal(score * 10)
                attempts.append(
                    Attempt(
                        quiz=quiz,
                        user=p,
                        number=1,
                        state=Attempt.State.FINISHED,
                        started_at=now - timedelta(minutes=30),
                        finished_at=now,
                        last_saved_at=now,
                        score=score,
                        max_score=questions,
                        percent=percent,
                        passed=percent >= 50,
                    )
                )
                slots_for.append(marks)
            Attempt.objects.bulk_create(attempts, batch_size=2000)
            AttemptSlot.objects.bulk_create(
                (
                    AttemptSlot(
                        attempt=a,
                        position=i,
                        version_id=v,
                        choice_order=["a", "b", "c", "d"],
                        max_points=1,
                        response={"choice": "a" if right else rng.choice("bcd")},
                        score=1 if right else 0,
                        seq=1,
                        saved_at=now,
                    )
                    for a, marks in zip(attempts, slots_for, strict=True)
                    for i, (v, right) in enumerate(marks)
                ),
                batch_size=5000,
            )
            QuizGrade.objects.bulk_create(
                [
                    QuizGrade(
                        user_id=a.user_id,
                        quiz=quiz,
                        percent=a.percent,
                        passed=a.passed,
                        passed_at=now if a.passed else None,
                        attempt=a,
                    )
                    for a in attempts
                ],
                batch_size=2000,
            )
            for a in attempts:
                if a.passed:
                    passed_all[a.user_id] = passed_all.get(a.user_id, 0) + 1
    done = [u for u, n in passed_all.items() if n == quizzes]
    Enrollment.objects.filter(course=course, user_id__in=done).update(completed_at=now)
    print(f"built {learners} learners × {quizzes} quizzes in {time.perf_counter() - t0:.0f} s")
    return course, bloc, trainer


def timed(label: str, fn, runs: int) -> dict:  # type: ignore[no-untyped-def]
    fn()  # warm up (template and grant caches, connection)
    times, cpu, queries = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        queries = len(ctx.captured_queries)
    row = {
        "label": label,
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "cpu_ms": statistics.median(cpu),
        "queries": queries,
    }
    print(
        f"{label:<46} median {row['median_ms']:>8.1f} ms  max {row['max_ms']:>8.1f} ms  "
        f"web-process CPU {row['cpu_ms']:>8.1f} ms  {queries:>3} queries"
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--quizzes", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not settings.IS_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (see the docstring).")
    if "reports_export" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)  # first run only: later runs reuse the schema
    course, bloc, trainer = build(args.learners, args.quizzes)
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load: without statistics the
        # planner joins 450,000 slots blind.
        cursor.execute("ANALYZE")
    quiz = course.modules.order_by("order").first().quiz
    client = Client()
    client.force_login(trainer)

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def export() -> None:
        e = Export.objects.create(
            requested_by=trainer, kind="gradebook", params={"course": course.pk}
        )
        e = build_export(export_id=e.pk)
        assert e.status == Export.Status.DONE, e.error
        e.file.delete(save=False)
        e.delete()

    print(
        f"PostgreSQL {connection.pg_version}, {Attempt.objects.filter(quiz__module__course=course).count()} attempts, "
        f"{AttemptSlot.objects.filter(attempt__quiz__module__course=course).count()} slots"
    )
    timed(
        "gradebook first page (HTML, 50 rows)",
        lambda: get(f"/reports/courses/{course.pk}/gradebook/"),
        args.runs,
    )
    timed(
        "gradebook first page (API)", lambda: get(f"/api/courses/{course.pk}/gradebook/"), args.runs
    )
    timed(
        "roll-up of the bloc (HTML, charts, mastery)",
        lambda: get(f"/reports/units/{bloc.pk}/?course={course.pk}"),
        args.runs,
    )
    timed(
        "roll-up of the bloc (API)",
        lambda: get(f"/api/units/{bloc.pk}/report/?course={course.pk}"),
        args.runs,
    )
    timed(
        "item analysis of one quiz (HTML)",
        lambda: get(f"/reports/quizzes/{quiz.pk}/statistics/"),
        args.runs,
    )
    timed("full gradebook XLSX export (task body)", export, max(1, args.runs // 2))


if __name__ == "__main__":
    main()
