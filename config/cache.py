"""A Redis cache that degrades to "miss" instead of failing the request.

The cache only ever holds what can be recomputed (slot specs, throttle
counters), so when Redis is down a read is a miss and a write is dropped:
answers and submissions still commit to PostgreSQL.
"""

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

log = logging.getLogger(__name__)
FAULTS = (ConnectionError, TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def _guard(self, default: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(super(), method)(*args, **kwargs)
        except FAULTS as exc:
            log.warning("cache %s failed, treated as a miss: %s", method, exc)
            return default

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guard(default, "get", key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._guard({}, "get_many", keys, version)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._guard(None, "set", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._guard([], "set_many", *args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._guard(False, "add", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._guard(False, "delete", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._guard(None, "delete_many", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._guard(False, "touch", *args, **kwargs)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        try:
            return super().incr(key, delta, version)
        except FAULTS as exc:
            log.warning("cache incr failed: %s", exc)
            return delta

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._guard(False, "has_key", *args, **kwargs)

    def clear(self) -> Any:
        return self._guard(False, "clear")
