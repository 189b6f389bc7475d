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
the ORM (password change, deactivation, role change, last_login...), at once
and again when the transaction commits, so the cache is never older than the
row except after a bulk `QuerySet.update()` of users, which sends no signal:
that staleness is bounded by USER_CACHE_SECONDS. If Redis is down the cache
misses (config.cache.ResilientRedisCache) and the row is read from the
database as before.

With Redis, each process also keeps its own copies (`NearCache`), so the
answer-save hot path makes no round trip for the user: a change to a user
is published on a Redis channel when it commits, and every process's
listener drops its copy within milliseconds. A process uses its copies only
while its listener is subscribed; when the subscription is lost it drops
them all and reads Redis again until it is back.

It stands in settings.MIDDLEWARE where AuthenticationMiddleware stood, and
AccountsConfig.ready() imports this module so the invalidation receivers are
connected in every process (web, Celery, commands). Code that changes users
must save them (not QuerySet.update()) for the change to show at once.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import threading
import time
from typing import Any, cast
from urllib.parse import urlsplit

import redis
from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from config.sql import columns, fetch

log = logging.getLogger(__name__)
USER_CACHE_SECONDS = getattr(settings, "USER_CACHE_SECONDS", 300)
# Where changes are announced; and how long a process's copy lives at most,
# in case an announcement is lost while the listener looks connected: no longer
# than Redis's copy of the same read (a copy is never older than
# USER_CACHE_SECONDS). A fixed 60 s sent most saves of a 5,000-learner wave to
# Redis for their user: six processes each see a learner only every 45 s or so
# (bench/RESULTS.md).
CHANNEL = "fastauth:forget:" + urlsplit(settings.REDIS_URL).path.strip("/")
NEAR_SECONDS = float(USER_CACHE_SECONDS)
PING_SECONDS = 5.0


class NearCache:
    """This process's copies of users, valid while the listener is subscribed."""

    def __init__(self) -> None:
        self._users: dict[int, tuple[float, Any]] = {}
        self._pid = 0
        self._lock = threading.Lock()
        self.ready = False  # subscribed: announcements reach this process
        self.generation = 0  # bumped by every forget: a read that overlapped one is not kept here
        self.changes = 0  # bumped by the forget of a user: a read that overlapped one goes nowhere

    def get(self, user_id: int, shared: bool = False) -> Any:
        """The user's copy: a copy of its own, or with `shared` this process's
        copy itself, for a caller that only reads it."""
        if not settings.REDIS_URL:
            return None  # the cache itself is this process's memory
        self._listen_in_this_process()
        entry = self._users.get(user_id)
        if not self.ready or entry is None or entry[0] < time.monotonic():
            return None
        return entry[1] if shared else copy.copy(entry[1])  # each request gets its own object

    def put(self, user_id: int, user: Any, generation: int, read_at: float) -> None:
        """Keep a copy of the user read from the database at `read_at` (time.time()):
        never beyond what Redis's copy of that read may live."""
        lifetime = min(NEAR_SECONDS, read_at + USER_CACHE_SECONDS - time.time())
        if self.ready and generation == self.generation and lifetime > 0:
            self._users[user_id] = (time.monotonic() + lifetime, copy.copy(user))

    def forget(self, user_id: int | None = None) -> None:
        """Drop one user's copy (a change of that user), or all (the listener (re)subscribed or lost)."""
        self.generation += 1
        if user_id is None:
            self._users.clear()
        else:
            self.changes += 1
            self._users.pop(user_id, None)

    def _listen_in_this_process(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:  # once per process (gunicorn forks after importing the app)
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self.ready = False
            self.forget()
            threading.Thread(target=self._listen, name="fastauth-listener", daemon=True).start()

    def _listen(self) -> None:
        while True:
            pubsub = _redis().pubsub()
            try:
                pubsub.subscribe(CHANNEL)
                heard = pinged = time.monotonic()
                while True:
                    message = pubsub.get_message(timeout=1.0)
                    now = time.monotonic()
                    if message is not None:
                        heard = now
                        if message["type"] == "subscribe":
                            self.forget()
                            self.ready = True
                        elif message["type"] == "message":
                            self.forget(int(message["data"]))
                    elif now - heard > 3 * PING_SECONDS:
                        raise redis.ConnectionError("no reply to the pings")
                    if now - pinged > PING_SECONDS:
                        pubsub.ping()  # its "pong" counts as heard
                        pinged = now
            except Exception as exc:  # any failure: stop trusting the copies
                if self.ready:
                    log.warning("user change announcements lost, copies dropped: %s", exc)
            finally:
                self.ready = False
                self.forget()
                pubsub.close()
            time.sleep(1.0)


near = NearCache()
_clients: dict[int, redis.Redis] = {}


def _redis() -> redis.Redis:
    client = _clients.get(os.getpid())
    if client is None:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=1,
            socket_timeout=2 * PING_SECONDS,
            client_name="fastauth",
        )
        _clients[os.getpid()] = client
    return client


def cache_key(user_id: Any) -> str:
    return f"fastauth:user:v2:{user_id}"  # (user, when it was read)


def _load(backend_path: str, user_id: Any) -> Any:
    """The backend's `get_user`; for ModelBackend the same row and the same check
    with a fixed statement: the ORM compiles `.get(pk=...)` anew every time (about
    1 ms of CPU), and every session's first request reads its user."""
    backend = auth.load_backend(backend_path)
    if type(backend) is not ModelBackend:
        return backend.get_user(user_id)
    model = auth.get_user_model()
    rows = fetch(
        f"SELECT {columns(model, 'u')} FROM {model._meta.db_table} u WHERE u.id = %s",
        [user_id],
        model,
    )
    user = rows[0][0] if rows else None
    return user if user is not None and backend.user_can_authenticate(user) else None


def get_user(request: HttpRequest, shared: bool = False) -> Any:
    """The session's user, as django.contrib.auth.get_user would return it; with
    `shared`, possibly the object this process keeps, for a caller that only
    reads it (the answer save: `quizzes.api.fastsave`)."""
    session = request.session
    try:
        # As auth._get_user_session_key, the model's pk field looked up once.
        user_id = _user_pk(settings.AUTH_USER_MODEL).to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    user = near.get(user_id, shared)
    if user is None:
        generation, changes = near.generation, near.changes
        key = cache_key(user_id)
        cached = cache.get(key)
        if cached is not None:
            user, read_at = cached
        else:
            user, read_at = _load(backend_path, user_id), time.time()
            if user is None:
                return AnonymousUser()
            if changes == near.changes:  # not read across a change of a user
                cache.set(key, (user, read_at), USER_CACHE_SECONDS)
        near.put(user_id, user, generation, read_at)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if not (session_hash and constant_time_compare(session_hash, _auth_hash(user))):
        # Mismatch: Django's own path decides (SECRET_KEY_FALLBACKS, flushing the session).
        return auth.get_user(request)
    if not shared:
        user.backend = backend_path
    return user


@functools.cache
def _user_pk(label: str) -> Any:
    return apps.get_model(label, require_ready=False)._meta.pk


def _auth_hash(user: Any) -> str:
    """`user.get_session_auth_hash()`, kept on the object for as long as its
    password and SECRET_KEY are those it was made from: the HMAC was 3 % of an
    answer save's CPU, and a process's copy of a user serves all its saves.
    The key's hash is kept, not the key: the object may be pickled."""
    made_from = (user.password, hash(settings.SECRET_KEY))
    kept = user.__dict__.get("_session_auth_hash")
    if kept is None or kept[0] != made_from:
        kept = user.__dict__["_session_auth_hash"] = (made_from, user.get_session_auth_hash())
    return cast(str, kept[1])


class CachedUserAuthenticationMiddleware(AuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # keeps Django's checks and request.auser
        request.user = cast(Any, SimpleLazyObject(lambda: get_user(request)))


def forget_user(user_id: int) -> None:
    """Drop every copy of the user: Redis's, this process's, and (announced) the others'."""
    near.forget(user_id)
    cache.delete(cache_key(user_id))
    if settings.REDIS_URL:
        try:
            _redis().publish(CHANNEL, user_id)
        except redis.RedisError as exc:  # every listener has lost Redis too, and dropped its copies
            log.warning("could not announce the change of user %s: %s", user_id, exc)


def _forget(sender: Any, instance: Any, **kwargs: Any) -> None:
    # At once for this transaction's own reads, and after the commit for everyone:
    # a copy read from the database in between would still hold the old row.
    user_id = instance.pk
    near.forget(user_id)
    cache.delete(cache_key(user_id))
    transaction.on_commit(lambda: forget_user(user_id))


post_save.connect(_forget, sender=settings.AUTH_USER_MODEL, dispatch_uid="fastauth-save")
post_delete.connect(_forget, sender=settings.AUTH_USER_MODEL, dispatch_uid="fastauth-delete")
