"""`make bench`: the exam-wave benchmark, start to finish, then clean up.

Steps: a fresh PostgreSQL database, migrate, collectstatic, seed N learners;
gunicorn (DEBUG off) and Celery workers on Redis (tasks, and certificate PDFs on
a queue of their own); real logins for a sample;
saturation of answer-save vs the hello-world (the project's, and a bare Django
one, bench/bare/) with wrk; an in-process profile of
the save path; the locust wave; the database compared with what every client
sent; RESULTS.md and results.json. Every process started here is stopped and
the database dropped on exit, whatever happens (SIGINT/SIGTERM included).

Options (environment): N, TIME_LIMIT, SPAWN_SECONDS, SAT_SECONDS, SAT_ROUNDS, SAT_LEARNERS,
WORKER_CLASS, WORKERS, THREADS, CELERY_CONCURRENCY, BENCH_PORT, BENCH_DB, BENCH_REDIS_DB,
BENCH_SEED, KEEP_DB=1 (see bench/README.md).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RUN = BENCH / ".run"
PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"

N = int(os.environ.get("N", "2000"))
TIME_LIMIT = int(os.environ.get("TIME_LIMIT", "180"))
SPAWN_SECONDS = int(os.environ.get("SPAWN_SECONDS", "60"))
SAT_SECONDS = int(os.environ.get("SAT_SECONDS", "10"))
SAT_ROUNDS = int(os.environ.get("SAT_ROUNDS", "3"))
SAT_LEARNERS = min(N, int(os.environ.get("SAT_LEARNERS", "500")))
CORES = os.cpu_count() or 1
# Sync workers, 3 per core: in the wave they gave lower latency than gthread
# (4 x 4, or 2 x 8, whose hello-world ceiling fell to ~1,100 req/s and would have
# flattered the ratio) and than gevent, with the hello-world ceiling as high as any.
WORKERS = int(os.environ.get("WORKERS", str(CORES * 3)))
THREADS = int(os.environ.get("THREADS", "1"))
WORKER_CLASS = os.environ.get("WORKER_CLASS", "sync")
CELERY_CONCURRENCY = int(os.environ.get("CELERY_CONCURRENCY", str(CORES)))
PORT = int(os.environ.get("BENCH_PORT", "8901"))
DB = os.environ.get("BENCH_DB", "boiduong_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "13"))
SEED = os.environ.get("BENCH_SEED", "7")
# How long after the last submit to wait for every certificate (the target is 60 s).
CERT_TIMEOUT = float(os.environ.get("CERT_TIMEOUT", "180"))
HOST = f"http://127.0.0.1:{PORT}"
# The bare ceiling (bench/bare/): Django with no app, middleware or database, its own
# gunicorn with the same settings, measured in the same rounds (issue 20).
BARE_PORT = int(os.environ.get("BENCH_BARE_PORT", str(PORT + 1)))
BARE_HOST = f"http://127.0.0.1:{BARE_PORT}"

ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB}",
    "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
    "DEBUG": "False",
    "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-" + os.urandom(24).hex()),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "False",  # plain HTTP on loopback; TLS ends at the proxy in production
    "BENCHMARK": "True",
    "WORKER_CLASS": WORKER_CLASS,  # read by bench/gunicorn.conf.py
    "BENCH_RUN_DIR": str(RUN),
    "BENCH_SEED": SEED,
    "PYTHONUNBUFFERED": "1",
    "MEDIA_ROOT": str(RUN / "media"),
    "EMAIL_URL": "dummymail://",
    # PDFs on a queue of their own, so issuing certificates never waits behind them.
    "CERTIFICATES_RENDER_QUEUE": "pdf",
}
PROCS: list[subprocess.Popen] = []


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


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def sh(*args: str, capture: bool = False, check: bool = True, **kwargs: Any) -> str:
    kwargs.setdefault("env", ENV)
    kwargs.setdefault("stdout", subprocess.PIPE if capture else None)
    done = subprocess.run(args, cwd=ROOT, check=check, text=True, **kwargs)
    return done.stdout or ""


def psql(sql: str) -> None:
    sh("psql", "-q", "-v", "ON_ERROR_STOP=1", f"{PG}/postgres", "-c", sql)


def start(name: str, *args: str) -> subprocess.Popen:
    out = (RUN / f"{name}.log").open("w")
    proc = subprocess.Popen(
        # A process group of its own (stopped as a whole), but the session of this
        # script: Linux's autogroups share the CPU between sessions first, so in a
        # session of its own a worker at nice 19 or SCHED_IDLE still got a full
        # session's share (as much as all of gunicorn). In one session, priorities
        # are what they say (in production: systemd's CPUWeight=idle).
        args,
        env=ENV,
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        process_group=0,
    )
    PROCS.append(proc)
    return proc


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, wait: float = 20) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def cleanup() -> None:
    for proc in reversed(PROCS):
        stop(proc)
    if os.environ.get("KEEP_DB") != "1":
        try:
            psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        except subprocess.CalledProcessError:
            log(f"could not drop database {DB}")
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "FLUSHDB"], stdout=subprocess.DEVNULL)


def static_is_stale() -> bool:
    """collectstatic (manifest + compression) takes minutes on a busy machine: skip it
    when the manifest is newer than every static source and the dependency lock."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    sources = [ROOT / "uv.lock", *ROOT.glob("*/static/**/*"), *ROOT.glob("*/*/static/**/*")]
    newest = max(p.stat().st_mtime for p in sources if p.is_file())
    return newest > manifest.stat().st_mtime


def port_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far (/proc/stat)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def timed(*args: str, **kwargs: Any) -> tuple[str, float, float]:
    """Run a load generator; return its output, wall seconds and CPU seconds."""
    cpu, wall = children_cpu(), time.time()
    out = sh(*args, capture=True, **kwargs)
    return out, time.time() - wall, children_cpu() - cpu


def wrk(path: str, script: str, seconds: int, connections: int = 64, host: str = HOST) -> dict:
    threads = 2
    busy, total = machine_busy()
    out, wall, cpu = timed(
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / script),
        host + path,
        env={**ENV, "BENCH_SAVES": str(RUN / "saves.tsv"), "BENCH_THREADS": str(threads)},
    )
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["loadgen_cpu_share"] = round(cpu / (wall * CORES), 3)
    busy_after, total_after = machine_busy()
    # Saturated means the cores were busy, not that the server was waiting on something.
    result["machine_busy_share"] = round((busy_after - busy) / max(1, total_after - total), 3)
    return result


def saturation() -> dict:
    """The project's hello-world, the bare Django hello-world and the save in
    alternating rounds (hello-bare-save, save-bare-hello, ...): this VM's speed
    drifts by tens of per cent from minute to minute, and taking the figures round
    by round keeps that drift out of their ratios; the run's figures are those of
    the round with the median ratio (save / project's hello)."""
    log(f"saturation: {SAT_LEARNERS} untimed attempts for the save rotation")
    sh(PY, "bench/prepare_saturation.py", "--run-dir", str(RUN), "--learners", str(SAT_LEARNERS))
    log("saturation: warm-up (slot specs cached, connections open)")
    wrk("/", "save.lua", 10)
    wrk("/bench/hello", "hello.lua", 5)
    wrk("/hello", "hello.lua", 5, host=BARE_HOST)
    measure = {
        "hello": lambda: wrk("/bench/hello", "hello.lua", SAT_SECONDS),
        "bare": lambda: wrk("/hello", "hello.lua", SAT_SECONDS, host=BARE_HOST),
        "save": lambda: wrk("/", "save.lua", SAT_SECONDS),
    }
    runs: dict[str, list[dict]] = {"hello": [], "bare": [], "save": []}
    for i in range(SAT_ROUNDS):
        order = ("hello", "bare", "save") if i % 2 == 0 else ("save", "bare", "hello")
        for what in order:
            runs[what].append(measure[what]())
        log(
            f"saturation round {i + 1}/{SAT_ROUNDS} ({SAT_SECONDS}s each): hello "
            f"{runs['hello'][-1]['rps']} req/s, bare {runs['bare'][-1]['rps']} req/s, "
            f"save {runs['save'][-1]['rps']} req/s"
        )
    rounds = [
        {
            "hello_rps": h["rps"],
            "bare_rps": b["rps"],
            "save_rps": s["rps"],
            "ratio": round(s["rps"] / h["rps"], 3),
            "bare_ratio": round(s["rps"] / b["rps"], 3),
        }
        for h, b, s in zip(runs["hello"], runs["bare"], runs["save"], strict=True)
    ]
    # The median round stands for the run: one round disturbed by the VM (a
    # hello-world at half speed) moves neither figure. Both ratios come from that
    # round, so that bare_ratio is save_rps / bare_ceiling_rps as reported.
    median = sorted(range(len(rounds)), key=lambda i: rounds[i]["ratio"])[len(rounds) // 2]
    return {
        "hello": runs["hello"][median],
        "bare": runs["bare"][median],
        "save": runs["save"][median],
        "ratio": rounds[median]["ratio"],
        "bare_ratio": rounds[median]["bare_ratio"],
        "median_round": median + 1,
        "rounds": rounds,
    }


def locust_stats(prefix: Path) -> dict:
    import csv

    out = {}
    with (prefix.parent / (prefix.name + "_stats.csv")).open() as f:
        for row in csv.DictReader(f):
            name = row["Name"] if row["Name"] != "Aggregated" else "all"
            out[name] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "max_ms": round(float(row["Max Response Time"]), 1),
            }
    return out


def wave() -> dict:
    # Locust's own ramp-up dispatches floor(rate) users at once every second: 33
    # starts in the same instant, then none. Learners let in by the waiting room
    # arrive one by one, so every learner is spawned up front and waits for its own
    # arrival time, drawn uniformly over the window from the seed (bench/locustfile.py).
    lead = 10  # seconds for locust to start and spawn every learner before the first arrival
    run_time = lead + SPAWN_SECONDS + TIME_LIMIT + 60
    log(f"wave: {N} learners arriving over {SPAWN_SECONDS}s, {TIME_LIMIT}s exam")
    poller = start("poll", PY, "bench/poll.py", "--run-dir", str(RUN))
    sampler = start("sampler", PY, "bench/sampler.py", "--run-dir", str(RUN))
    out, wall, cpu = timed(
        str(BIN / "locust"),
        "-f",
        "bench/locustfile.py",
        "--headless",
        "--only-summary",
        "-u",
        str(N),
        "-r",
        str(N),
        "--run-time",
        f"{run_time}s",
        "--stop-timeout",
        "30",
        "--host",
        HOST,
        "--csv",
        str(RUN / "locust"),
        "--loglevel",
        "WARNING",
        stderr=subprocess.STDOUT,
        check=False,  # locust exits 1 when any request failed: counted and reported below
        env={
            **ENV,
            "BENCH_WAVE_START": str(time.time() + lead),
            "BENCH_SPAWN_SECONDS": str(SPAWN_SECONDS),
        },
    )
    (RUN / "locust.out").write_text(out)
    if not (RUN / "client.json").exists():
        raise SystemExit("locust did not finish the wave: see bench/.run/locust.out")
    stats = locust_stats(RUN / "locust")
    clients = json.loads((RUN / "client.json").read_text())
    last_submit = max((c.get("submit_acked", 0) for c in clients.values()), default=time.time())
    log("wave done; waiting for grading and certificates")
    expected = sum(1 for c in clients.values() if c.get("submit_status") == 200)
    graded_at = certified_at = None
    samples: list[dict] = []
    deadline = last_submit + CERT_TIMEOUT
    while time.time() < deadline:
        samples = [json.loads(x) for x in (RUN / "poll.jsonl").read_text().splitlines() if x]
        for s in samples:
            if graded_at is None and s["graded"] >= expected:
                graded_at = s["t"]
            if (
                certified_at is None
                and graded_at is not None
                and s["t"] >= graded_at
                and s["certificates"] >= s["passed"] == s["completions"]
            ):
                certified_at = s["t"]
        if certified_at is not None:
            break
        time.sleep(1)
    stop(poller)
    stop(sampler)
    final = samples[-1] if samples else {}
    return {
        "stats": stats,
        "wall_s": round(wall, 1),
        "loadgen_cpu_share": round(cpu / (wall * CORES), 3),
        "submitted": expected,
        "last_submit": last_submit,
        "graded_within_s": None
        if graded_at is None
        else round(max(0.0, graded_at - last_submit), 1),
        "certified_within_s": None
        if certified_at is None
        else round(max(0.0, certified_at - last_submit), 1),
        "final": final,
    }


def main() -> None:
    for tool in ("wrk", "psql", "redis-cli"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing (make bench installs it)")
    for port, var in ((PORT, "BENCH_PORT"), (BARE_PORT, "BENCH_BARE_PORT")):
        if not port_free(port):  # another server there would answer in gunicorn's place
            raise SystemExit(f"port {port} is in use: stop what listens there or set {var}")
    if RUN.exists():
        shutil.rmtree(RUN, ignore_errors=True)  # a worker of the last run may still be writing
    RUN.mkdir(parents=True)
    started = time.time()
    log(f"fresh database {DB}")
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB}")
    subprocess.run(
        ["redis-cli", "-n", str(REDIS_DB), "FLUSHDB"], stdout=subprocess.DEVNULL, check=True
    )
    collect = None
    if static_is_stale():
        log("collectstatic (in the background)")
        collect = start("collectstatic", PY, "manage.py", "collectstatic", "--no-input", "-v0")
    t = time.time()
    sh(PY, "manage.py", "migrate", "--no-input", "-v0")
    log(f"  migrated in {time.time() - t:.0f}s")
    log(f"seeding {N} learners")
    t = time.time()
    sh(
        PY,
        "bench/seed.py",
        "--learners",
        str(N),
        "--time-limit",
        str(TIME_LIMIT),
        "--seed",
        SEED,
        "--out",
        str(RUN),
        stdout=subprocess.DEVNULL,
    )
    seed_s = round(time.time() - t, 1)
    if collect is not None and collect.wait() != 0:
        raise SystemExit("collectstatic failed: see bench/.run/collectstatic.log")
    log(f"gunicorn: {WORKERS} workers x {THREADS} threads; celery: {CELERY_CONCURRENCY} processes")
    start(
        "gunicorn",
        str(BIN / "gunicorn"),
        "config.wsgi",
        "-c",
        str(BENCH / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
    )
    # The bare ceiling: same gunicorn settings, worker count and class; idle
    # (blocked in accept) except during its own saturation rounds.
    start(
        "gunicorn-bare",
        str(BIN / "gunicorn"),
        "bench.bare.wsgi",
        "-c",
        str(BENCH / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{BARE_PORT}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
    )
    # Background work yields the CPU to learners' requests: completions and
    # certificates at nice 19, and PDFs (WeasyPrint, the heaviest task by far) only
    # on an otherwise idle core (SCHED_IDLE). They can wait, an answer save cannot
    # (README, capacity guide).
    celery = (str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "WARNING")
    quiet = ("--without-gossip", "--without-mingle")
    start(
        "celery", "nice", "-n", "19", *celery, "-Q", "celery",
        "--concurrency", str(CELERY_CONCURRENCY), *quiet,
    )  # fmt: skip
    start(
        "celery-pdf", "chrt", "--idle", "0", *celery, "-Q", "pdf", "-n", "pdf@%h",
        "--concurrency", "1", *quiet,
    )  # fmt: skip
    wait_http(HOST + "/healthz")
    wait_http(HOST + "/bench/hello")
    wait_http(BARE_HOST + "/hello")
    log("logins: a real sample")
    logins = json.loads(
        sh(PY, "bench/logins.py", "--run-dir", str(RUN), "--port", str(PORT), capture=True)
        .strip()
        .splitlines()[-1]
    )
    sat = saturation()
    if os.environ.get("SATURATION_ONLY") == "1":  # tuning: no wave, no report
        log(
            f"ratio {sat['ratio']}, bare_ratio {sat['bare_ratio']} (SATURATION_ONLY"
            ": no wave, RESULTS.md left as it was)"
        )
        return
    log("profile: save path in-process (pyinstrument)")
    profile = json.loads(
        sh(PY, "bench/profile_save.py", "--run-dir", str(RUN), "--requests", "600", capture=True)
        .strip()
        .splitlines()[-1]
    )
    shutil.copy(RUN / "profile-save.txt", BENCH / "profile-save.txt")
    waved = wave()
    log("verify: database vs what every client sent")
    sh(PY, "bench/verify.py", "--run-dir", str(RUN), stdout=subprocess.DEVNULL)
    verified = json.loads((RUN / "verify.json").read_text())
    sys.path.insert(0, str(BENCH))
    os.environ["DATABASE_URL"] = ENV["DATABASE_URL"]  # the report asks the server's version
    from report import write_report

    write_report(
        run_dir=RUN,
        settings={
            "N": N,
            "TIME_LIMIT": TIME_LIMIT,
            "SPAWN_SECONDS": SPAWN_SECONDS,
            "SAT_SECONDS": SAT_SECONDS,
            "SAT_ROUNDS": SAT_ROUNDS,
            "SAT_LEARNERS": SAT_LEARNERS,
            "WORKERS": WORKERS,
            "THREADS": THREADS,
            "WORKER_CLASS": WORKER_CLASS,
            "CELERY_CONCURRENCY": CELERY_CONCURRENCY,
            "BENCH_SEED": SEED,
            "CERT_TIMEOUT": CERT_TIMEOUT,
        },
        seed_s=seed_s,
        logins=logins,
        sat=sat,
        profile=profile,
        wave=waved,
        verified=verified,
        total_s=round(time.time() - started),
    )


if __name__ == "__main__":

    def _interrupted(signum: int, _frame: Any) -> None:
        raise SystemExit(f"interrupted by signal {signum}")

    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    try:
        main()
    finally:
        cleanup()
