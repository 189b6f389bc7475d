"""Start attempts on the untimed twin quiz for the first K learners and write
the rows wrk's save.lua rotates over (one per slot: path, session, CSRF, answer).

    python bench/prepare_saturation.py --run-dir bench/.run --learners 500
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from accounts.models import User  # noqa: E402
from quizzes import scoring  # noqa: E402
from quizzes.models import AttemptSlot, Quiz  # noqa: E402
from quizzes.services import start_attempt  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--learners", type=int, default=500)
    args = parser.parse_args()
    meta = json.loads((args.run_dir / "meta.json").read_text())
    sessions = json.loads((args.run_dir / "sessions.json").read_text())[: args.learners]
    quiz = Quiz.objects.get(pk=meta["sat_quiz"])
    users = User.objects.in_bulk([s["user"] for s in sessions])
    attempts = {}
    for s in sessions:
        attempts[s["user"]] = start_attempt(user=users[s["user"]], quiz=quiz).pk
    by_user = {s["user"]: s for s in sessions}
    rows = []
    slots = (
        AttemptSlot.objects.filter(attempt_id__in=attempts.values())
        .select_related("attempt", "version")
        .order_by("position", "attempt_id")  # interleave learners: no two neighbours share a row
    )
    for slot in slots:
        s = by_user[slot.attempt.user_id]
        answer = scoring.right_answer(slot.version.type, slot.version.data)
        rows.append(
            "\t".join(
                [
                    f"/api/attempts/{slot.attempt_id}/answers/{slot.pk}/",
                    s["session"],
                    s["csrf"],
                    json.dumps(answer, separators=(",", ":")),
                ]
            )
        )
    (args.run_dir / "saves.tsv").write_text("\n".join(rows) + "\n")
    print(json.dumps({"attempts": len(attempts), "slots": len(rows)}))


if __name__ == "__main__":
    main()
