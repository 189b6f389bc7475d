import json
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Attempt, AttemptSlot, QuestionType

pytestmark = pytest.mark.django_db


def _start(client, quiz):  # type: ignore[no-untyped-def]
    return client.post(f"/api/quizzes/{quiz.pk}/attempts/")


def _put(client, attempt_id, slot_id, response, seq):  # type: ignore[no-untyped-def]
    return client.put(
        f"/api/attempts/{attempt_id}/answers/{slot_id}/",
        {"response": response, "seq": seq},
        format="json",
    )


def test_start_returns_slots_without_keys(cast, api, make_questions, make_quiz):
    quiz = make_quiz(make_questions(), enrol=[cast.learner], time_limit=900)
    res = _start(api(cast.learner), quiz)
    assert res.status_code == 201
    body = res.json()
    assert body["state"] == "open" and 0 < body["remaining_seconds"] <= 900
    assert len(body["slots"]) == 8
    dumped = json.dumps(body)
    for secret in ("fraction", "right_id", "answers", "feedback", "rubric", "Chính xác"):
        assert secret not in dumped
    again = _start(api(cast.learner), quiz)
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_learner_not_enrolled_cannot_start(cast, api, make_questions, make_quiz):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner])
    assert _start(api(cast.learner_b), quiz).status_code == 404
    assert _start(api(None), quiz).status_code in (401, 403)


def test_save_submit_review_flow(cast, api, make_questions, make_quiz, right_answers):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE, QuestionType.MATCHING]), enrol=[cast.learner]
    )
    client = api(cast.learner)
    body = _start(client, quiz).json()
    for slot in body["slots"]:
        res = _put(client, body["id"], slot["id"], right_answers[slot["type"]], 1)
        assert res.status_code == 200 and res.json()["saved"] is True
    stale = _put(client, body["id"], body["slots"][0]["id"], None, 1)
    assert stale.json()["saved"] is False
    result = client.post(f"/api/attempts/{body['id']}/submit/").json()
    assert result["percent"] == "100.00" and result["passed"] is True
    assert client.post(f"/api/attempts/{body['id']}/submit/").json() == result
    review = client.get(f"/api/attempts/{body['id']}/review/").json()
    assert [s["correct"] for s in review["slots"]] == ["right", "right"]
    # Default policy: right answers only after the quiz closes.
    assert review["slots"][0]["right_answer"] is None
    assert review["slots"][0]["feedback"] == ["Chính xác."]


def test_bad_responses_are_400_and_write_nothing(cast, api, make_questions, make_quiz):
    quiz = make_quiz(make_questions(), enrol=[cast.learner])
    client = api(cast.learner)
    body = _start(client, quiz).json()
    bad = {
        "single": [{"choice": "nope"}, {"choices": ["a"]}],
        "multiple": [{"choices": ["a", "zz"]}, {"choices": "a"}, {"choices": ["a", "a"]}],
        "truefalse": [{"value": "yes"}, {"value": 1}],
        "short": [{"text": 5}],
        "numeric": [{"value": "3"}, {"value": True}],
        "matching": [{"pairs": {"m1": "zz"}}, {"pairs": {"zz": "r1"}}, {"pairs": []}],
        "ordering": [{"order": ["o1"]}, {"order": ["o1", "o1"]}],
        "essay": [{"text": None}, {"value": "x"}],
    }
    for slot in body["slots"]:
        for response in bad[slot["type"]]:
            res = _put(client, body["id"], slot["id"], response, 1)
            assert res.status_code == 400, (slot["type"], response)
    assert not AttemptSlot.objects.filter(attempt_id=body["id"], seq__gt=0).exists()
    assert _put(client, body["id"], body["slots"][0]["id"], {"choice": "a"}, 0).status_code == 400


def test_other_learners_attempt_and_foreign_slot_are_404(cast, api, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner, cast.other_learner]
    )
    mine = _start(api(cast.learner), quiz).json()
    theirs = _start(api(cast.other_learner), quiz).json()
    intruder = api(cast.other_learner)
    assert intruder.get(f"/api/attempts/{mine['id']}/").status_code == 404
    assert intruder.get(f"/api/attempts/{mine['id']}/review/").status_code == 404
    assert intruder.post(f"/api/attempts/{mine['id']}/submit/").status_code == 404
    slot = mine["slots"][0]["id"]
    assert _put(intruder, mine["id"], slot, {"choice": "a"}, 1).status_code == 404
    assert _put(intruder, theirs["id"], slot, {"choice": "a"}, 1).status_code == 404
    assert Attempt.objects.get(pk=mine["id"]).state == "open"


def test_save_after_deadline_is_409(cast, api, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner], time_limit=60
    )
    client = api(cast.learner)
    body = _start(client, quiz).json()
    slot = body["slots"][0]["id"]
    assert _put(client, body["id"], slot, {"choice": "b"}, 1).status_code == 200
    Attempt.objects.filter(pk=body["id"]).update(
        deadline=timezone.now() - timedelta(seconds=1),
        submit_by=timezone.now() - timedelta(seconds=1),
    )
    res = _put(client, body["id"], slot, {"choice": "a"}, 2)
    assert res.status_code == 409 and "hết giờ" in res.json()["detail"]
    assert AttemptSlot.objects.get(pk=slot).response == {"choice": "b"}


def test_review_hides_everything_when_policy_says_never(cast, api, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]),
        enrol=[cast.learner],
        review_score="never",
        review_correctness="never",
        review_feedback="never",
    )
    client = api(cast.learner)
    body = _start(client, quiz).json()
    _put(client, body["id"], body["slots"][0]["id"], {"choice": "a"}, 1)
    result = client.post(f"/api/attempts/{body['id']}/submit/").json()
    assert result["percent"] is None and result["passed"] is None
    review = client.get(f"/api/attempts/{body['id']}/review/").json()
    assert review["slots"][0]["score"] is None and review["slots"][0]["feedback"] == []


def test_essay_is_graded_by_a_trainer_in_scope(cast, api, make_questions, make_quiz):
    from quizzes.models import QuizGrade

    quiz = make_quiz(make_questions(types=[QuestionType.ESSAY]), enrol=[cast.learner])
    client = api(cast.learner)
    body = _start(client, quiz).json()
    slot = body["slots"][0]["id"]
    _put(client, body["id"], slot, {"text": "Đổi mới nội dung sinh hoạt chi bộ."}, 1)
    assert client.post(f"/api/attempts/{body['id']}/submit/").json()["needs_grading"] is True
    queue = api(cast.trainer_a).get("/api/grading/").json()["results"]
    assert [row["attempt"] for row in queue] == [body["id"]]
    assert queue[0]["learner"] == cast.learner.full_name
    hidden = api(cast.trainer_a).get("/api/grading/?hide_names=1").json()["results"]
    assert hidden[0]["learner"] is None
    assert api(cast.trainer_b).get("/api/grading/").json()["results"] == []
    grade = {"slot": slot, "points": "0.75", "comment": "Khá"}
    assert api(cast.trainer_b).post(f"/api/attempts/{body['id']}/grade/", grade).status_code == 404
    assert api(cast.learner).post(f"/api/attempts/{body['id']}/grade/", grade).status_code == 403
    res = api(cast.trainer_a).post(f"/api/attempts/{body['id']}/grade/", grade)
    assert res.status_code == 200 and res.json()["percent"] == "75.00"
    assert QuizGrade.objects.get(user=cast.learner, quiz=quiz).passed is True
    too_much = {"slot": slot, "points": "5", "reason": "x"}
    assert (
        api(cast.trainer_a).post(f"/api/attempts/{body['id']}/grade/", too_much).status_code == 400
    )
