"""Turn a lost database connection into a clear, retryable 503.

When PostgreSQL drops a connection (restart, failover, pg_terminate_backend)
the request in flight fails with OperationalError/InterfaceError. Its
transaction is rolled back, so nothing is half-written; the client only needs
to send the same request again (answer saves are idempotent by `seq`). The
broken connection is closed here so the next request opens a fresh one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
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
