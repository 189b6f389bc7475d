"""Seed the benchmark database: N learners enrolled in a course whose only
requirement is a timed final exam of 40 mixed questions drawn at random.

Content goes through the project's services (units, bank, course authoring);
the N learners and their enrolments are bulk-inserted with one pre-computed
password hash, since N x PBKDF2 would take minutes and measure nothing.
Signed-cookie sessions and CSRF secrets are minted here for the wave, exactly
as `django.contrib.auth.login` would store them.

    python bench/seed.py --learners 2000 --time-limit 240 --out bench/.run
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.signed_cookies import SessionStore  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Unit, User  # noqa: E402
from accounts.services import create_unit, create_user  # noqa: E402
from courses import authoring  # noqa: E402
from courses.models import Course, Enrollment  # noqa: E402
from quizzes import scoring  # noqa: E402
from quizzes.models import Quiz, QuizItem  # noqa: E402
from quizzes.services import create_question, ensure_category_path  # noqa: E402

PASSWORD = "Bench-mat-khau-2026"
# 40 questions per attempt, drawn from pools three times as large.
DRAW = {
    "single": 10,
    "multiple": 6,
    "truefalse": 8,
    "short": 4,
    "numeric": 4,
    "matching": 4,
    "ordering": 4,
}
TOPICS = [
    "sinh hoạt chi bộ định kỳ",
    "sinh hoạt chuyên đề",
    "tự phê bình và phê bình",
    "kiểm tra, giám sát",
    "kết nạp đảng viên",
    "đánh giá, xếp loại chất lượng",
]


def pass_percent(time_limit: int) -> Decimal:
    """Half of what a learner saving every 7.5 s on average can answer in the time
    (capped at 50 %), so most pass and the certificate pipeline gets its wave too."""
    answerable = max(1.0, time_limit / 7.5 - 3) / sum(DRAW.values())
    return Decimal(round(max(5.0, min(50.0, 50 * answerable)), 2)).quantize(Decimal("0.01"))


def question_data(qtype: str, n: int, rng: random.Random) -> tuple[str, dict]:
    topic = TOPICS[n % len(TOPICS)]
    text = f"[Nội dung mẫu] Câu {qtype} số {n}: về {topic}"
    if qtype in ("single", "multiple"):
        right = {0} if qtype == "single" else {0, 2}
        share = 1 / len(right)
        choices = [
            {
                "id": f"c{i}",
                "text": f"Phương án {i + 1} ({topic})",
                "fraction": share if i in right else 0,
            }
            for i in range(4)
        ]
        return text, {"choices": choices}
    if qtype == "truefalse":
        return text, {"answer": bool(n % 2)}
    if qtype == "short":
        return text, {
            "answers": [{"text": f"chi bộ {n}", "fraction": 1}],
            "accent_insensitive": True,
        }
    if qtype == "numeric":
        return text, {"answers": [{"value": 2016 + n, "tolerance": 0}]}
    if qtype == "matching":
        rights = [{"id": f"r{i}", "text": f"Vế phải {i}"} for i in range(3)]
        pairs = [{"id": f"m{i}", "left": f"Vế trái {i}", "right_id": f"r{i}"} for i in range(3)]
        return text, {"rights": rights, "pairs": pairs}
    items = [{"id": f"o{i}", "text": f"Bước {i + 1}"} for i in range(4)]
    return text, {"items": items}


def seed(*, learners: int, time_limit: int, out: Path, seed_value: int) -> dict:
    rng = random.Random(seed_value)
    root = User.objects.create_superuser(
        "bench-root", "root@bench.local", PASSWORD, full_name="Quản Trị Benchmark"
    )
    bloc = create_unit(
        actor=root, name="Đảng bộ Khối (benchmark)", code="BENCH", kind=Unit.Kind.BLOC, parent=None
    )
    cells = [
        create_unit(
            actor=root,
            name=f"Chi bộ {i + 1}",
            code=f"BENCH-{i + 1:02d}",
            kind=Unit.Kind.CELL,
            parent=bloc,
        )
        for i in range(10)
    ]
    trainer = create_user(
        actor=root,
        username="bench-trainer",
        full_name="Báo Cáo Viên",
        unit=bloc,
        role=User.Role.ADMIN,
        password=PASSWORD,
    )

    keys: dict[str, object] = {}
    quiz = Quiz.objects.create(
        title="[Nội dung mẫu] Kiểm tra cuối khóa — kỳ thi tập trung",
        owner_unit=bloc,
        created_by=trainer,
        time_limit=time_limit,
        attempts_allowed=1,
        pass_percent=pass_percent(time_limit),
        shuffle_questions=True,
        shuffle_choices=True,
    )
    for position, (qtype, count) in enumerate(DRAW.items()):
        category = ensure_category_path(path=f"Benchmark/{qtype}", owner_unit=bloc)
        for n in range(count * 3):
            text, data = question_data(qtype, n, rng)
            question = create_question(
                actor=trainer, category=category, type=qtype, text=text, data=data
            )
            version = question.current_version
            keys[version.text] = scoring.right_answer(version.type, version.data)
        QuizItem.objects.create(
            quiz=quiz, position=position, kind=QuizItem.Kind.RANDOM, category=category, count=count
        )

    # The saturation figures hammer a twin quiz with no time limit, in its own
    # course, so they neither expire mid-measurement nor touch the wave's data.
    sat_quiz = Quiz.objects.create(
        title="[Nội dung mẫu] Bài luyện tập (đo thông lượng)",
        owner_unit=bloc,
        created_by=trainer,
        attempts_allowed=0,
        shuffle_questions=True,
    )
    QuizItem.objects.bulk_create(
        [
            QuizItem(
                quiz=sat_quiz, position=i.position, kind=i.kind, category=i.category, count=i.count
            )
            for i in quiz.items.all()
        ]
    )
    sat_course = authoring.create_course(
        actor=trainer,
        code="BENCH-SAT",
        title="[Nội dung mẫu] Luyện tập (benchmark)",
        owner_unit=bloc,
        final_exam=sat_quiz,
    )
    authoring.add_module(actor=trainer, course=sat_course, title="Luyện tập")
    authoring.set_status(actor=trainer, course=sat_course, status=Course.Status.PUBLISHED)

    course = authoring.create_course(
        actor=trainer,
        code="BENCH-EXAM",
        title="[Nội dung mẫu] Kỳ thi tập trung (benchmark)",
        owner_unit=bloc,
        final_exam=quiz,
    )
    # A module with nothing in it is complete; publishing needs one, and the
    # final exam stays the course's only requirement.
    authoring.add_module(actor=trainer, course=course, title="Hướng dẫn làm bài")
    authoring.set_status(actor=trainer, course=course, status=Course.Status.PUBLISHED)

    password_hash = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                username=f"hv{i:05d}",
                full_name=f"Học Viên {i:05d}",
                email=f"hv{i:05d}@bench.local",
                unit=cells[i % len(cells)],
                role=User.Role.LEARNER,
                password=password_hash,
            )
            for i in range(learners)
        ],
        batch_size=1000,
    )
    now = timezone.now() - timedelta(minutes=1)
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                user=u,
                course=c,
                source=Enrollment.Source.MANUAL,
                enrolled_at=now,
                cycle_started_at=now,
            )
            for u in users
            for c in (course, sat_course)
        ],
        batch_size=1000,
    )

    backend = "django.contrib.auth.backends.ModelBackend"
    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        sessions.append(
            {
                "user": user.pk,
                "username": user.username,
                "session": store.session_key,
                "csrf": _get_new_csrf_string(),
            }
        )
    meta = {
        "quiz": quiz.pk,
        "sat_quiz": sat_quiz.pk,
        "course": course.pk,
        "time_limit": time_limit,
        "pass_percent": str(quiz.pass_percent),
        "learners": learners,
        "password": PASSWORD,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "sessions.json").write_text(json.dumps(sessions))
    (out / "keys.json").write_text(json.dumps(keys, ensure_ascii=False))
    (out / "meta.json").write_text(json.dumps(meta))
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--time-limit", type=int, default=240)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    meta = seed(
        learners=args.learners, time_limit=args.time_limit, out=args.out, seed_value=args.seed
    )
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
