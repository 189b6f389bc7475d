"""Field-level: learners cannot write their own score, pass mark, grader or
deadline, nor anyone else's data; a moved learner leaves the old trainer's view
on the very next request."""

from datetime import date

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import User
from quizzes.models import Attempt, AttemptSlot

pytestmark = pytest.mark.django_db
FORGED = {
    "score": 100,
    "percent": 100,
    "passed": True,
    "graded_by": 1,
    "needs_grading": False,
    "deadline": "2099-01-01T00:00:00Z",
    "max_score": 1,
}


def _new_attempt(world, api):  # type: ignore[no-untyped-def]
    world.quiz.attempts_allowed = 5
    world.quiz.save(update_fields=["attempts_allowed"])
    client = api(world.cast.learner)
    started = client.post(f"/api/quizzes/{world.quiz.pk}/attempts/", FORGED, format="json")
    assert started.status_code == 201, started.content
    return client, Attempt.objects.get(pk=started.json()["id"])


def test_a_learner_cannot_set_deadline_score_or_grader_when_starting_saving_or_submitting(
    world, api
):
    client, attempt = _new_attempt(world, api)
    assert attempt.deadline is None or attempt.deadline.year < 2099
    for slot in attempt.slots.all():
        body = {"response": {"choice": "b"} if slot.max_points else {"text": "x"}, "seq": 1}
        body = {**body, **FORGED, "response": {"choice": "b"}}
        client.put(f"/api/attempts/{attempt.pk}/answers/{slot.pk}/", body, format="json")
    client.post(f"/api/attempts/{attempt.pk}/submit/", FORGED, format="json")
    attempt.refresh_from_db()
    assert attempt.score != 100 and attempt.percent != 100
    assert not AttemptSlot.objects.filter(attempt=attempt, graded_by__isnull=False).exists()
    assert (attempt.deadline is None) or attempt.deadline.year < 2099


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_learner_cannot_rewrite_an_attempt_or_a_grade_directly(world, api, method):
    attempt = world.attempts["learner"]
    before = (attempt.score, attempt.percent, attempt.passed)
    response = getattr(api(world.cast.learner), method)(
        f"/api/attempts/{attempt.pk}/", FORGED, format="json"
    )
    assert response.status_code in (403, 405)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.percent, attempt.passed) == before
    grade = api(world.cast.learner).post(
        f"/api/attempts/{attempt.pk}/grade/", {"slot": 1, "points": 1}, format="json"
    )
    assert grade.status_code == 403


def test_a_learner_cannot_change_their_role_unit_or_deadline(world, api):
    cast = world.cast
    client = api(cast.learner)
    me = f"/api/users/{cast.learner.pk}/"
    assert (
        client.patch(me, {"role": "admin", "unit": cast.bloc.pk}, format="json").status_code == 403
    )
    enrolment = world.course.enrollments.get(user=cast.learner)
    assert client.patch(
        f"/api/enrollments/{enrolment.pk}/", {"due_date": "2099-12-31"}, format="json"
    ).status_code in (403, 405)
    client.post(
        f"/api/courses/{world.course.pk}/enroll/",
        {"due_date": "2099-12-31", "user": cast.other_learner.pk},
        format="json",
    )
    cast.learner.refresh_from_db()
    enrolment.refresh_from_db()
    assert cast.learner.role == User.Role.LEARNER and cast.learner.unit == cast.cell_a1
    assert enrolment.due_date != date(2099, 12, 31)
    assert not world.course.enrollments.filter(
        user=cast.other_learner, due_date=date(2099, 12, 31)
    ).exists()


def test_a_learner_cannot_save_into_or_submit_another_learners_attempt(world, api):
    _client, attempt = _new_attempt(world, api)
    slot = attempt.slots.first()
    intruder = api(world.cast.other_learner)
    url = f"/api/attempts/{attempt.pk}/answers/{slot.pk}/"
    assert (
        intruder.put(url, {"response": {"text": "x"}, "seq": 9}, format="json").status_code == 404
    )
    assert intruder.post(f"/api/attempts/{attempt.pk}/submit/").status_code == 404
    slot.refresh_from_db()
    attempt.refresh_from_db()
    assert slot.seq == 0 and attempt.state == Attempt.State.OPEN


def test_a_learner_moved_to_another_unit_leaves_the_old_trainers_view_at_once(world, api, login):
    cast = world.cast
    learner, trainer_a = cast.learner, cast.trainer_a
    attempt = world.attempts["learner"]
    pages = {
        "user": f"/api/users/{learner.pk}/",
        "learner report": reverse("frontend:report-learner", args=[world.course.pk, learner.pk]),
        "attempt": reverse("frontend:report-attempt", args=[attempt.pk]),
    }
    a, web = api(trainer_a), login(trainer_a)
    assert a.get(pages["user"]).status_code == 200
    assert web.get(pages["attempt"]).status_code == 200
    gradebook = reverse("frontend:report-gradebook", args=[world.course.pk])
    assert learner.full_name in web.get(gradebook).content.decode()

    account_services.move_user(actor=cast.admin, user=learner, unit=cast.cell_b1)

    assert a.get(pages["user"]).status_code == 404
    assert web.get(pages["learner report"]).status_code == 404
    assert web.get(pages["attempt"]).status_code == 404
    assert learner.full_name not in web.get(gradebook).content.decode()
    assert learner.full_name not in web.get(reverse("frontend:user-list")).content.decode()
    names = [u["username"] for u in a.get("/api/users/?page_size=500").json()["results"]]
    assert learner.username not in names
    # and the new unit's trainer sees them
    assert api(cast.trainer_b).get(pages["user"]).status_code == 200
    assert Attempt.objects.filter(user=learner).exists()  # history moves with the person


def test_an_override_writes_only_the_mark_and_the_reason_and_only_in_scope(world, api):
    cast = world.cast
    attempt = world.attempts["learner"]
    single = attempt.slots.get(version__question=world.single)
    url = f"/api/attempts/{attempt.pk}/override/"
    forged = {
        **FORGED,
        "slot": single.pk,
        "points": "0",
        "reason": "Phúc khảo",
        "graded_by": cast.admin.pk,
        "override_reason": "giả mạo",
        "attempt": world.attempts["other_learner"].pk,
        "user": cast.other_learner.pk,
    }
    before = (attempt.score, attempt.percent, attempt.passed)
    for intruder, code in ((cast.learner, 403), (cast.other_learner, 403), (cast.trainer_b, 404)):
        assert api(intruder).post(url, forged, format="json").status_code == code
    attempt.refresh_from_db()
    single.refresh_from_db()
    assert (attempt.score, attempt.percent, attempt.passed) == before
    assert single.graded_by is None and single.override_reason == ""

    assert api(cast.trainer_a).post(url, forged, format="json").status_code == 200
    single.refresh_from_db()
    assert single.score == 0 and single.graded_by == cast.trainer_a
    assert single.override_reason == "Phúc khảo"
    other = world.attempts["other_learner"]
    assert not AttemptSlot.objects.filter(attempt=other, graded_by__isnull=False).exists()
