"""Compare the database with what every client sent (client.json from the wave).

- every acknowledged answer is stored: the slot's stored seq is at least the
  highest acknowledged seq, and the stored response is exactly the one the
  client sent with the stored seq (canonicalised as the server does);
- no duplicates: one attempt per learner, slots only where the client saw them;
- every submitted attempt is finished and graded once: a score, the score the
  client was shown, one quiz grade, at most one completion and one
  certificate per learner.

    python bench/verify.py --run-dir bench/.run   (writes verify.json)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from courses.certificates.models import Certificate  # noqa: E402
from courses.models import Completion  # noqa: E402
from quizzes import scoring  # noqa: E402
from quizzes.models import Attempt, AttemptSlot, QuizGrade  # noqa: E402
from quizzes.presenters import fmt  # noqa: E402


def verify(run_dir: Path) -> dict:
    meta = json.loads((run_dir / "meta.json").read_text())
    clients = json.loads((run_dir / "client.json").read_text())
    quiz_id, course_id = meta["quiz"], meta["course"]
    problems: list[str] = []
    attempts = {a.user_id: a for a in Attempt.objects.filter(quiz_id=quiz_id)}
    per_user = Counter(Attempt.objects.filter(quiz_id=quiz_id).values_list("user_id", flat=True))
    duplicated = sum(n - 1 for n in per_user.values() if n > 1)
    slot_rows = {
        s.pk: s
        for s in AttemptSlot.objects.filter(attempt__quiz_id=quiz_id).select_related("version")
    }
    acked = lost = resends = drops = submitted = graded_ok = 0
    for user_id, log in clients.items():
        attempt = attempts.get(int(user_id))
        if "attempt" not in log:
            continue
        if attempt is None or attempt.pk != log["attempt"]:
            problems.append(f"user {user_id}: attempt {log['attempt']} not in the database")
            continue
        for kind, *_rest in log["events"]:
            resends += kind == "resend"
            drops += kind == "drop"
        for slot_id, entry in log["slots"].items():
            slot = slot_rows.get(int(slot_id))
            if slot is None or slot.attempt_id != attempt.pk:
                problems.append(f"slot {slot_id}: not in attempt {attempt.pk}")
                lost += 1
                continue
            if entry["acked"]:
                acked += 1
            sent = entry["sent"].get(str(slot.seq))
            if slot.seq < entry["acked"]:
                lost += 1
                problems.append(
                    f"slot {slot_id}: stored seq {slot.seq} < acknowledged {entry['acked']}"
                )
            elif slot.seq and sent is None:
                lost += 1
                problems.append(f"slot {slot_id}: stored seq {slot.seq} was never sent")
            elif slot.seq:
                ids = scoring.allowed_ids(slot.version.type, slot.version.data)
                expected = scoring.validate_response(slot.version.type, ids, sent)
                if slot.response != expected:
                    lost += 1
                    problems.append(
                        f"slot {slot_id}: stored {slot.response!r} != sent {expected!r}"
                    )
        if log.get("submit_status") == 200:
            submitted += 1
            result = log.get("result")
            if attempt.state != Attempt.State.FINISHED or attempt.score is None:
                problems.append(f"attempt {attempt.pk}: submitted but not graded")
            elif result is None:
                problems.append(f"attempt {attempt.pk}: the submit's reply was not JSON")
            elif result.get("score") != fmt(attempt.score):
                problems.append(
                    f"attempt {attempt.pk}: client saw {result.get('score')}, stored {fmt(attempt.score)}"
                )
            else:
                graded_ok += 1
    users = [int(u) for u in clients]
    grades = Counter(
        QuizGrade.objects.filter(quiz_id=quiz_id, user_id__in=users).values_list(
            "user_id", flat=True
        )
    )
    completions = Counter(
        Completion.objects.filter(course_id=course_id).values_list("user_id", flat=True)
    )
    certificates = Counter(
        Certificate.objects.filter(course_id=course_id).values_list("user_id", flat=True)
    )
    passed = set(
        QuizGrade.objects.filter(quiz_id=quiz_id, passed=True).values_list("user_id", flat=True)
    )
    twice = [u for c in (grades, completions, certificates) for u, n in c.items() if n > 1]
    if twice:
        problems.append(
            f"graded/completed/certified more than once: users {sorted(set(twice))[:20]}"
        )
    if set(completions) != passed:
        problems.append(f"{len(passed ^ set(completions))} learners: passed and completed differ")
    if set(certificates) != set(completions):
        problems.append(
            f"{len(set(certificates) ^ set(completions))} completions without certificate"
        )
    return {
        "learners": len(clients),
        "attempts": len(attempts),
        "duplicated_attempts": duplicated,
        "acknowledged_slots": acked,
        "lost_answers": lost,
        "drops": drops,
        "resends": resends,
        "submitted": submitted,
        "graded_once": graded_ok,
        "passed": len(passed),
        "completions": sum(completions.values()),
        "certificates": sum(certificates.values()),
        "problems": problems[:50],
        "problem_count": len(problems),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run-dir", type=Path, required=True)
    args = parser.parse_args()
    report = verify(args.run_dir)
    (args.run_dir / "verify.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in report.items() if k != "problems"}))


if __name__ == "__main__":
    main()
