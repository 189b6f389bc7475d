"""A Redis cache that degrades to "miss" instead of failing the request.

The cache only ever holds what can be recomputed (slot specs, throttle
counters), so when Redis is down a read is a miss and a write is dropped:
answers and submissions still commit to PostgreSQL.
"""

import logging
from typing import Any, cast

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError, TimeoutError

log = logging.getLogger(__name__)
FAULTS = (ConnectionError, TimeoutError, OSError)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new redis.Redis object on every cache call, which costs
    more CPU than the round trip itself (it fills ~170 response callbacks).
    A redis.Redis over a connection pool is thread-safe: build one per pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        base = cast(Any, self)  # Django's private helpers, absent from the stubs
        index = base._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = base._client(connection_pool=base._get_connection_pool(write))
            self._clients[index] = client
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

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
