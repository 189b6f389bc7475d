"""Demo results: the demo learners take the sample course's quizzes through the
quiz engine's own services, so the gradebook, roll-ups, charts and item
statistics show meaningful numbers at once.

Deterministic (seeded per learner) and idempotent: a learner who already has
an attempt on the course's quizzes is left alone. Runs after quizzes.demo;
without quizzes on the sample course there is nothing to simulate.
"""

from __future__ import annotations

import random
from typing import Any

from django.core.exceptions import PermissionDenied

from accounts.models import User
from courses import services as course_services
from courses.models import Course, Enrollment, Lesson
from quizzes import scoring
from quizzes.models import Attempt, AttemptSlot, QuestionType
from quizzes.services import AttemptClosed, QuizUnavailable, save_answer, start_attempt
from quizzes.services import submit_attempt as submit

from .gradebook import course_quizzes

COURSE_CODE = "MAU-XDD-01"

# username -> (share of right answers, how far they got): "all" finishes every
# quiz, "half" stops after about half of them, "open" leaves the next one open.
PROFILES: dict[str, tuple[float, str]] = {
    "hocvien01": (0.95, "all"),
    "hocvien03": (0.55, "all"),
    "hocvien04": (0.75, "half"),
    "hocvien05": (0.35, "all"),
    "hocvien06": (0.65, "open"),
    "hocvien07": (0.9, "all"),
    "hocvien08": (0.6, "half"),
    "hocvien09": (0.45, "all"),
    "hocvien10": (0.8, "open"),
    # hocvien02 is the certificates demo's learner (it passes her quizzes
    # itself); hocvien11 and hocvien12 have not started: the roll-up shows them too.
}


def _wrong(qtype: str, data: dict[str, Any], rng: random.Random) -> Any:
    """A plausible wrong response (distractors get picked, so statistics mean something)."""
    right = scoring.right_answer(qtype, data)
    if qtype == QuestionType.SINGLE:
        ids = [c["id"] for c in data.get("choices", []) if c["id"] != (right or {}).get("choice")]
        return {"choice": rng.choice(ids)} if ids else None
    if qtype == QuestionType.MULTIPLE:
        ids = [c["id"] for c in data.get("choices", [])]
        return {"choices": sorted(rng.sample(ids, k=max(1, len(ids) // 2)))} if ids else None
    if qtype == QuestionType.TRUE_FALSE:
        return {"value": not bool(data.get("answer"))}
    if qtype == QuestionType.SHORT:
        return {"text": "Chưa rõ"}
    if qtype == QuestionType.NUMERIC:
        value = (right or {}).get("value", 0)
        return {"value": float(value) + rng.choice([-2, -1, 1, 3])}
    if qtype == QuestionType.MATCHING:
        pairs = dict((right or {}).get("pairs", {}))
        keys = list(pairs)
        values = list(pairs.values())
        rng.shuffle(values)
        return {"pairs": dict(zip(keys, values, strict=True))}
    if qtype == QuestionType.ORDERING:
        return {"order": list(reversed((right or {}).get("order", [])))}
    return None


def _response(qtype: str, data: dict[str, Any], ability: float, rng: random.Random) -> Any:
    if qtype == QuestionType.ESSAY:
        return {
            "text": "Chi bộ cần chuẩn bị kỹ nội dung, gắn sinh hoạt với nhiệm vụ chính trị "
            "của cơ quan và tăng cường tự phê bình, phê bình."
        }
    if rng.random() < 0.05:
        return None  # left blank
    if rng.random() < ability:
        return scoring.right_answer(qtype, data)
    return _wrong(qtype, data, rng)


def take_quiz(user: User, quiz: Any, ability: float, rng: random.Random, finish: bool) -> None:
    """Take `quiz` through the engine's services, right with probability `ability`."""
    try:
        attempt = start_attempt(user=user, quiz=quiz)
    except QuizUnavailable:
        return
    slots = list(
        AttemptSlot.objects.filter(attempt=attempt).select_related("version").order_by("position")
    )
    answered = slots if finish else slots[: max(1, len(slots) // 2)]
    for slot in answered:
        response = _response(slot.version.type, slot.version.data, ability, rng)
        if response is None:
            continue
        try:
            save_answer(user=user, attempt_id=attempt.pk, slot_id=slot.pk, response=response, seq=1)
        except (AttemptClosed, scoring.ResponseError):
            continue
    if finish:
        submit(attempt=attempt)


def load() -> list[tuple[str, str, str]]:
    course = Course.objects.filter(code=COURSE_CODE).first()
    if course is None:
        return []
    quizzes = course_quizzes(course)
    if not quizzes:
        return []
    enrolled = {
        e.user.username: e.user
        for e in Enrollment.objects.active().filter(course=course).select_related("user")
    }
    started = set(Attempt.objects.filter(quiz__in=quizzes).values_list("user__username", flat=True))
    modules = list(course.modules.order_by("order", "pk").prefetch_related("lessons"))
    for username, (ability, reach) in PROFILES.items():
        user = enrolled.get(username)
        if user is None or username in started:
            continue
        rng = random.Random(username)
        # Work through the course in order, as a learner would (sequential
        # courses lock a module until the one before is complete).
        steps: list[tuple[list[Lesson], Any]] = [
            (list(m.lessons.all()), m.quiz) for m in modules
        ] + ([([], course.final_exam)] if course.final_exam else [])
        budget = len(quizzes) if reach == "all" else max(1, len(quizzes) // 2)
        taken = 0
        for lessons, quiz in steps:
            try:
                for lesson in lessons:
                    course_services.mark_lesson_done(user=user, lesson=lesson)
            except PermissionDenied:
                break  # the previous module is not complete: the learner stops here
            if quiz is None:
                continue
            if taken == budget:
                if reach == "open":
                    take_quiz(user, quiz, ability, rng, finish=False)
                break
            take_quiz(user, quiz, ability, rng, finish=True)
            if ability < 0.6 and taken == 0:
                take_quiz(user, quiz, ability + 0.2, rng, finish=True)  # a second try
            taken += 1
    return []
