"""The answer-save URL's fast path (quizzes.api.attempts.save_answer_view).

A page's save (session cookie, CSRF token, plain JSON) is served without DRF;
everything else goes through the DRF action. Both must behave as one
endpoint: same CSRF rule, same answers, same errors.
"""

from datetime import timedelta

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from rest_framework.authtoken.models import Token

from quizzes.models import AttemptSlot, QuestionType
from quizzes.services import start_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(cast, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner], time_limit=600
    )
    return start_attempt(user=cast.learner, quiz=quiz)


@pytest.fixture
def slot(attempt):
    return AttemptSlot.objects.select_related("version").get(attempt=attempt)


def page_client(user, csrf=True):
    """A browser page: session login, CSRF enforced, token in cookie and header."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    return client, ({"HTTP_X_CSRFTOKEN": token} if csrf else {})


def put(client, headers, attempt_id, slot_id, body):
    return client.put(
        f"/api/attempts/{attempt_id}/answers/{slot_id}/",
        body,
        content_type="application/json",
        **headers,
    )


def token_headers(user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def test_page_save_is_stored(cast, attempt, slot):
    client, headers = page_client(cast.learner)
    choice = slot.version.choice_ids()[0]
    reply = put(client, headers, attempt.pk, slot.pk, {"response": {"choice": choice}, "seq": 3})
    assert reply.status_code == 200
    body = reply.json()
    assert body["saved"] is True and body["seq"] == 3 and body["saved_at"].endswith("Z")
    slot.refresh_from_db()
    assert (slot.seq, slot.response) == (3, {"choice": choice})


def test_page_save_without_csrf_token_is_refused(cast, attempt, slot):
    client, headers = page_client(cast.learner, csrf=False)
    choice = slot.version.choice_ids()[0]
    reply = put(client, headers, attempt.pk, slot.pk, {"response": {"choice": choice}, "seq": 1})
    assert reply.status_code == 403 and "CSRF" in reply.json()["detail"]
    slot.refresh_from_db()
    assert slot.seq == 0 and slot.response is None


def test_token_clients_save_through_the_same_url(cast, attempt, slot):
    choice = slot.version.choice_ids()[1]
    reply = put(
        Client(),
        token_headers(cast.learner),
        attempt.pk,
        slot.pk,
        {"response": {"choice": choice}, "seq": 2},
    )
    assert reply.status_code == 200 and reply.json()["saved"] is True
    slot.refresh_from_db()
    assert slot.response == {"choice": choice}


@pytest.mark.parametrize(
    "case",
    [
        "older seq",
        "bad shape",
        "unknown choice",
        "seq as text",
        "no seq",
        "foreign slot",
        "past deadline",
    ],
)
def test_page_and_token_clients_get_the_same_answer(cast, attempt, slot, case):
    """Every refusal the fast path hands over must come back exactly as the API gives it."""
    from quizzes.models import Attempt

    choice = slot.version.choice_ids()[0]
    attempt_id, slot_id = attempt.pk, slot.pk
    body = {"response": {"choice": choice}, "seq": 5}
    if case == "older seq":
        put(Client(), token_headers(cast.learner), attempt_id, slot_id, {**body, "seq": 9})
    elif case == "bad shape":
        body["response"] = {"choices": "x"}
    elif case == "unknown choice":
        body["response"] = {"choice": "no-such-choice"}
    elif case == "seq as text":
        body["seq"] = "năm"
    elif case == "no seq":
        del body["seq"]
    elif case == "foreign slot":
        slot_id = slot_id + 10_000
    elif case == "past deadline":
        Attempt.objects.filter(pk=attempt_id).update(
            deadline=attempt.started_at - timedelta(seconds=1)
        )
    client, headers = page_client(cast.learner)
    page = put(client, headers, attempt_id, slot_id, body)
    api = put(Client(), token_headers(cast.learner), attempt_id, slot_id, body)
    assert page.status_code == api.status_code != 500
    page_body, api_body = page.json(), api.json()
    page_body.pop("saved_at", None), api_body.pop("saved_at", None)
    assert page_body == api_body
    if case == "older seq":
        assert page.json()["saved"] is False
    else:
        assert page.status_code in (400, 404, 409)


def test_page_save_budget(cast, attempt, slot, django_assert_max_num_queries, settings):
    client, headers = page_client(cast.learner)
    choice = slot.version.choice_ids()[0]
    put(client, headers, attempt.pk, slot.pk, {"response": {"choice": choice}, "seq": 1})
    # The user is cached after the first request: one statement on PostgreSQL.
    with django_assert_max_num_queries(1 if settings.IS_POSTGRES else 2):
        reply = put(
            client, headers, attempt.pk, slot.pk, {"response": {"choice": choice}, "seq": 2}
        )
    assert reply.status_code == 200
