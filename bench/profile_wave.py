"""What one learner of the wave costs, in-process: the CPU of this process
(`time.process_time`, one request at a time) and of its PostgreSQL backend
(read from /proc), queries counted, and a pyinstrument profile of each step.
Learners are taken from the end of sessions.json (the wave and the saturation
rotation use the first ones); each starts the exam through the full middleware
stack, saves every answer, and submits; then the Celery tasks that follow a
pass run here, one learner at a time as a worker runs them: the completion
(`courses.services.complete_after_pass`, what the drain task
`courses.tasks.complete_passes` does for each pass) and the certificate's issuing
(`courses.certificates.tasks.issue_certificate`: the row, serial and code; the
PDF is a task of its own, measured by bench/pdf_rate.py). Tasks they enqueue
go to the broker (REDIS_URL) and are not run. Each run uses up learners (one
attempt each): keep the database (KEEP_DB=1) only for a few runs.

    python bench/profile_wave.py --run-dir bench/.run --learners 60
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from config.wsgi import application as WSGI  # noqa: E402
from courses import services as course_services  # noqa: E402
from courses.certificates import tasks as certificate_tasks  # noqa: E402
from courses.certificates.models import Certificate  # noqa: E402
from courses.models import Completion  # noqa: E402
from quizzes import scoring  # noqa: E402
from quizzes.models import Attempt, AttemptSlot  # noqa: E402

HZ = os.sysconf("SC_CLK_TCK")
HELLOS = 10  # hello-worlds per learner: the yardstick of the CPU figures


def backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (same machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


CLIENT = Client(enforce_csrf_checks=True)  # one handler: a Client per learner would
# build the middleware (and WhiteNoise's file scan) again for each


def wsgi_put(path: str, body: bytes, session: dict) -> tuple[str, bytes]:
    """PUT `body` to `path` through `config.wsgi.application`, as gunicorn calls it."""
    environ = {
        "REQUEST_METHOD": "PUT",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"sessionid={session['session']}; csrftoken={session['csrf']}",
        "HTTP_X_CSRFTOKEN": session["csrf"],
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
    }
    status: list[str] = []
    reply = b"".join(WSGI(environ, lambda s, headers: status.append(s)))
    return status[0], reply


class Learner:
    def __init__(self, session: dict) -> None:
        self.session = session
        self.headers = {"HTTP_X_CSRFTOKEN": session["csrf"], "HTTP_HOST": "127.0.0.1"}
        self.attempt: dict[str, Any] = {}
        self.answers: list[tuple[int, Any]] = []
        self.completion = 0

    @property
    def client(self) -> Client:
        CLIENT.cookies["sessionid"] = self.session["session"]
        CLIENT.cookies["csrftoken"] = self.session["csrf"]
        return CLIENT

    def post(self, path: str) -> dict:
        reply = self.client.post(path, content_type="application/json", **self.headers)
        if reply.status_code not in (200, 201):
            raise SystemExit(f"{path}: {reply.status_code} {reply.content[:300]!r}")
        return reply.json()


def measure(
    step: str,
    learners: list[Learner],
    call: Any,
    profiler: Profiler | None = None,
    per_learner: int = 1,
) -> dict:
    """`per_learner`: operations per learner (a save step makes one per slot)."""
    queries: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    pg, cpu, wall = backend_cpu(), time.process_time(), time.perf_counter()
    if profiler:
        profiler.start()
    with connection.execute_wrapper(record):
        for learner in learners:
            call(learner)
    if profiler:
        profiler.stop()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pg = backend_cpu() - pg
    n = len(learners) * per_learner
    return {
        "step": step,
        "requests": n,
        "app_cpu_ms": round(cpu * 1000 / n, 2),
        "pg_cpu_ms": round(pg * 1000 / n, 2),
        "wall_ms": round(wall * 1000 / n, 2),
        "queries": round(len(queries) / n, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    meta = json.loads((args.run_dir / "meta.json").read_text())
    sessions = json.loads((args.run_dir / "sessions.json").read_text())
    # Three groups of learners who have not taken the exam, from the end: one warms
    # the process up, one is measured, one is profiled (the profiler costs CPU).
    taken = set(Attempt.objects.filter(quiz_id=meta["quiz"]).values_list("user_id", flat=True))
    chosen = [Learner(s) for s in sessions if s["user"] not in taken][-3 * args.learners :]
    n = args.learners
    warm, measured, profiled = chosen[:n], chosen[n : 2 * n], chosen[2 * n :]
    start_path = f"/api/quizzes/{meta['quiz']}/attempts/"

    def start(learner: Learner) -> None:
        learner.attempt = learner.post(start_path)

    def answers(learner: Learner) -> None:
        """The right answer for each slot (read outside the measured saves)."""
        ids = [s["id"] for s in learner.attempt["slots"]]
        slots = AttemptSlot.objects.filter(pk__in=ids).select_related("version")
        learner.answers = [
            (slot.pk, scoring.right_answer(slot.version.type, slot.version.data)) for slot in slots
        ]

    def answer_all(learner: Learner) -> None:
        """Through the WSGI application gunicorn serves (the save's fast path)."""
        for seq, (slot, response) in enumerate(learner.answers, start=1):
            body = json.dumps({"response": response, "seq": seq}).encode()
            status, reply = wsgi_put(
                f"/api/attempts/{learner.attempt['id']}/answers/{slot}/", body, learner.session
            )
            if not status.startswith("200"):
                raise SystemExit(f"save: {status} {reply[:300]!r}")

    def submit(learner: Learner) -> None:
        learner.post(f"/api/attempts/{learner.attempt['id']}/submit/")

    def complete(learner: Learner) -> None:
        completion = course_services.complete_after_pass(
            user_id=learner.session["user"], quiz_id=meta["quiz"]
        )
        if completion is None:
            raise SystemExit(f"learner {learner.session['user']}: no completion")

    def certify(learner: Learner) -> None:
        if certificate_tasks.issue_certificate(learner.completion) is None:
            raise SystemExit(f"learner {learner.session['user']}: no certificate")

    def completions(learners: list[Learner]) -> None:
        by_user = dict(
            Completion.objects.filter(
                user_id__in=[x.session["user"] for x in learners]
            ).values_list("user_id", "pk")
        )
        for learner in learners:
            learner.completion = by_user[learner.session["user"]]

    for learner in warm:
        start(learner)
        answers(learner)
        answer_all(learner)
        submit(learner)
        complete(learner)
    completions(warm)
    for learner in warm:
        certify(learner)

    def hello(learner: Learner) -> None:
        """The project's hello-world through the same stack: the yardstick."""
        for _ in range(HELLOS):
            if learner.client.get("/bench/hello", **learner.headers).status_code != 200:
                raise SystemExit("/bench/hello: run with BENCHMARK=True")

    steps = ("start", "save", "submit", "completion", "certificate")
    profilers = {step: Profiler(interval=0.0005) for step in steps}
    # A machine shared with other jobs runs everything slower by the same factor:
    # each step is also given in hello-worlds (its CPU / one hello-world's).
    hello(warm[0])
    results = [measure("hello", measured, hello, per_learner=HELLOS)]
    results.append(measure("start", measured, start))
    measure("start", profiled, start, profilers["start"])
    for learner in measured + profiled:
        answers(learner)
    per = len(measured[0].answers)
    results.append(measure("save", measured, answer_all, per_learner=per))
    measure("save", profiled, answer_all, profilers["save"], per_learner=per)
    results.append(measure("submit", measured, submit))
    measure("submit", profiled, submit, profilers["submit"])
    results.append(measure("completion", measured, complete))
    measure("completion", profiled, complete, profilers["completion"])
    completions(measured + profiled)
    # Since issue 20 the completion task issues the certificate itself: the issuing
    # task is then left with nothing to do, and is measured only where it has work.
    issued = set(
        Certificate.objects.filter(
            completion_id__in=[x.completion for x in measured + profiled]
        ).values_list("completion_id", flat=True)
    )
    pending = [x for x in measured if x.completion not in issued]
    if pending:
        results.append(measure("certificate", pending, certify))
        measure(
            "certificate",
            [x for x in profiled if x.completion not in issued],
            certify,
            profilers["certificate"],
        )
    else:
        profilers.pop("certificate")
    chain = [r for r in results if r["step"] in ("completion", "certificate")]
    results.append(
        {
            "step": "completion+certificate",
            "requests": chain[0]["requests"],
            **{
                key: round(sum(r[key] for r in chain), 2)
                for key in ("app_cpu_ms", "pg_cpu_ms", "wall_ms", "queries")
            },
        }
    )
    unit = results[0]["app_cpu_ms"] or 1
    for row in results:
        row["app_cpu_hellos"] = round(row["app_cpu_ms"] / unit, 1)
    out = args.out or (args.run_dir / "profile-wave.txt")
    out.write_text(
        json.dumps(results, indent=2)
        + "".join(
            f"\n\n{step}\n\n" + profiler.output_text(unicode=True, color=False, show_all=False)
            for step, profiler in profilers.items()
        )
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
