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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
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
        if reply.status_code != 200 or b'"saved":true' not in reply.content:
            raise SystemExit(f"{what}: {reply.status_code} {reply.content[:200]!r}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    rows = load_rows(args.run_dir)[: max(1, args.requests // 4)]
    client = Client(enforce_csrf_checks=True)
    # Above any seq an earlier run sent (bench/save.lua starts from the clock too),
    # so that every save is a real write.
    seq = int(time.time())
    # Warm up: slot specs cached, connections open, code paths imported.
    run(rows, len(rows), seq, "warm-up", client)
    queries: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    # Every statement the request sends, BEGIN/COMMIT aside (Django's query log
    # is reset by request_started, so count with a wrapper instead).
    with connection.execute_wrapper(record):
        run(rows, 1, seq + 1, "count", client)
    cpu = time.process_time()
    seconds = run(rows, args.requests, seq + 2, "timed", client)
    cpu = time.process_time() - cpu
    # The ceiling's view through the same stack and cookies, for the in-process ratio.
    started = time.perf_counter()
    for _ in range(args.requests):
        client.get("/bench/hello", HTTP_HOST="127.0.0.1")
    hello_ms = (time.perf_counter() - started) * 1000 / args.requests
    profiler = Profiler(interval=0.0005)
    profiler.start()
    run(rows, args.requests, seq + 3 + args.requests // len(rows), "profiled", client)
    profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    flat = profiler.output_text(unicode=True, color=False, flat=True)
    summary = {
        "requests": args.requests,
        "ms_per_save_in_process": round(seconds * 1000 / args.requests, 3),
        "cpu_ms_per_save_in_process": round(cpu * 1000 / args.requests, 3),
        "queries_per_save": len(queries),
        "queries": [q[:160] for q in queries],
        "hello_ms_in_process": round(hello_ms, 3),
    }
    out = args.out or (args.run_dir / "profile-save.txt")
    out.write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n\n" + text + "\n\n" + flat
    )
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
