"""Profile the answer-save request in-process (full middleware stack, real
PostgreSQL and Redis, production settings) with pyinstrument, and count its
queries. Uses the rows prepare_saturation.py wrote.

    python bench/profile_save.py --run-dir bench/.run --requests 2000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from pyinstrument import Profiler  # noqa: E402


def load_rows(run_dir: Path) -> list[tuple[str, str, str, str]]:
    rows = []
    for line in (run_dir / "saves.tsv").read_text().splitlines():
        path, session, csrf, response = line.split("\t")
        rows.append((path, session, csrf, response))
    return rows


def run(rows: list, count: int, seq_start: int, what: str, client: Client) -> float:
    started = time.perf_counter()
    for i in range(count):
        path, session, csrf, response = rows[i % len(rows)]
        seq = seq_start + i // len(rows)
        client.cookies["sessionid"] = session
        client.cookies["csrftoken"] = csrf
        reply = client.generic(
            "PUT",
            path,
            f'{{"response":{response},"seq":{seq}}}',
            content_type="application/json",
            HTTP_X_CSRFTOKEN=csrf,
            HTTP_HOST="127.0.0.1",
        )
        if reply.status_code != 200:
            raise SystemExit(f"{what}: {reply.status_code} {reply.content[:200]!r}")
    return time.perf_counter() - started


def compare_database_part(rows: list, count: int) -> dict:
    """The service call alone, then the one-statement proposal (bench/alt_save.py)."""
    from types import SimpleNamespace

    from alt_save import save_one_statement
    from django.utils import timezone

    from quizzes import scoring
    from quizzes.models import AttemptSlot
    from quizzes.services import save_answer

    ids = [tuple(int(x) for x in r[0].strip("/").split("/")[2:5:2]) for r in rows]
    specs = {
        pk: (attempt, user, kind, data)
        for pk, attempt, user, kind, data in AttemptSlot.objects.filter(
            pk__in=[slot for _a, slot in ids]
        ).values_list("pk", "attempt_id", "attempt__user_id", "version__type", "version__data")
    }
    answers = [json.loads(r[3]) for r in rows]
    started = time.perf_counter()
    for i in range(count):
        attempt, slot = ids[i % len(ids)]
        save_answer(
            user=SimpleNamespace(pk=specs[slot][1]),  # type: ignore[arg-type]
            attempt_id=attempt,
            slot_id=slot,
            response=answers[i % len(ids)],
            seq=20000 + i // len(ids),
        )
    service = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(count):
        attempt, slot = ids[i % len(ids)]
        _attempt, _user, kind, data = specs[slot]
        clean = scoring.validate_response(
            kind, scoring.allowed_ids(kind, data), answers[i % len(ids)]
        )
        alive, written = save_one_statement(
            attempt_id=attempt,
            slot_id=slot,
            clean=clean,
            seq=30000 + i // len(ids),
            now=timezone.now(),
        )
        if not (alive and written):
            raise SystemExit("one-statement save did not write")
    one = time.perf_counter() - started
    return {
        "service save_answer() alone": (round(service * 1000 / count, 3), 3),
        "one-statement proposal alone": (round(one * 1000 / count, 3), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    rows = load_rows(args.run_dir)[: max(1, args.requests // 4)]
    client = Client(enforce_csrf_checks=True)
    # Warm up: slot specs cached, connections open, code paths imported.
    run(rows, len(rows), 1000, "warm-up", client)
    queries: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    # Every statement the request sends, BEGIN/COMMIT aside (Django's query log
    # is reset by request_started, so count with a wrapper instead).
    with connection.execute_wrapper(record):
        run(rows, 1, 1001, "count", client)
    seconds = run(rows, args.requests, 1002, "timed", client)
    variants = {"as configured": (round(seconds * 1000 / args.requests, 3), len(queries))}
    # The same requests through config.fastauth (cached user, see its docstring),
    # to show what that change is worth before it is wired in.
    django_auth = "django.contrib.auth.middleware.AuthenticationMiddleware"
    if django_auth in settings.MIDDLEWARE:
        middleware = [
            "config.fastauth.CachedUserAuthenticationMiddleware" if m == django_auth else m
            for m in settings.MIDDLEWARE
        ]
        with override_settings(MIDDLEWARE=middleware):
            fast = Client(enforce_csrf_checks=True)
            run(rows, len(rows), 5000, "fastauth warm-up", fast)
            fast_queries: list[str] = []

            def record_fast(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
                fast_queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(record_fast):
                run(rows, 1, 5001, "fastauth count", fast)
            fast_s = run(rows, args.requests, 5002, "fastauth timed", fast)
        variants["with config.fastauth"] = (
            round(fast_s * 1000 / args.requests, 3),
            len(fast_queries),
        )
    variants.update(compare_database_part(rows, args.requests))
    profiler = Profiler(interval=0.0005)
    profiler.start()
    run(rows, args.requests, 1002 + args.requests // len(rows) + 1, "profiled", client)
    profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    flat = profiler.output_text(unicode=True, color=False, flat=True)
    summary = {
        "requests": args.requests,
        "ms_per_save_in_process": round(seconds * 1000 / args.requests, 3),
        "queries_per_save": len(queries),
        "queries": [q[:160] for q in queries],
        "variants_ms_queries": variants,
    }
    out = args.out or (args.run_dir / "profile-save.txt")
    out.write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n\n" + text + "\n\n" + flat
    )
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
