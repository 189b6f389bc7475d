"""With Redis unreachable the cache misses instead of failing the request."""

from config.cache import ResilientRedisCache


def dead_cache() -> ResilientRedisCache:
    # Nothing listens on port 1: every call fails to connect at once.
    return ResilientRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )


def test_reads_are_misses_when_redis_is_down():
    cache = dead_cache()
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False


def test_writes_are_dropped_without_error_when_redis_is_down():
    cache = dead_cache()
    cache.set("k", 1)
    assert cache.add("k", 1) is False
    cache.delete("k")
    assert cache.incr("k") == 1
