"""The answer save without Django's request cycle (issue 20).

`PUT /api/attempts/{id}/answers/{slot}/` from a page is most of the exam
wave: 5,000 learners send ~670 a second. Through Django's handler every
save also paid for thirteen middlewares, URL resolution, the view wrappers
and a response object, which a save does not need (bench/RESULTS.md
measures what that cost).

`serve(environ)` answers that request itself, with the same checks made by
the same code, in the order the middleware and the view make them:

- HTTPS where `SECURE_SSL_REDIRECT` asks for it (else Django's redirect
  answers); the host against ALLOWED_HOSTS;
- the session from its signed cookie, the user as
  `CachedUserAuthenticationMiddleware` gets it (active, session hash);
- the view's own checks (`page_save`): CSRF as DRF checks it for session
  logins, the body's shape, then the attempt, slot, deadline and seq in the
  save's one statement.

The reply carries the headers `SecurityMiddleware`, `XFrameOptionsMiddleware`
and the CSP middleware give it, computed by them once per process and scheme,
and Django's `Vary`; not `Content-Language`: this reply has no text. Whatever else (another method or path, a token
client, a refused save, an error, a session Django would rewrite, refused
user agents or PREPEND_WWW configured) returns None and the request goes
through Django as before, its body put back: a refused save writes nothing,
so Django answers it exactly as if it had come first. `SKIPPED` says why
each other middleware has nothing to do for a save; a test fails when
MIDDLEWARE changes.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Callable, Iterable
from functools import cache
from importlib import import_module
from typing import Any, cast

from django.conf import settings
from django.contrib.sessions.backends import signed_cookies
from django.core import signals, signing
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware

from config import fastauth
from config.middleware import CachedPolicyCSPMiddleware

logger = logging.getLogger(__name__)
SAVE_PATH = re.compile(r"/api/attempts/([0-9]{1,18})/answers/([0-9]{1,18})/\Z")

# The middlewares whose headers the reply carries, in MIDDLEWARE order.
HEADERS_FROM = (SecurityMiddleware, XFrameOptionsMiddleware, CachedPolicyCSPMiddleware)
SKIPPED = {
    "django.middleware.security.SecurityMiddleware": "its redirect checked, its headers given",
    "whitenoise.middleware.WhiteNoiseMiddleware": "static files only",
    "django.contrib.sessions.middleware.SessionMiddleware": "the session read here, never changed",
    "django.middleware.locale.LocaleMiddleware": "the reply has no text",
    "django.middleware.common.CommonMiddleware": "refused agents and PREPEND_WWW go to Django",
    "django.middleware.csrf.CsrfViewMiddleware": "the view checks CSRF itself, as DRF does",
    "config.fastauth.CachedUserAuthenticationMiddleware": "its get_user is called directly",
    "django.contrib.messages.middleware.MessageMiddleware": "a save shows no message",
    "django.middleware.clickjacking.XFrameOptionsMiddleware": "its header given",
    "django_htmx.middleware.HtmxMiddleware": "a save is not an htmx request",
    "config.middleware.CachedPolicyCSPMiddleware": "its header given",
    "axes.middleware.AxesMiddleware": "acts on logins only",
    "config.middleware.DatabaseUnavailableMiddleware": "a database error goes through Django",
}

Reply = tuple[str, list[tuple[str, str]], bytes]
_headers: dict[bool, list[tuple[str, str]]] = {}


def _unused(request: HttpRequest) -> HttpResponse:
    raise AssertionError("only the middlewares' process_response is called")


def _security_headers(request: HttpRequest) -> list[tuple[str, str]]:
    """What the middlewares add to a JSON reply, once per process and scheme."""
    secure = request.is_secure()
    headers = _headers.get(secure)
    if headers is None:
        probe: Any = HttpResponse(content_type="application/json")
        for cls in reversed(HEADERS_FROM):
            probe = cls(_unused).process_response(request, probe)
        # As Django's reply: the session and the language were looked at.
        headers = _headers[secure] = [*probe.items(), ("Vary", "Accept-Language, Cookie")]
    return headers


def forget_headers(**kwargs: Any) -> None:
    _headers.clear()


setting_changed.connect(forget_headers, dispatch_uid="fastsave-headers")


class VerifiedCookieSession(signed_cookies.SessionStore):
    """A signed-cookie session, its signature checked once per process.

    A learner's page sends the same cookie with each of its saves; the cookie's
    data cannot change without its signature changing, so the data of a cookie
    whose signature passed is kept (at most VERIFIED_MAX cookies) and used
    again while its age is within SESSION_COOKIE_AGE, as `signing.loads` checks
    it. A cookie that fails is not kept: Django's own path answers it."""

    def load(self) -> dict[str, Any]:
        key = self.session_key or ""
        kept = _verified.get(key)
        if kept is not None and time.time() - kept[0] <= self.get_session_cookie_age():
            return dict(kept[1])
        data = super().load()
        if data and not self.modified:
            if len(_verified) >= VERIFIED_MAX:
                _verified.clear()
            timestamp = signing.b62_decode(key.rsplit(":", 2)[-2])
            _verified[key] = (timestamp, tuple(data.items()))
        return cast(dict[str, Any], data)


VERIFIED_MAX = 20_000
_verified: dict[str, tuple[int, tuple[tuple[str, Any], ...]]] = {}


@cache
def _session_store() -> Any:
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.signed_cookies":
        return VerifiedCookieSession
    return import_module(settings.SESSION_ENGINE).SessionStore


def serve(environ: dict[str, Any]) -> Reply | None:
    """The save's reply (status, headers, body), or None for Django to answer."""
    if environ.get("REQUEST_METHOD") != "PUT" or "HTTP_AUTHORIZATION" in environ:
        return None
    match = SAVE_PATH.match(environ.get("PATH_INFO", ""))
    if match is None or settings.DISALLOWED_USER_AGENTS or settings.PREPEND_WWW:
        return None
    from .attempts import page_save  # the view's own code, imported once the apps are ready

    request = WSGIRequest(environ)
    if request.content_type != "application/json" or (
        settings.SECURE_SSL_REDIRECT and not request.is_secure()
    ):
        return None
    try:
        request.get_host()  # ALLOWED_HOSTS
        body = request.body
    except (DisallowedHost, RequestDataTooBig):
        return None
    environ["wsgi.input"] = io.BytesIO(body)  # for Django, if it answers after all
    request.session = _session_store()(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    request.user = fastauth.get_user(request, shared=True)
    if request.session.modified:  # a bad or outdated session: Django rewrites its cookie
        return None
    reply = page_save(request, int(match[1]), int(match[2]))
    if reply is None:
        return None
    return "200 OK", [*_security_headers(request), ("Content-Length", str(len(reply)))], reply


class FastSaveApplication:
    """The WSGI application: `serve` first, Django's for everything else.

    The request signals are sent around `serve` as Django's handler sends them
    (database connections past CONN_MAX_AGE or broken are closed)."""

    def __init__(self, django: Callable[..., Iterable[bytes]]) -> None:
        self.django = django

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REQUEST_METHOD") != "PUT":
            return self.django(environ, start_response)
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            reply = serve(environ)
        except Exception:  # Django answers, with its own handling (a dropped database: 503)
            logger.warning("the fast save handed a failure to Django", exc_info=True)
            reply = None
        finally:
            signals.request_finished.send(sender=self.__class__)
        if reply is None:
            return self.django(environ, start_response)
        status, headers, body = reply
        start_response(status, headers)
        return [body]
