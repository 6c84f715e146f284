"""The Redis cache backend that keeps one client per connection pool."""

import pytest
import redis

from moray_peer.redis_cache import ReusedClientsRedisCache

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    backend = ReusedClientsRedisCache(REDIS_URL, {"KEY_PREFIX": "moray-test-redis-cache"})
    yield backend
    backend.delete_many(["page", "other"])


def test_it_stores_and_reads_back_like_djangos_backend(cache):
    cache.set("page", {"html": "<p>Hello</p>"}, 30)
    assert cache.get_many(["page", "other"]) == {"page": {"html": "<p>Hello</p>"}}


def test_it_reuses_one_client_for_every_call(cache):
    cache.set("page", 1, 30)
    first = cache._cache.get_client("page")
    cache.get("page")
    assert cache._cache.get_client("other") is first
