"""Watch the database during and after the wave: every 0.5 s, how many attempts
are submitted and graded, how many completions and certificates exist.
One JSON line per sample in poll.jsonl; stops on SIGTERM.

    python bench/poll.py --run-dir bench/.run
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db.models import Count, Q  # noqa: E402

from courses.certificates.models import Certificate  # noqa: E402
from courses.models import Completion  # noqa: E402
from quizzes.models import Attempt, QuizGrade  # noqa: E402

RUNNING = True


def stop(*_args: object) -> None:
    global RUNNING
    RUNNING = False


def sample(quiz_id: int, course_id: int) -> dict:
    attempts = Attempt.objects.filter(quiz_id=quiz_id).aggregate(
        started=Count("pk"),
        finished=Count("pk", filter=Q(state=Attempt.State.FINISHED)),
        graded=Count(
            "pk",
            filter=Q(state=Attempt.State.FINISHED, needs_grading=False, score__isnull=False),
        ),
    )
    certificates = Certificate.objects.filter(course_id=course_id).aggregate(
        issued=Count("pk"), pdfs=Count("pk", filter=~Q(pdf=""))
    )
    return {
        "t": time.time(),
        **attempts,
        "passed": QuizGrade.objects.filter(quiz_id=quiz_id, passed=True).count(),
        "completions": Completion.objects.filter(course_id=course_id).count(),
        "certificates": certificates["issued"],
        "pdfs": certificates["pdfs"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--interval", type=float, default=0.5)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    meta = json.loads((args.run_dir / "meta.json").read_text())
    with (args.run_dir / "poll.jsonl").open("a") as out:
        while RUNNING:
            out.write(json.dumps(sample(meta["quiz"], meta["course"])) + "\n")
            out.flush()
            time.sleep(args.interval)


if __name__ == "__main__":
    main()
