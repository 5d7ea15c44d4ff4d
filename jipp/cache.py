"""Django's Redis cache, for which an unreachable Redis is a cache that holds nothing.

What the portal keeps in its cache can be computed again (the catalogue's counts and fragments) or is
a courtesy limit (password-reset and API rate counters): a Redis restart must make pages slower, not
answer them with a 500. Each failure is logged, and the next call tries Redis again. Rate limits fail
open meanwhile; sign-in throttling (axes) is kept in the database and does not depend on the cache.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


def _or(fallback: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The method, or `fallback(*arguments)` when Redis cannot be reached."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def tolerant(self: RedisCacheClient, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError) as error:
                logger.warning("Cache unreachable, %s answered without it: %s", method.__name__, error)
                return fallback(*args, **kwargs)

        return tolerant

    return decorate


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _false(*args: Any, **kwargs: Any) -> bool:
    return False


class TolerantRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django builds a redis.Redis for every call, whose constructor fills a table of some 170
        # response callbacks: a fifth of a kept page's cache read. One per connection pool does the
        # same work (redis-py's clients are safe to share between threads).
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    get = _or(lambda key, default: default)(RedisCacheClient.get)
    get_many = _or(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _or(_false)(RedisCacheClient.has_key)
    add = _or(_false)(RedisCacheClient.add)
    set = _or(_nothing)(RedisCacheClient.set)
    set_many = _or(_nothing)(RedisCacheClient.set_many)
    touch = _or(_false)(RedisCacheClient.touch)
    delete = _or(_false)(RedisCacheClient.delete)
    delete_many = _or(_nothing)(RedisCacheClient.delete_many)
    clear = _or(_false)(RedisCacheClient.clear)
    # Counted as the first use of its window.
    incr = _or(lambda key, delta: delta)(RedisCacheClient.incr)

    @_or(lambda key, timeout: 0)
    def count(self, key: Any, timeout: int) -> int:
        """Add one to the counter `key` (kept `timeout` seconds after its last count) and return it, in
        one round trip: INCR (atomic by itself) and EXPIRE sent together; no MULTI is needed. Uncounted (0)
        while Redis cannot be reached."""
        with self.get_client(key, write=True).pipeline(transaction=False) as pipeline:
            pipeline.incr(key)
            pipeline.expire(key, timeout)
            counted, _expiry = pipeline.execute()
        return int(counted)


class TolerantRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient

    def count(self, key: str, *, timeout: int) -> int:
        return self._cache.count(self.make_and_validate_key(key), timeout)  # type: ignore[no-any-return]


def cache_count(key: str, *, timeout: int) -> int:
    """Add one to the counter `key` of the default cache and return it; the counter lives `timeout`
    seconds. One round trip on Redis (Django's incr checks the key exists first: two); elsewhere
    add-then-incr, which the local-memory cache does under its lock."""
    cache = caches["default"]
    if isinstance(cache, TolerantRedisCache):
        return cache.count(key, timeout=timeout)
    cache.add(key, 0, timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout)
        return 1
