from decimal import Decimal

import pytest

from accounts.models import AuditLog
from quizzes.models import Attempt, QuestionType, QuizGrade
from quizzes.services import edit_question, fix_key, save_answer, start_attempt, submit_attempt

pytestmark = pytest.mark.django_db


def _take(user, quiz, choice):  # type: ignore[no-untyped-def]
    attempt = start_attempt(user=user, quiz=quiz)
    slot = attempt.slots.get()
    save_answer(
        user=user, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": choice}, seq=1
    )
    return submit_attempt(attempt=attempt)


def test_editing_a_used_question_makes_a_new_version(cast, make_questions, make_quiz):
    (question,) = make_questions(types=[QuestionType.SINGLE])
    quiz = make_quiz([question])
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    old = question.current_version
    version = edit_question(
        actor=cast.trainer_a,
        question=question,
        type=old.type,
        text="Câu hỏi đã sửa",
        data=old.data,
        points=Decimal(2),
    )
    assert version.pk != old.pk and version.number == 2
    assert attempt.slots.get().version_id == old.pk
    # An unused version is edited in place.
    again = edit_question(
        actor=cast.trainer_a,
        question=question,
        type=old.type,
        text="Sửa lần nữa",
        data=old.data,
        points=Decimal(2),
    )
    assert again.pk == version.pk


def test_trainer_of_another_unit_cannot_edit(cast, make_questions):
    from django.core.exceptions import PermissionDenied

    (question,) = make_questions(types=[QuestionType.SINGLE])
    v = question.current_version
    with pytest.raises(PermissionDenied):
        edit_question(
            actor=cast.trainer_b,
            question=question,
            type=v.type,
            text="x",
            data=v.data,
            points=v.points,
        )


def test_fixing_a_key_regrades_and_audits(
    cast, make_questions, make_quiz, django_capture_on_commit_callbacks
):
    (question,) = make_questions(types=[QuestionType.SINGLE])
    quiz = make_quiz([question])
    right = _take(cast.learner, quiz, "a")
    wrong = _take(cast.other_learner, quiz, "b")
    assert (right.percent, wrong.percent) == (100, 0)
    version = question.current_version
    data = dict(version.data)
    data["choices"] = [dict(c, fraction=1 if c["id"] == "b" else 0) for c in data["choices"]]
    with django_capture_on_commit_callbacks(execute=True):
        fix_key(actor=cast.trainer_a, version=version, data=data, reason="Đáp án gốc nhập nhầm")
    right.refresh_from_db()
    wrong.refresh_from_db()
    assert (right.percent, wrong.percent) == (0, 100)
    assert QuizGrade.objects.get(user=cast.learner, quiz=quiz).passed is False
    assert QuizGrade.objects.get(user=cast.other_learner, quiz=quiz).passed is True
    logs = AuditLog.objects.filter(
        action=AuditLog.Action.GRADE_CHANGED, data__regrade_version=version.pk
    )
    assert logs.count() == 2
    assert {log.reason for log in logs} == {"Đáp án gốc nhập nhầm"}
    assert {log.actor for log in logs} == {cast.trainer_a}


def test_fixing_a_key_needs_a_reason_and_keeps_choice_ids(cast, make_questions):
    from django.core.exceptions import ValidationError

    (question,) = make_questions(types=[QuestionType.SINGLE])
    v = question.current_version
    with pytest.raises(ValidationError):
        fix_key(actor=cast.trainer_a, version=v, data=v.data, reason=" ")
    changed = dict(v.data, choices=v.data["choices"][:2])
    with pytest.raises(ValidationError):
        fix_key(actor=cast.trainer_a, version=v, data=changed, reason="Bỏ phương án")


def test_api_fix_key_endpoint(
    cast, api, make_questions, make_quiz, django_capture_on_commit_callbacks
):
    (question,) = make_questions(types=[QuestionType.TRUE_FALSE])
    quiz = make_quiz([question])
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slot = attempt.slots.get()
    save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response={"value": False}, seq=1
    )
    submit_attempt(attempt=attempt)
    body = {
        "version": question.current_version_id,
        "data": {"answer": False},
        "reason": "Sửa đáp án",
    }
    assert (
        api(cast.trainer_b)
        .post(f"/api/questions/{question.pk}/fix-key/", body, format="json")
        .status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        res = api(cast.trainer_a).post(
            f"/api/questions/{question.pk}/fix-key/", body, format="json"
        )
    assert res.status_code == 202
    assert Attempt.objects.get(pk=attempt.pk).percent == 100


def test_bank_api_is_scoped(cast, api, make_questions):
    make_questions(types=[QuestionType.SINGLE, QuestionType.ESSAY])
    assert len(api(cast.trainer_a).get("/api/questions/").json()["results"]) == 2
    assert api(cast.trainer_b).get("/api/questions/").json()["results"] == []
    assert api(cast.admin).get("/api/question-categories/").json()["count"] == 2
    assert api(cast.learner).get("/api/questions/").status_code == 403
    assert api(None).get("/api/questions/").status_code in (401, 403)


def test_bank_api_create_validates_and_versions(cast, api, bank):
    client = api(cast.trainer_a)
    bad = {"category": bank.pk, "type": "single", "text": "Câu hỏi?", "data": {"choices": []}}
    assert client.post("/api/questions/", bad, format="json").status_code == 400
    good = dict(bad, data={"choices": [{"text": "Có", "fraction": 1}, {"text": "Không"}]})
    res = client.post("/api/questions/", good, format="json")
    assert res.status_code == 201, res.json()
    assert res.json()["data"]["choices"][0]["id"] == "c1"
    other = api(cast.trainer_b).post("/api/questions/", good, format="json")
    assert other.status_code == 400


def test_quiz_api_trainer_crud_and_learner_read(cast, api, make_questions, bank):
    questions = make_questions(types=[QuestionType.SINGLE, QuestionType.TRUE_FALSE])
    client = api(cast.trainer_a)
    res = client.post(
        "/api/quizzes/",
        {
            "title": "Bài kiểm tra cuối khóa",
            "owner_unit": cast.unit_a.pk,
            "time_limit": 1200,
            "items": [
                {"kind": "fixed", "question": questions[0].pk},
                {"kind": "random", "category": bank.pk, "count": 1},
            ],
        },
        format="json",
    )
    assert res.status_code == 201, res.json()
    quiz_id = res.json()["id"]
    assert len(res.json()["items"]) == 2
    assert api(cast.trainer_b).get(f"/api/quizzes/{quiz_id}/").status_code == 404
    assert (
        api(cast.trainer_b)
        .post("/api/quizzes/", {"title": "x", "owner_unit": cast.unit_a.pk}, format="json")
        .status_code
        == 400
    )
    assert api(cast.learner).get("/api/quizzes/").json()["results"] == []
    assert api(cast.learner).post("/api/quizzes/", {"title": "x"}, format="json").status_code == 403
    from quizzes.models import Quiz

    from .conftest import enrol_in

    enrol_in(cast, Quiz.objects.get(pk=quiz_id), cast.learner)
    listed = api(cast.learner).get("/api/quizzes/").json()["results"]
    assert [q["id"] for q in listed] == [quiz_id] and "items" not in listed[0]
