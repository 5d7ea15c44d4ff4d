"""An unreachable Redis cache is an empty cache, never a 500 (jipp/cache.py; bench: scripts/reliability/faults.py)."""

import socket

import pytest
from django.core.cache import caches
from django.test import Client, override_settings


def closed_port() -> int:
    """A port where nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_cache():
    location = f"redis://127.0.0.1:{closed_port()}/0"
    backend = {"BACKEND": "jipp.cache.TolerantRedisCache", "LOCATION": location}
    with override_settings(CACHES={"default": backend}):
        yield caches["default"]


def test_cache_unreachable_reads_miss_and_writes_do_nothing(unreachable_cache):
    unreachable_cache.set("key", "value")
    assert (
        unreachable_cache.get("key", "default"),
        unreachable_cache.get_many(["key"]),
        unreachable_cache.add("key", 1),
        unreachable_cache.incr("key"),
        unreachable_cache.delete("key"),
        unreachable_cache.has_key("key"),
    ) == ("default", {}, False, 1, False, False)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/inovasi/", "/statistik/", "/api/v1/innovations/"])
def test_cache_unreachable_pages_still_answer(unreachable_cache, path):
    response = Client(raise_request_exception=False).get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


def test_settings_redis_cache_url_gets_the_tolerant_backend_with_timeouts(monkeypatch):
    import importlib

    from jipp import settings as project_settings

    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/9")
    reloaded = importlib.reload(project_settings)
    cache = reloaded.CACHES["default"]
    monkeypatch.delenv("CACHE_URL")
    importlib.reload(project_settings)
    assert (cache["BACKEND"], cache["OPTIONS"]) == (
        "jipp.cache.TolerantRedisCache",
        {"socket_connect_timeout": 1, "socket_timeout": 2},
    )


def test_cache_client_built_once_per_connection_pool(unreachable_cache):
    backend = unreachable_cache._cache  # one server: reads and writes share its pool
    first, again, writer = backend.get_client(), backend.get_client(), backend.get_client(write=True)
    assert (again is first, writer is first) == (True, True)


def test_cache_count_unreachable_counts_nothing(unreachable_cache):
    from jipp.cache import cache_count

    assert [cache_count("rate:1", timeout=60) for _ in range(2)] == [0, 0]


@pytest.fixture
def redis_cache():
    """The Redis cache of the run's Redis server (a database of its own), emptied before and after."""
    location = "redis://127.0.0.1:6379/12"
    backend = {"BACKEND": "jipp.cache.TolerantRedisCache", "LOCATION": location}
    with override_settings(CACHES={"default": backend}):
        cache = caches["default"]
        try:
            cache._cache.get_client(write=True).ping()
        except Exception:  # noqa: BLE001 (any failure to reach it)
            from tests.conftest import require_service

            require_service("Redis")
        cache.clear()
        yield cache
        cache.clear()


def test_cache_count_on_redis_counts_up_in_one_key_that_expires(redis_cache):
    from jipp.cache import cache_count

    counts = [cache_count("rate:2", timeout=60) for _ in range(3)]
    ttl = redis_cache._cache.get_client().ttl(redis_cache.make_and_validate_key("rate:2"))
    assert (counts, 0 < ttl <= 60) == ([1, 2, 3], True)


def test_cache_count_in_local_memory_counts_up():
    from jipp.cache import cache_count

    caches["default"].clear()
    assert [cache_count("rate:3", timeout=60) for _ in range(3)] == [1, 2, 3]
