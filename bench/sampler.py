"""Where the machine's CPU goes during the wave: every second, the cores used
by each group of processes (gunicorn, PostgreSQL, the load generator, each
Celery worker, Redis, the rest) and the machine's busy share, from /proc.
One JSON line per sample in cpu.jsonl; stops on SIGTERM.

    python bench/sampler.py --run-dir bench/.run
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import time
from collections import Counter
from pathlib import Path

HZ = os.sysconf("SC_CLK_TCK")
# First match wins: the PDF worker before the other Celery worker.
GROUPS = (
    ("gunicorn", "gunicorn"),
    ("postgres", "postgres"),
    ("locust", "locust"),
    ("celery-pdf", "pdf@"),
    ("celery", "celery"),
    ("redis", "redis-server"),
)
RUNNING = True


def stop(*_args: object) -> None:
    global RUNNING
    RUNNING = False


def group_of(cmdline: str) -> str:
    return next((name for name, key in GROUPS if key in cmdline), "other")


def processes() -> dict[int, tuple[str, int]]:
    """pid -> (group, CPU ticks so far)."""
    out = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        out[int(entry.name)] = (group_of(cmdline), int(fields[11]) + int(fields[12]))
    return out


def machine() -> tuple[int, int]:
    """(busy, total) ticks of the whole machine."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    before, (busy0, total0), t0 = processes(), machine(), time.time()
    with (args.run_dir / "cpu.jsonl").open("a") as out:
        while RUNNING:
            time.sleep(args.interval)
            after, (busy1, total1), t1 = processes(), machine(), time.time()
            used: Counter[str] = Counter()
            for pid, (group, ticks) in after.items():
                used[group] += ticks - before.get(pid, (group, 0))[1]
            seconds = (t1 - t0) * HZ
            sample = {name: round(used[name] / seconds, 3) for name in sorted(used) if used[name]}
            sample["t"] = t1
            sample["busy"] = round((busy1 - busy0) / max(1, total1 - total0), 3)
            out.write(json.dumps(sample) + "\n")
            out.flush()
            before, busy0, total0, t0 = after, busy1, total1, t1


if __name__ == "__main__":
    main()
