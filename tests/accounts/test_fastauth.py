"""config.fastauth: the cached user behaves as Django's lookup, minus the query."""

import os
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.cache import cache
from django.test import RequestFactory

from accounts.models import User
from config import fastauth

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learner():
    user = User(username="hv1", full_name="Học Viên Một")
    user.set_password("Mat-khau-an-toan-2026")
    user.save()
    return user


def request_for(user, backend=BACKEND):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    request = RequestFactory().get("/")
    request.session = session
    return request


def test_second_request_of_a_user_costs_no_query(learner, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert fastauth.get_user(request_for(learner)).pk == learner.pk
    with django_assert_num_queries(0):
        user = fastauth.get_user(request_for(learner))
    assert user.pk == learner.pk and user.is_authenticated and user.backend == BACKEND


def test_listener_subscribing_during_a_read_still_lets_redis_keep_the_user(
    learner, monkeypatch, django_assert_num_queries
):
    """The listener's first subscription drops every copy of this process; it is
    not a change of any user, so the row just read still goes to Redis (CI once
    caught the subscription landing between the read and the write)."""
    from django.contrib.auth.backends import ModelBackend

    read = ModelBackend.get_user

    def read_while_subscribing(self, user_id):
        user = read(self, user_id)
        fastauth.near.forget()  # what the listener does when it subscribes
        return user

    monkeypatch.setattr(ModelBackend, "get_user", read_while_subscribing)
    fastauth.get_user(request_for(learner))
    with django_assert_num_queries(0):
        assert fastauth.get_user(request_for(learner)).pk == learner.pk


def test_change_during_a_read_keeps_the_read_out_of_redis(learner, monkeypatch):
    read = fastauth._load

    def read_while_changed(backend_path, user_id):
        user = read(backend_path, user_id)
        fastauth.near.forget(user_id)  # another process announced a change of this user
        return user

    monkeypatch.setattr(fastauth, "_load", read_while_changed)
    fastauth.get_user(request_for(learner))
    assert cache.get(fastauth.cache_key(learner.pk)) is None


def test_password_change_ends_other_sessions_at_once(learner):
    old_session = request_for(learner)
    fastauth.get_user(request_for(learner))  # cached
    learner.set_password("Mat-khau-moi-2026-an-toan")
    learner.save()
    assert not fastauth.get_user(old_session).is_authenticated


def test_deactivated_user_is_logged_out_at_once(learner):
    request = request_for(learner)
    assert fastauth.get_user(request).is_authenticated
    learner.is_active = False
    learner.save()
    assert not fastauth.get_user(request_for(learner)).is_authenticated


def test_deactivation_by_an_admin_logs_the_learner_out(cast, client):
    """Through the real middleware stack: the first request caches the user,
    deactivate_user must drop that copy."""
    from accounts.services import deactivate_user

    client.force_login(cast.learner)
    assert client.get("/api/me/").status_code == 200
    assert client.get("/api/me/").status_code == 200  # served from the cached user
    deactivate_user(actor=cast.admin, user=cast.learner)
    assert client.get("/api/me/").status_code in (401, 403)


def test_the_user_is_read_as_the_model_backend_reads_it(learner):
    """The fixed statement of a first request gives the ORM's user, field for field."""
    from django.contrib.auth.backends import ModelBackend
    from django.forms.models import model_to_dict

    got = fastauth._load(BACKEND, learner.pk)
    assert model_to_dict(got) == model_to_dict(ModelBackend().get_user(learner.pk))
    assert got._state.adding is False and got._state.db == "default"
    assert fastauth._load(BACKEND, learner.pk + 1000) is None
    User.objects.filter(pk=learner.pk).update(is_active=False)
    assert fastauth._load(BACKEND, learner.pk) is None


def test_a_copy_never_outlives_redis_copy_of_the_same_read(learner):
    """A password change whose announcement was lost is seen within USER_CACHE_SECONDS
    of the read, however late a process copied that read from Redis."""
    near = fastauth.NearCache()
    near.ready = True
    nearly_expired = time.time() - fastauth.USER_CACHE_SECONDS + 5
    near.put(learner.pk, learner, near.generation, nearly_expired)
    assert near._users[learner.pk][0] - time.monotonic() <= 5.01
    near.put(learner.pk + 1, learner, near.generation, nearly_expired - 10)
    assert learner.pk + 1 not in near._users


def test_deleted_user_is_anonymous(learner):
    request = request_for(learner)
    fastauth.get_user(request)
    learner.delete()
    assert not fastauth.get_user(request).is_authenticated


def test_unknown_backend_is_anonymous(learner):
    request = request_for(learner, backend="some.other.Backend")
    assert not fastauth.get_user(request).is_authenticated


def test_anonymous_session_stays_anonymous():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    assert not fastauth.get_user(request).is_authenticated


def test_middleware_gives_the_cached_user_to_the_view(learner, django_assert_num_queries):
    middleware = fastauth.CachedUserAuthenticationMiddleware(lambda request: request.user.pk)
    assert middleware(request_for(learner)) == learner.pk
    with django_assert_num_queries(0):
        assert middleware(request_for(learner)) == learner.pk


# -- this process's copies (with Redis): no round trip, dropped on any change ----

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (set REDIS_URL)")


def wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def listening():
    fastauth.near.get(0)  # starts this process's listener
    wait_for(lambda: fastauth.near.ready)
    return fastauth.near


@needs_redis
def test_copy_serves_the_user_without_redis_or_database(
    learner, listening, django_assert_num_queries
):
    fastauth.get_user(request_for(learner))
    cache.delete(fastauth.cache_key(learner.pk))  # Redis's copy gone, silently
    with django_assert_num_queries(0):
        first = fastauth.get_user(request_for(learner))
        second = fastauth.get_user(request_for(learner))
    assert first.pk == second.pk == learner.pk and first.is_authenticated
    first.full_name = "Đã sửa trong một yêu cầu"
    assert second.full_name == "Học Viên Một"  # every request has its own object
    assert cache.get(fastauth.cache_key(learner.pk)) is None


@needs_redis
def test_change_committed_by_another_process_reaches_this_one(learner, listening):
    """The other process is real: a Python that announces the change on Redis."""
    request = request_for(learner)
    assert fastauth.get_user(request).is_authenticated
    User.objects.filter(pk=learner.pk).update(is_active=False)  # no signal: nothing dropped
    assert fastauth.get_user(request).is_authenticated  # still this process's copy
    announce = f"import django; django.setup(); from config import fastauth; fastauth.forget_user({learner.pk})"
    subprocess.run(
        [sys.executable, "-c", announce], check=True, env={**os.environ}, cwd=settings.BASE_DIR
    )
    wait_for(lambda: not fastauth.get_user(request_for(learner)).is_authenticated)


@needs_redis
def test_saving_a_user_announces_it_after_commit(
    learner, listening, django_capture_on_commit_callbacks
):
    listener = redis.Redis.from_url(settings.REDIS_URL).pubsub()
    listener.subscribe(fastauth.CHANNEL)
    wait_for(lambda: (listener.get_message(timeout=0.1) or {}).get("type") == "subscribe")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        learner.full_name = "Học Viên Đổi Tên"
        learner.save()
    assert listener.get_message(timeout=0.3) is None  # not before the commit
    for callback in callbacks:
        callback()
    message = listener.get_message(timeout=2)
    assert message and message["type"] == "message" and int(message["data"]) == learner.pk
    listener.close()


@needs_redis
def test_lost_subscription_drops_every_copy_until_it_is_back(learner, listening):
    fastauth.get_user(request_for(learner))
    assert fastauth.near.get(learner.pk) is not None
    admin = redis.Redis.from_url(settings.REDIS_URL)
    for client in admin.client_list():
        if client.get("name") == "fastauth" and client.get("sub") != "0":
            admin.client_kill_filter(_id=client["id"])
    wait_for(lambda: not fastauth.near.ready)
    assert fastauth.near.get(learner.pk) is None  # not trusted while deaf
    wait_for(lambda: fastauth.near.ready)  # the listener subscribes again
    assert fastauth.near.get(learner.pk) is None  # and starts from nothing
    assert fastauth.get_user(request_for(learner)).pk == learner.pk
    assert fastauth.near.get(learner.pk) is not None


def test_the_kept_session_hash_follows_the_password_and_the_secret_key(learner, settings):
    """The HMAC a session is checked against is kept on the process's copy of
    the user, and made again when what it was made from changes."""
    user = fastauth.get_user(request_for(learner), shared=True)
    assert fastauth._auth_hash(user) == learner.get_session_auth_hash()
    user.password = "pbkdf2_sha256$1$muoi$khac"  # changed in place, not saved
    assert fastauth._auth_hash(user) == user.get_session_auth_hash()
    assert fastauth._auth_hash(user) != learner.get_session_auth_hash()
    before = fastauth._auth_hash(user)
    settings.SECRET_KEY = "mot-khoa-bi-mat-khac-" + "x" * 40
    assert fastauth._auth_hash(user) == user.get_session_auth_hash() != before
