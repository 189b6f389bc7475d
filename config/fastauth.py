"""`request.user` without a database query on every request.

Django's AuthenticationMiddleware loads the user row on each request that
touches `request.user` (the answer-save hot path does, to check the slot is
the learner's). Here the user object is cached (the project's Redis cache,
keyed by id) and every check Django makes is still made on each request:

- the session's backend must be one of AUTHENTICATION_BACKENDS;
- the user must exist and be allowed to log in (ModelBackend: is_active);
- the session's auth hash must match the user's current password hash, so a
  password change still ends every other session at once.

The cached copy is deleted whenever a user row is saved or deleted through
the ORM (password change, deactivation, role change, last_login...), so the
cache is never older than the row except after a bulk `QuerySet.update()` of
users, which sends no signal: that staleness is bounded by USER_CACHE_SECONDS.
If Redis is down the cache misses (config.cache.ResilientRedisCache) and the
row is read from the database as before.

It stands in settings.MIDDLEWARE where AuthenticationMiddleware stood, and
AccountsConfig.ready() imports this module so the invalidation receivers are
connected in every process (web, Celery, commands). Code that changes users
must save them (not QuerySet.update()) for the change to show at once.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

USER_CACHE_SECONDS = getattr(settings, "USER_CACHE_SECONDS", 300)


def cache_key(user_id: Any) -> str:
    return f"fastauth:user:{user_id}"


def get_user(request: HttpRequest) -> Any:
    """The session's user, as django.contrib.auth.get_user would return it."""
    session = request.session
    try:
        user_id = auth._get_user_session_key(request)  # type: ignore[attr-defined]
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    key = cache_key(user_id)
    user = cache.get(key)
    if user is None:
        user = auth.load_backend(backend_path).get_user(user_id)
        if user is None:
            return AnonymousUser()
        cache.set(key, user, USER_CACHE_SECONDS)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if not (session_hash and constant_time_compare(session_hash, user.get_session_auth_hash())):
        # Mismatch: Django's own path decides (SECRET_KEY_FALLBACKS, flushing the session).
        return auth.get_user(request)
    user.backend = backend_path
    return user


class CachedUserAuthenticationMiddleware(AuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # keeps Django's checks and request.auser
        request.user = cast(Any, SimpleLazyObject(lambda: get_user(request)))


def _forget(sender: Any, instance: Any, **kwargs: Any) -> None:
    cache.delete(cache_key(instance.pk))


post_save.connect(_forget, sender=settings.AUTH_USER_MODEL, dispatch_uid="fastauth-save")
post_delete.connect(_forget, sender=settings.AUTH_USER_MODEL, dispatch_uid="fastauth-delete")
