"""The Redis cache backend: one client per connection pool, and fail safe when Redis is not."""

import logging
import socket

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from moray_peer.redis_cache import FailSafeRedisCache, ReusedClients, SharedCacheUnavailable, shared

REDIS_URL = "redis://127.0.0.1:6379/0"
TIMEOUTS = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    backend = FailSafeRedisCache(
        REDIS_URL, {"KEY_PREFIX": "moray-test-redis-cache", "OPTIONS": TIMEOUTS}
    )
    backend.health.resting_until = 0.0
    yield backend
    backend.health.resting_until = 0.0
    backend.delete_many(["page", "other"])


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on: Redis stopped."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hung_port():
    """A loopback port that takes connections and never answers: Redis hung (SIGSTOP)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


def backend_on(port, **options):
    return FailSafeRedisCache(
        f"redis://127.0.0.1:{port}/0", {"KEY_PREFIX": "t", "OPTIONS": {**TIMEOUTS, **options}}
    )


def test_it_stores_and_reads_back_like_djangos_backend(cache):
    cache.set("page", {"html": "<p>Hello</p>"}, 30)
    assert cache.get_many(["page", "other"]) == {"page": {"html": "<p>Hello</p>"}}


def test_it_reuses_one_client_for_every_call(cache):
    cache.set("page", 1, 30)
    first = cache._cache.get_client("page")
    cache.get("page")
    assert cache._cache.get_client("other") is first


def test_a_stopped_redis_is_answered_from_the_process_memory(closed_port):
    backend = backend_on(closed_port)
    assert backend.add("limit", 0, 60) is True
    assert backend.incr("limit") == 1
    assert backend.incr("limit") == 2
    assert backend.add("limit", 0, 60) is False  # the count goes on: never no limit
    backend.set("page", "kept", 60)
    assert backend.get("page") == "kept"
    assert backend.get_many(["page", "other"]) == {"page": "kept"}


def test_a_hung_redis_times_out_and_the_call_goes_on(hung_port):
    backend = backend_on(hung_port)
    assert backend.get("anything", "default") == "default"
    assert backend.add("lock", True, 10) is True
    assert backend.is_resting()


def test_after_a_failure_redis_is_left_alone_for_a_while(closed_port, monkeypatch):
    tries = []
    original = ReusedClients.get_client
    monkeypatch.setattr(
        ReusedClients, "get_client", lambda *a, **k: tries.append(1) or original(*a, **k)
    )
    backend = backend_on(closed_port, RETRY_SECONDS=60)
    for _ in range(5):
        backend.get("page")
    assert len(tries) == 1


def test_it_tries_redis_again_after_the_rest_and_tells_the_recovery(cache, monkeypatch, caplog):
    original = RedisCache.get
    failing = {"now": True}

    def get(self, *args, **kwargs):
        if failing["now"]:
            raise redis.ConnectionError("Connection refused")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RedisCache, "get", get)
    cache.set("page", "from redis", 30)
    with caplog.at_level(logging.WARNING, logger="moray_peer.redis_cache"):
        assert cache.get("page") is None  # not in this process's memory
        failing["now"] = False
        assert cache.get("page") is None  # still resting
        cache.health.resting_until = 0.0  # the rest is over
        assert cache.get("page") == "from redis"
    assert [r.getMessage().split(" is ")[1] for r in caplog.records] == [
        "not answering; carrying on without it",
        "answering again after 0.0s (1 failures)",
    ]


def test_its_shared_face_raises_rather_than_answer_from_memory(closed_port):
    backend = backend_on(closed_port)
    with pytest.raises(SharedCacheUnavailable):
        shared(backend).get("page")
    with pytest.raises(SharedCacheUnavailable):  # resting: raised without trying
        shared(backend).set("page", "kept", 60)
    assert backend.get("page") is None


def test_the_shared_face_of_another_cache_is_the_cache_itself():
    from django.core.cache.backends.locmem import LocMemCache

    local = LocMemCache("x", {})
    assert shared(local) is local


def test_it_does_not_hide_a_programming_error(cache):
    with pytest.raises(ValueError):
        cache.incr("no-such-key")
