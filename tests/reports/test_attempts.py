"""The trainer's attempt view and grade override (reason required, audited)."""

import pytest

from accounts.models import AuditLog
from quizzes.models import QuizGrade

from .conftest import answers, enrol, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(cast, setup, learners):  # type: ignore[no-untyped-def]
    s = setup(questions=2)
    person = learners(1, cast.cell_a1, "t")[0]
    enrol(cast, s.course, [person])
    return take(person, s.quiz, answers("10"))


def test_trainer_sees_responses_right_answers_time_and_feedback(cast, attempt, login):
    html = login(cast.trainer_a).get(f"/reports/attempts/{attempt.pk}/").content.decode()
    assert "Đáp án đúng 1" in html  # right answer of question 1, also chosen
    assert "Phương án nhiễu B 2" in html  # the learner's wrong choice on question 2
    assert "Đáp án đúng 2" in html  # the right answer they missed
    assert "phút" in html and "style=" not in html


def test_other_units_trainer_gets_404_for_the_attempt(cast, attempt, login):
    assert login(cast.trainer_b).get(f"/reports/attempts/{attempt.pk}/").status_code == 404
    response = login(cast.trainer_b).post(
        f"/reports/attempts/{attempt.pk}/override/", {"percent": "100", "reason": "Phúc khảo"}
    )
    assert response.status_code == 404
    assert QuizGrade.objects.get(user=attempt.user).percent == 50


def test_override_needs_a_reason_and_is_audited(cast, attempt, login):
    client = login(cast.trainer_a)
    url = f"/reports/attempts/{attempt.pk}/override/"
    page = client.post(url, {"percent": "90", "reason": " "}, follow=True).content.decode()
    assert "Cần nêu lý do" in page
    assert QuizGrade.objects.get(user=attempt.user).override_percent is None
    client.post(url, {"percent": "90", "reason": "Phúc khảo: chấm lại câu 2"})
    grade = QuizGrade.objects.get(user=attempt.user)
    assert (grade.percent, grade.passed) == (90, True)
    log = AuditLog.objects.filter(action=AuditLog.Action.GRADE_CHANGED).first()
    assert log.reason == "Phúc khảo: chấm lại câu 2" and log.actor == cast.trainer_a
    gradebook = client.get(f"/reports/courses/{attempt.quiz.module.course_id}/gradebook/")
    assert "90%*" in gradebook.content.decode()


def test_bad_points_give_a_message_not_an_error(cast, attempt, login):
    slot = attempt.slots.order_by("position").last()
    response = login(cast.trainer_a).post(
        f"/grading/slots/{slot.pk}/",
        {"back": "report", f"o{slot.pk}-points": "mười", f"o{slot.pk}-reason": "x"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/reports/attempts/{attempt.pk}/", 302)]
    assert "Điểm mới: Nhập một số." in response.content.decode()
