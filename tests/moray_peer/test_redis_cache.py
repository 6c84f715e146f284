"""The Redis cache backend: one client per connection pool, and fail safe when Redis is not."""

import logging
import socket

import pytest
import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from moray_peer.redis_cache import (
    FailSafeRedisCache,
    ReusedClients,
    SharedCacheUnavailable,
    incr_in_window,
    shared,
)

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
    backend.delete_many(["page", "other", "limit"])


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


def test_a_count_in_a_window_starts_the_window_once_and_keeps_its_end(cache):
    assert incr_in_window(cache, "limit", 2, 60) == 2
    assert incr_in_window(cache, "limit", 3, 3600) == 5
    assert cache.get("limit") == 5
    client = cache._cache.get_client("limit")
    assert 0 < client.ttl(cache.make_and_validate_key("limit")) <= 60


def test_a_count_in_a_window_is_one_round_trip_to_redis(cache, monkeypatch):
    incr_in_window(cache, "limit", 1, 60)  # connected
    trips = []
    sent = redis.connection.AbstractConnection.send_packed_command

    def send(connection, command, *args, **kwargs):
        trips.append(command)
        return sent(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", send)
    assert incr_in_window(cache, "limit", 1, 60) == 2
    assert len(trips) == 1


def test_a_count_in_a_window_with_redis_stopped_goes_on_in_memory(closed_port):
    backend = backend_on(closed_port)
    assert incr_in_window(backend, "limit", 2, 60) == 2
    assert incr_in_window(backend, "limit", 1, 60) == 3


def test_a_count_in_a_window_of_another_cache_ends_with_its_window():
    memory = LocMemCache("test-window", {})
    assert incr_in_window(memory, "limit", 2, 60) == 2
    assert incr_in_window(memory, "limit", 1, 60) == 3
    memory.delete("limit")  # the window ends
    assert incr_in_window(memory, "limit", 1, 60) == 1


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


@pytest.fixture
def redis_stopped(settings, closed_port):
    """The site's cache is Redis, and Redis is not running."""
    stopped = {
        "BACKEND": "moray_peer.redis_cache.FailSafeRedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        "OPTIONS": TIMEOUTS,
    }
    settings.CACHES = {"default": stopped, "pages": {**stopped, "KEY_PREFIX": "pages"}}
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


@pytest.mark.django_db
def test_with_redis_stopped_an_organiser_still_signs_in(client, redis_stopped):
    from allauth.account.models import EmailAddress

    from tests.factories import PASSWORD, UserFactory

    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_with_redis_stopped_failed_sign_ins_are_still_limited(client, redis_stopped):
    from tests.factories import UserFactory

    user = UserFactory()
    answers = [
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"}).text
        for _ in range(6)
    ]
    assert not any("Too many failed login attempts" in text for text in answers[:5])
    assert "Too many failed login attempts" in answers[5]


@pytest.mark.django_db
def test_with_redis_stopped_parents_still_get_pages_and_can_report(client, redis_stopped):
    from directory.models import Report
    from tests.factories import GroupFactory

    group = GroupFactory(name="Elgin Natter", slug="elgin-natter")
    assert client.get("/").status_code == 200
    assert client.get(group.get_absolute_url()).status_code == 200
    response = client.post(
        "/groups/elgin-natter/report/", {"kind": Report.Kind.WRONG_TIME, "details": "Thursdays"}
    )
    assert response.status_code == 302
    assert Report.objects.count() == 1


def test_a_probe_asks_redis_even_while_resting_and_ends_the_rest(cache):
    cache.health.resting_until = float("inf")
    assert cache.probe() is True
    assert not cache.is_resting()


def test_a_probe_of_a_stopped_redis_says_so(closed_port):
    backend = backend_on(closed_port)
    assert backend.probe() is False
    assert backend.is_resting()
