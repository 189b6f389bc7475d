"""config.fastauth: the cached user behaves as Django's lookup, minus the query."""

import pytest
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
