"""The grader's API: an attempt question by question, and the override action."""

from decimal import Decimal

import pytest

from accounts.models import AuditLog
from quizzes.models import AttemptSlot, QuestionType, QuizGrade
from quizzes.services import save_answer, start_attempt, submit_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(cast, make_questions, make_quiz):  # type: ignore[no-untyped-def]
    """Two single-choice questions, the first answered wrong; pass mark 60 %."""
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE, QuestionType.MATCHING]),
        enrol=[cast.learner],
        pass_percent=Decimal(60),
    )
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    single, matching = attempt.slots.order_by("position")
    save_answer(
        user=cast.learner,
        attempt_id=attempt.pk,
        slot_id=single.pk,
        response={"choice": "b"},
        seq=1,
    )
    save_answer(
        user=cast.learner,
        attempt_id=attempt.pk,
        slot_id=matching.pk,
        response={"pairs": {"m1": "r1", "m2": "r2"}},
        seq=1,
    )
    return submit_attempt(attempt=attempt, user=cast.learner)


def first(attempt):  # type: ignore[no-untyped-def]
    return attempt.slots.order_by("position").first()


def test_grader_reads_each_response_beside_the_key(cast, api, attempt):
    body = api(cast.trainer_a).get(f"/api/grading/{attempt.pk}/").json()
    assert body["learner"] == cast.learner.full_name and body["percent"] == "50.0000"
    single, matching = body["slots"]
    assert single["response"] == {"choice": "b"}
    assert single["response_lines"] == ["15/5/2016"] and single["right_lines"] == ["30/10/2016"]
    assert (single["score"], single["automatic_score"], single["overridden"]) == (
        "0.0000",
        "0.0000",
        False,
    )
    assert matching["response_lines"] == [
        "Nghị quyết 04-NQ/TW → 30/10/2016",
        "Chỉ thị 05-CT/TW → 15/5/2016",
    ]
    hidden = api(cast.trainer_a).get(f"/api/grading/{attempt.pk}/?hide_names=1").json()
    assert hidden["learner"] is None and hidden["unit"] is None


def test_override_action_regrades_and_audits(cast, api, attempt):
    slot = first(attempt)
    response = api(cast.trainer_a).post(
        f"/api/attempts/{attempt.pk}/override/",
        {"slot": slot.pk, "points": "1", "reason": "Phúc khảo"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["percent"], body["passed"], body["grade_passed"]) == ("100.0000", True, True)
    assert body["slots"][0]["overridden"] and body["slots"][0]["override_reason"] == "Phúc khảo"
    assert body["slots"][0]["graded_by"] == cast.trainer_a.full_name
    entry = AuditLog.objects.get(action=AuditLog.Action.GRADE_CHANGED)
    assert entry.actor == cast.trainer_a and entry.reason == "Phúc khảo"

    back = api(cast.trainer_a).post(
        f"/api/attempts/{attempt.pk}/override/",
        {"slot": slot.pk, "points": None, "reason": "Trả về đáp án"},
        format="json",
    )
    assert back.status_code == 200 and back.json()["percent"] == "50.0000"
    assert not back.json()["slots"][0]["overridden"]


def test_override_needs_a_reason_and_a_slot_of_this_attempt(
    cast, api, attempt, make_questions, make_quiz
):
    slot = first(attempt)
    client = api(cast.trainer_a)
    url = f"/api/attempts/{attempt.pk}/override/"
    no_reason = client.post(url, {"slot": slot.pk, "points": "1", "reason": ""}, format="json")
    assert no_reason.status_code == 400
    assert no_reason.json()["reason"] == ["Cần nêu lý do khi sửa điểm tự động."]
    too_many = client.post(url, {"slot": slot.pk, "points": "3", "reason": "x"}, format="json")
    assert too_many.status_code == 400 and "Điểm phải từ 0 đến 1." in too_many.content.decode()
    other = submit_attempt(
        attempt=start_attempt(
            user=cast.other_learner,
            quiz=make_quiz(make_questions(types=[QuestionType.SINGLE]), enrol=[cast.other_learner]),
        )
    )
    foreign = client.post(
        url, {"slot": first(other).pk, "points": "1", "reason": "x"}, format="json"
    )
    assert foreign.status_code == 404
    assert AttemptSlot.objects.get(pk=slot.pk).score == 0


def test_learners_and_other_units_trainers_cannot_override(cast, api, attempt):
    slot = first(attempt)
    body = {"slot": slot.pk, "points": "1", "reason": "Phúc khảo"}
    url = f"/api/attempts/{attempt.pk}/override/"
    assert api(cast.learner).post(url, body, format="json").status_code == 403
    assert api(cast.trainer_b).post(url, body, format="json").status_code == 404
    assert api(cast.trainer_b).get(f"/api/grading/{attempt.pk}/").status_code == 404
    assert api(cast.learner).get(f"/api/grading/{attempt.pk}/").status_code == 403
    assert AttemptSlot.objects.get(pk=slot.pk).score == 0
    assert not QuizGrade.objects.get(user=cast.learner).passed


def test_the_schema_documents_the_override(api, cast):
    schema = api(cast.trainer_a).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/attempts/{id}/override/"]["post"]
    assert operation["summary"] == "Override the automatic mark of one question"
    assert "go to the audit log" in " ".join(operation["description"].split())
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert request.endswith("/OverrideRequestRequest")
    assert "/api/grading/{id}/" in schema["paths"]
