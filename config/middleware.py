"""Project middleware.

DatabaseUnavailableMiddleware: when PostgreSQL drops a connection (restart, failover, pg_terminate_backend)
the request in flight fails with OperationalError/InterfaceError. Its
transaction is rolled back, so nothing is half-written; the client only needs
to send the same request again (answer saves are idempotent by `seq`). The
broken connection is closed here so the next request opens a fresh one.

CachedPolicyCSPMiddleware: django-csp, with its header built once per process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning(
            "database unavailable during %s %s: %s", request.method, request.path, exception
        )
        for conn in connections.all(initialized_only=True):
            if conn.in_atomic_block:
                conn.needs_rollback = True
            else:
                conn.close_if_unusable_or_obsolete()
        message = _(
            "Mất kết nối tạm thời tới cơ sở dữ liệu. Chưa có gì được lưu; "
            "vui lòng thử lại sau giây lát."
        )
        if request.path.startswith("/api/") or not request.accepts("text/html"):
            response: HttpResponse = JsonResponse(
                {"detail": message, "retryable": True}, status=503
            )
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "1"
        return response


class CachedPolicyCSPMiddleware(CSPMiddleware):
    """django-csp, with the Content-Security-Policy header built once per process.

    django-csp rebuilds the header from settings on every response (deep
    copies, dataclass conversions): about a sixth of an answer save's CPU.
    Here a plain response (no nonce asked for, no per-view policy) gets the
    header built the first time; anything else, DEBUG (its error pages go
    without a policy) and exclusion prefixes go through django-csp as before.
    Changing a CSP setting (tests) drops the copy.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        policy, report_only, simple = _policies()
        if (
            not simple
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
        ):
            return super().process_response(request, response)
        for header, value, exempt in (
            (HEADER, policy, "_csp_exempt"),
            (HEADER_REPORT_ONLY, report_only, "_csp_exempt_ro"),
        ):
            if value and header not in response and not getattr(response, exempt, False):
                response[header] = value
        # As django-csp does: a nonce asked for once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


_PER_RESPONSE = tuple(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace") for suffix in ("", "_ro")
)


@cache
def _policies() -> tuple[str, str, bool]:
    """(policy, report-only policy, whether no path is excluded), as django-csp builds them."""
    excluded = any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    )
    return build_policy(), build_policy(report_only=True), not excluded


@receiver(setting_changed)
def _forget_policies(setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _policies.cache_clear()
