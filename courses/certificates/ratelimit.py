"""Per-client limit on verification lookups, in the Django cache.

Fails open: when the cache is down, lookups go through rather than fail,
because a public verification page that returns 500 is worse than one
that is briefly unthrottled.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def client_id(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def allow_lookup(request: HttpRequest) -> bool:
    window = int(time.time() // 60)
    key = f"certificates:verify:{client_id(request)}:{window}"
    try:
        count = 1 if cache.add(key, 1, timeout=90) else cache.incr(key)
    except Exception:
        logger.warning("verification rate limit skipped: cache unavailable", exc_info=True)
        return True
    return count <= settings.CERTIFICATE_VERIFY_RATE
