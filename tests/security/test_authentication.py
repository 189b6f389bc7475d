"""Logins: lockout per username and per client, one message for every failure,
password rules, hashing and cookies as Django recommends."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import global_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LOGIN = reverse("accounts:login")
WRONG = "sai-mat-khau-123"


def attempt(username: str, password: str = WRONG, ip: str = "10.0.0.1") -> object:
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"username": username, "password": password})


def fail(username: str, times: int, ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        attempt(username, ip=ip)


def test_wrong_password_and_unknown_account_get_the_same_answer(cast):
    known = attempt("learner", ip="10.0.0.1")
    unknown = attempt("khong-ton-tai", ip="10.0.0.2")
    assert known.status_code == unknown.status_code == 200
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert message in known.content.decode() and message in unknown.content.decode()


def test_five_failures_lock_the_username_even_from_other_clients(cast, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt("learner", ip=f"10.0.1.{n}")
    locked = attempt("learner", PASSWORD, ip="10.0.2.1")
    assert locked.status_code == 429 or locked.status_code == 403
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in locked.client.session


def test_five_failures_from_one_client_lock_that_client_for_every_username(cast, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"doan-ten-{n}", ip="10.0.3.1")
    assert "Tạm khóa đăng nhập" in attempt("learner", PASSWORD, ip="10.0.3.1").content.decode()
    # another client may still sign in as that user
    assert attempt("learner", PASSWORD, ip="10.0.3.2").status_code == 302


def test_lockout_looks_the_same_for_existing_and_unknown_accounts(cast, settings):
    fail("learner", settings.AXES_FAILURE_LIMIT, ip="10.0.4.1")
    fail("khong-ton-tai", settings.AXES_FAILURE_LIMIT, ip="10.0.4.2")
    known = attempt("learner", ip="10.0.4.3")
    unknown = attempt("khong-ton-tai", ip="10.0.4.4")
    assert known.status_code == unknown.status_code

    def page(response) -> str:  # type: ignore[no-untyped-def]
        return re.sub(r'(value=|nonce=|Token": )"[^"]*"', "", response.content.decode())

    assert page(known) == page(unknown)


def test_success_before_the_limit_resets_the_count(cast, settings):
    fail("learner", settings.AXES_FAILURE_LIMIT - 1)
    assert attempt("learner", PASSWORD).status_code == 302
    fail("learner", settings.AXES_FAILURE_LIMIT - 1)
    assert attempt("learner", PASSWORD).status_code == 302


def test_api_token_endpoint_is_under_the_same_lockout(cast, settings, api):
    url = reverse("api-token")
    client = api(None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "learner", "password": WRONG}, REMOTE_ADDR="10.0.5.1")
    response = client.post(url, {"username": "learner", "password": PASSWORD})
    assert response.status_code in (403, 429), response.content
    assert b'"token"' not in response.content


@pytest.mark.parametrize(
    "password",
    ["ngan1", "12345678901234", "password123", "Nguyễn Thị Hồng Nhung", "learner"],
    ids=["too-short", "numeric", "common", "the-full-name", "the-username"],
)
def test_weak_passwords_are_refused(cast, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=cast.learner)


def test_a_strong_password_is_accepted(cast):
    validate_password("Chi-bo-A1-hop-thu-5-hang-thang", user=cast.learner)


def test_passwords_are_stored_with_a_recommended_hasher():
    import config.settings as project

    hashers = getattr(project, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0].rsplit(".", 1)[1] in {
        "Argon2PasswordHasher",
        "PBKDF2PasswordHasher",
        "ScryptPasswordHasher",
    }


def test_changing_the_password_ends_every_other_session(cast, login):
    client = login(cast.learner)
    assert client.get(reverse("frontend:dashboard")).status_code == 200
    cast.learner.set_password("Mat-khau-moi-hoan-toan-2026")
    cast.learner.save()
    response = client.get(reverse("frontend:dashboard"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def _production_settings(*names: str) -> dict[str, object]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "False",
        "SECRET_KEY": "x" * 20 + "-production-secret-for-the-check-0123456789abcdefghij",
        "ALLOWED_HOSTS": "boiduong.example.vn",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_session_and_csrf_cookies_are_secure_in_production():
    values = _production_settings(
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "DEBUG",
    )
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000
    assert values["DEBUG"] is False


def test_forms_refuse_a_post_without_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    response = client.post(reverse("frontend:unit-create"), {"name": "X", "code": "X"})
    assert response.status_code == 403
