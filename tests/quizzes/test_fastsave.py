"""The answer save before Django's request cycle (quizzes.api.fastsave, issue 20).

gunicorn serves `config.wsgi.application`: a page's save is answered by
`fastsave.serve`, everything else by Django. Each case is sent both to that
application and to Django's own (`config.wsgi.django_application`), by two
learners of the same cell on the same quiz: same status, same reply, same row
in the database, and the fast path must have answered exactly the cases it is
meant to.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.utils import encoders

from config.wsgi import application, django_application
from quizzes.api import fastsave
from quizzes.api.attempts import _reply
from quizzes.api.fastsave import FastSaveApplication
from quizzes.models import Attempt, AttemptSlot, QuestionType
from quizzes.services import SaveResult, start_attempt

pytestmark = pytest.mark.django_db


def session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def environ(path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    env = {
        "REQUEST_METHOD": "PUT",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
    }
    env.update(headers)
    return env


def call(app: Any, env: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    """The WSGI call, without closing the test's connection (as Django's test client)."""
    got: list[Any] = []
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(app(env, lambda status, headers: got.append((status, headers))))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    status, headers = got[0]
    return int(status.split()[0]), dict(headers), body


class Learner:
    """A page of one learner: session cookie, CSRF cookie and header."""

    def __init__(self, user: Any) -> None:
        self.token = _get_new_csrf_string()
        self.cookie = session_cookie(user)
        self.headers = {
            "HTTP_COOKIE": f"sessionid={self.cookie}; csrftoken={self.token}",
            "HTTP_X_CSRFTOKEN": self.token,
        }


@pytest.fixture
def quiz(cast, make_questions, make_quiz):
    return make_quiz(
        make_questions(types=[QuestionType.SINGLE]),
        enrol=[cast.learner, cast.other_learner],
        time_limit=600,
    )


def twin_attempts(cast: Any, quiz: Any) -> tuple[AttemptSlot, AttemptSlot]:
    """The quiz started by two learners of the same cell, one for each application."""
    slots = AttemptSlot.objects.select_related("version", "attempt")
    return tuple(  # type: ignore[return-value]
        slots.get(attempt=start_attempt(user=user, quiz=quiz))
        for user in (cast.learner, cast.other_learner)
    )


CASES = {
    # case: answered by the fast path?
    "stored": True,
    "older seq": True,  # answered: {"saved": false}
    "no CSRF header": False,
    "wrong CSRF token": False,
    "foreign origin": False,
    "token client": False,
    "form body": False,
    "bad shape": False,
    "unknown choice": False,
    "seq as text": False,
    "foreign slot": False,
    "past deadline": False,
    "submitted": False,
    "inactive learner": False,
    "password changed": False,
    "tampered session": False,
    "no session": False,
    "unknown host": False,
}


@pytest.mark.parametrize("case", CASES)
def test_fast_path_and_django_give_the_same_answer(cast, quiz, case, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    slots = twin_attempts(cast, quiz)
    choice = slots[0].version.choice_ids()[0]
    body: Any = {"response": {"choice": choice}, "seq": 5}
    users = (cast.learner, cast.other_learner)
    content_type = "application/json"
    replies = []
    for app, slot, user in zip((application, django_application), slots, users, strict=True):
        headers = prepare(case, user, slot, body)
        slot_id = slot.pk + 10_000 if case == "foreign slot" else slot.pk
        path = f"/api/attempts/{slot.attempt_id}/answers/{slot_id}/"
        raw = json.dumps(body).encode()
        kind = "application/x-www-form-urlencoded" if case == "form body" else content_type
        with transaction.atomic():  # whether the fast path answers it, then undone
            answered = fastsave.serve(environ(path, raw, {**headers, "CONTENT_TYPE": kind}))
            transaction.set_rollback(True)
        assert (answered is not None) == CASES[case]
        replies.append(call(app, environ(path, raw, {**headers, "CONTENT_TYPE": kind})))
    (fast_status, _h, fast_body), (django_status, _h2, django_body) = replies
    assert fast_status == django_status != 500
    if fast_body.startswith(b"{"):
        fast, django = json.loads(fast_body), json.loads(django_body)
        fast.pop("saved_at", None), django.pop("saved_at", None)
        assert fast == django
    else:
        assert fast_body == django_body
    stored = [
        (s.seq, s.response)
        for s in AttemptSlot.objects.filter(pk__in=[s.pk for s in slots]).order_by("attempt__user")
    ]
    assert stored[0] == stored[1]
    if case == "stored":
        assert stored[0] == (5, {"choice": choice})


def prepare(case: str, user: Any, slot: AttemptSlot, body: dict) -> dict[str, str]:
    """Set the case up for `user` and their slot (both learners alike); their page's headers."""
    page = Learner(user)
    headers = dict(page.headers)
    if case == "older seq":
        AttemptSlot.objects.filter(pk=slot.pk).update(seq=9)
    elif case == "no CSRF header":
        del headers["HTTP_X_CSRFTOKEN"]
    elif case == "wrong CSRF token":
        headers["HTTP_X_CSRFTOKEN"] = _get_new_csrf_string()
    elif case == "foreign origin":
        headers["HTTP_ORIGIN"] = "https://evil.example"
    elif case == "token client":
        token = Token.objects.get_or_create(user=user)[0].key
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    elif case == "bad shape":
        body["response"] = {"choices": "x"}
    elif case == "unknown choice":
        body["response"] = {"choice": "no-such-choice"}
    elif case == "seq as text":
        body["seq"] = "năm"
    elif case == "past deadline":
        Attempt.objects.filter(pk=slot.attempt_id).update(
            deadline=slot.attempt.started_at - timedelta(seconds=1)
        )
    elif case == "submitted":
        Attempt.objects.filter(pk=slot.attempt_id).update(state=Attempt.State.FINISHED)
    elif case == "inactive learner":
        user.is_active = False
        user.save()
    elif case == "password changed":
        user.set_password("Mat-khau-moi-2026")
        user.save()
    elif case == "tampered session":
        headers["HTTP_COOKIE"] = f"sessionid={page.cookie[:-2]}xx; csrftoken={page.token}"
    elif case == "no session":
        headers["HTTP_COOKIE"] = f"csrftoken={page.token}"
    elif case == "unknown host":
        headers["HTTP_HOST"] = "evil.example"
    return headers


@pytest.mark.parametrize("secure", [False, True])
def test_the_reply_carries_the_middlewares_security_headers(cast, quiz, settings, secure):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    slots = twin_attempts(cast, quiz)
    choice = slots[0].version.choice_ids()[0]
    replies = []
    django = WSGIHandler()  # its middlewares read the settings above
    for app, slot in zip((FastSaveApplication(django), django), slots, strict=True):
        headers = dict(Learner(slot.attempt.user).headers)
        if secure:
            headers["HTTP_X_FORWARDED_PROTO"] = "https"
            headers["HTTP_REFERER"] = "https://testserver/quiz/"
        path = f"/api/attempts/{slot.attempt_id}/answers/{slot.pk}/"
        raw = json.dumps({"response": {"choice": choice}, "seq": 1}).encode()
        replies.append(call(app, environ(path, raw, headers)))
    (status, fast, body), (_s, django, _b) = replies
    assert status == 200 and json.loads(body)["saved"] is True
    for name in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Length",
        "Vary",
    ):
        assert fast[name] == django[name], name
    assert ("Strict-Transport-Security" in fast) is secure
    assert fast.get("Strict-Transport-Security") == django.get("Strict-Transport-Security")


def test_a_save_over_http_goes_to_djangos_redirect_when_https_is_required(cast, quiz, settings):
    settings.SECURE_SSL_REDIRECT = True
    slot = twin_attempts(cast, quiz)[0]
    page = Learner(cast.learner)
    path = f"/api/attempts/{slot.attempt_id}/answers/{slot.pk}/"
    raw = json.dumps({"response": {"choice": slot.version.choice_ids()[0]}, "seq": 1}).encode()
    assert fastsave.serve(environ(path, raw, page.headers)) is None
    app = FastSaveApplication(WSGIHandler())  # its middlewares read the setting above
    status, headers, _body = call(app, environ(path, raw, page.headers))
    assert status == 301 and headers["Location"].startswith("https://")
    slot.refresh_from_db()
    assert slot.seq == 0


def test_the_fast_path_is_one_statement(cast, quiz, settings, django_assert_max_num_queries):
    slot = twin_attempts(cast, quiz)[0]
    page = Learner(cast.learner)
    path = f"/api/attempts/{slot.attempt_id}/answers/{slot.pk}/"
    choice = slot.version.choice_ids()[0]
    call(
        application, environ(path, json.dumps({"response": None, "seq": 1}).encode(), page.headers)
    )
    with django_assert_max_num_queries(1 if settings.IS_POSTGRES else 2):
        status, _h, body = call(
            application,
            environ(
                path, json.dumps({"response": {"choice": choice}, "seq": 2}).encode(), page.headers
            ),
        )
    assert status == 200 and json.loads(body)["saved"] is True


def test_a_verified_cookie_still_expires(cast, quiz, monkeypatch):
    slot = twin_attempts(cast, quiz)[0]
    page = Learner(cast.learner)
    path = f"/api/attempts/{slot.attempt_id}/answers/{slot.pk}/"
    choice = slot.version.choice_ids()[0]

    def save(seq: int) -> int:
        raw = json.dumps({"response": {"choice": choice}, "seq": seq}).encode()
        return call(application, environ(path, raw, page.headers))[0]

    assert save(1) == 200
    assert page.cookie in fastsave._verified
    later = fastsave.time.time() + django_settings.SESSION_COOKIE_AGE + 5
    monkeypatch.setattr(fastsave.time, "time", lambda: later)
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert save(2) == 401  # the session has expired: not logged in any more
    slot.refresh_from_db()
    assert slot.seq == 1


def test_a_tampered_cookie_is_never_kept(cast, quiz):
    slot = twin_attempts(cast, quiz)[0]
    page = Learner(cast.learner)
    forged = page.cookie[:-2] + "xx"
    headers = {**page.headers, "HTTP_COOKIE": f"sessionid={forged}; csrftoken={page.token}"}
    path = f"/api/attempts/{slot.attempt_id}/answers/{slot.pk}/"
    raw = json.dumps({"response": None, "seq": 1}).encode()
    assert call(application, environ(path, raw, headers))[0] == 401
    assert forged not in fastsave._verified


def test_every_middleware_is_accounted_for(settings):
    """A new middleware must be looked at: does a save need it? (fastsave.SKIPPED)"""
    assert list(fastsave.SKIPPED) == list(settings.MIDDLEWARE)


def test_a_database_failure_in_the_fast_path_is_answered_by_django(cast, quiz, monkeypatch):
    """The connection dropped under the fast path: Django retries the same save
    (DatabaseUnavailableMiddleware answers 503 if it fails there too)."""
    from django.db import OperationalError

    from quizzes.services import answers

    slot = twin_attempts(cast, quiz)[0]
    page = Learner(cast.learner)
    real, calls = answers._write, []

    def dropped_once(**kwargs: Any) -> Any:
        calls.append(kwargs["seq"])
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(answers, "_write", dropped_once)
    path = f"/api/attempts/{slot.attempt_id}/answers/{slot.pk}/"
    choice = slot.version.choice_ids()[0]
    raw = json.dumps({"response": {"choice": choice}, "seq": 4}).encode()
    status, _headers, body = call(application, environ(path, raw, page.headers))
    assert status == 200 and json.loads(body)["saved"] is True and calls == [4, 4]
    slot.refresh_from_db()
    assert (slot.seq, slot.response) == (4, {"choice": choice})


def test_the_reply_is_written_as_drfs_encoder_writes_it():
    now = timezone.now()
    for result in (
        SaveResult(saved=True, seq=7, saved_at=now),
        SaveResult(saved=False, seq=2**31 - 1, saved_at=now.replace(microsecond=0)),
        SaveResult(saved=True, seq=1, saved_at=now.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))),
    ):
        body = {"saved": result.saved, "seq": result.seq, "saved_at": result.saved_at}
        drf = json.dumps(body, cls=encoders.JSONEncoder, separators=(",", ":")).encode()
        assert _reply(result) == drf


def test_a_change_of_trusted_origins_reaches_the_fast_path(cast, quiz, settings):
    """The fast path keeps one CSRF check per process, as Django keeps one
    middleware; what it read of the settings goes when they change."""
    settings.ALLOWED_HOSTS = ["testserver"]
    slot = twin_attempts(cast, quiz)[0]
    page = Learner(cast.learner)
    path = f"/api/attempts/{slot.attempt_id}/answers/{slot.pk}/"
    headers = {**page.headers, "HTTP_ORIGIN": "https://hoctap.example.vn"}

    def answered(seq: int) -> bool:
        raw = json.dumps({"response": None, "seq": seq}).encode()
        return fastsave.serve(environ(path, raw, headers)) is not None

    assert not answered(1)
    settings.CSRF_TRUSTED_ORIGINS = ["https://hoctap.example.vn"]
    assert answered(2)
    settings.CSRF_TRUSTED_ORIGINS = []
    assert not answered(3)
