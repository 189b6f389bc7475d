"""A hall of 500 checking in by QR within two minutes (issue 19), against gunicorn.

Builds a fresh PostgreSQL database, seeds one unit with N learners invited to
two sessions open for check-in, mints a signed-cookie login session for each
learner (as bench/seed.py does), starts gunicorn as `make bench` does
(bench/gunicorn.conf.py, 3 sync workers per core, DEBUG off) and then:

1. wave: N learners arrive at uniformly random moments over SECONDS (open
   loop: each opens the check-in URL of the QR at its own time, whatever the
   server does), each GET carrying the token the screen shows at that moment;
   (after a warm-up: each worker renders the page a few times first);
2. burst: the same N on the second session as fast as CONCURRENCY
   connections allow, for the ceiling.

Every reply must be 200 with "Đã điểm danh"; afterwards each session must hold
exactly N attendance rows, one per learner. Prints the figures as JSON and
writes them to bench/out/checkin.json. The database is dropped on exit.

    .venv/bin/python bench/checkin.py [--learners 500] [--seconds 120] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("BENCH_PORT", "8911"))
DB = os.environ.get("BENCH_DB", "boiduong_bench_checkin")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
WORKERS = int(os.environ.get("WORKERS", str((os.cpu_count() or 1) * 3)))
ENV = {
    "DATABASE_URL": f"{PG}/{DB}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
    "DEBUG": "False",
    "SECRET_KEY": "bench-checkin-" + os.urandom(24).hex(),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "False",  # plain HTTP on loopback
    "EMAIL_URL": "dummymail://",
    "PYTHONUNBUFFERED": "1",
}


def signing_key() -> str:
    """A throwaway Ed25519 key: production refuses to run without one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


ENV["CERTIFICATE_SIGNING_KEY"] = signing_key()
os.environ.update(ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(f"[checkin {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def psql(sql: str) -> None:
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{PG}/postgres", "-c", sql], check=True)


def seed(learners: int) -> dict:
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.utils import timezone

    from accounts.models import Unit, User
    from accounts.services import create_unit
    from courses import authoring
    from training import services

    root = User.objects.create_superuser("bench-root", "root@example.org", None, full_name="Root")
    bloc = create_unit(actor=root, name="Đảng bộ Khối", code="BK", kind=Unit.Kind.BLOC,
                       parent=None)  # fmt: skip
    cell = create_unit(actor=root, name="Chi bộ Hội trường", code="HT", kind=Unit.Kind.CELL,
                       parent=bloc)  # fmt: skip
    trainer = User.objects.create_user(
        "bench-trainer", None, None, full_name="Báo Cáo Viên", unit=bloc, role=User.Role.TRAINER
    )
    course = authoring.create_course(
        actor=root, code="TH-BENCH", title="Tập huấn đo tải", owner_unit=bloc
    )
    password = make_password(None)
    people = User.objects.bulk_create(
        User(username=f"hv{i:04d}", full_name=f"Học Viên {i:04d}", unit=cell, password=password)
        for i in range(learners)
    )
    start = timezone.now() + timedelta(minutes=15)
    sessions = [
        services.create_session(
            actor=root,
            course=course,
            data=services.SessionData(
                title=title, venue="Hội trường", starts_at=start, ends_at=start + timedelta(hours=3)
            ),
            invited_units=[cell],
        ).pk
        for title in ("Buổi 1", "Buổi 2")
    ]
    cookies = []
    for user in people:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    return {"sessions": sessions, "cookies": cookies, "trainer": trainer.pk}


def check_in(session_pk: int, cookie: str) -> tuple[float, int, bool]:
    from training import checkin

    url = f"/sessions/{session_pk}/check-in/?t={checkin.rotating_token(session_pk)}"
    started = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        conn.request("GET", url, headers={"Cookie": cookie, "Accept-Language": "vi"})
        reply = conn.getresponse()
        body = reply.read().decode()
        conn.close()
    except OSError:
        return (time.perf_counter() - started) * 1000, 0, False
    ok = reply.status == 200 and "Đã điểm danh" in body
    return (time.perf_counter() - started) * 1000, reply.status, ok


def warm_up(session_pk: int) -> None:
    """Every worker renders the check-in page once before the clock starts (its
    first render loads and compiles the templates)."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(lambda _: check_in(session_pk, ""), range(WORKERS * 4)))


def figures(name: str, results: list[tuple[float, int, bool]], wall: float) -> dict:
    times = sorted(r[0] for r in results)

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p / 100 * len(times)))], 1)

    return {
        "phase": name,
        "requests": len(results),
        "ok": sum(1 for r in results if r[2]),
        "errors": sum(1 for r in results if not r[2]),
        "wall_s": round(wall, 1),
        "rps": round(len(results) / wall, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": round(times[-1], 1),
    }


def wave(session_pk: int, cookies: list[str], seconds: float, seed_value: int) -> dict:
    """Open loop: each learner at its own random moment within `seconds`."""
    rng = random.Random(seed_value)
    arrivals = sorted(rng.uniform(0, seconds) for _ in cookies)
    results: list[tuple[float, int, bool]] = []
    lock = threading.Lock()
    begin = time.monotonic()

    def one(at: float, cookie: str) -> None:
        delay = begin + at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        result = check_in(session_pk, cookie)
        with lock:
            results.append(result)

    with ThreadPoolExecutor(max_workers=len(cookies)) as pool:
        for at, cookie in zip(arrivals, cookies, strict=True):
            pool.submit(one, at, cookie)
    return figures("wave", results, time.monotonic() - begin)


def burst(session_pk: int, cookies: list[str], concurrency: int) -> dict:
    begin = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda c: check_in(session_pk, c), cookies))
    return figures("burst", results, time.monotonic() - begin)


def verify(sessions: list[int], learners: int) -> dict:
    from django.db.models import Count

    from training.models import Attendance

    out = {}
    for pk in sessions:
        rows = Attendance.objects.filter(session_id=pk)
        per_user = rows.values("user_id").annotate(n=Count("id")).filter(n__gt=1).count()
        out[str(pk)] = {
            "rows": rows.count(),
            "duplicates": per_user,
            "statuses": dict(rows.values_list("status").annotate(n=Count("id"))),
            "expected": learners,
        }
    return out


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not shutil.which("psql"):
        raise SystemExit("psql is missing (apt-get install postgresql-client)")
    if not port_free(PORT):
        raise SystemExit(f"port {PORT} is in use: set BENCH_PORT")
    load_before = os.getloadavg()
    log(f"fresh database {DB}")
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB}")
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", "--no-input", verbosity=0)
        call_command("collectstatic", "--no-input", verbosity=0)  # DEBUG off: the manifest
        log(f"seeding {args.learners} learners and two sessions")
        world = seed(args.learners)
        connection.close()
        log(f"gunicorn: {WORKERS} sync workers on port {PORT}")
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "-c", str(ROOT / "bench/gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{PORT}", "--workers", str(WORKERS)],
            cwd=ROOT, env={**os.environ}, start_new_session=True,
        )  # fmt: skip
        for _ in range(120):
            if not port_free(PORT):
                break
            time.sleep(0.5)
        time.sleep(1)
        first, second = world["sessions"]
        warm_up(first)
        log(f"wave: {args.learners} check-ins spread over {args.seconds:.0f} s")
        wave_figures = wave(first, world["cookies"], args.seconds, args.seed)
        log(json.dumps(wave_figures))
        log(f"burst: {args.learners} check-ins, {args.concurrency} at a time")
        burst_figures = burst(second, world["cookies"], args.concurrency)
        log(json.dumps(burst_figures))
        result = {
            "learners": args.learners,
            "workers": WORKERS,
            "cores": os.cpu_count(),
            "load_before": [round(x, 1) for x in load_before],
            "load_after": [round(x, 1) for x in os.getloadavg()],
            "wave": wave_figures,
            "burst": burst_figures,
            "stored": verify(world["sessions"], args.learners),
        }
        out = ROOT / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "checkin.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(json.dumps(result, ensure_ascii=False))
        bad = [
            s for s in result["stored"].values() if s["rows"] != args.learners or s["duplicates"]
        ]
        if bad or wave_figures["errors"] or burst_figures["errors"]:
            raise SystemExit("check-ins lost, duplicated or refused: see above")
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
