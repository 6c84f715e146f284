"""Django's Redis cache backend, kept fast and made fail safe.

One Redis client per connection pool: Django builds a new redis-py client object for every
cache call, and each new client fills in a table of some 170 response handlers: about a quarter
of a millisecond, which is a quarter of the time a page served from the page cache takes. A
client only wraps the shared, thread-safe connection pool, so one per pool serves every thread
of a worker.

Fail safe: every call has connect and read timeouts (OPTIONS in settings), and a Redis that is
down, hung or refusing writes never costs a visitor a page. A call that fails is answered from
this process's own memory instead, and so is every call for the next RETRY_SECONDS (no visitor
waits on a timeout meanwhile); then Redis is tried again. So each use of the cache keeps
working: a rate limit or lock counts per process rather than across servers (never no limit),
a sign-in goes ahead. What must be shared or nothing (the page cache: a page kept in one
worker's memory could not be retired by a save in another) asks `cache.shared`, which raises
SharedCacheUnavailable instead. The outage is told in a few lines (moray_peer.outages).

A count in a window (incr_in_window: the rate limits, each visitor's evidence allowance) is
one round trip: Django's add() and incr() took three, on every counted page view.
"""

import threading
import time

import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from moray_peer.outages import Outage

# What a Redis that is away, hung, out of memory or a read-only replica raises.
UNAVAILABLE = (
    redis.ConnectionError,
    redis.TimeoutError,
    redis.exceptions.ReadOnlyError,
    redis.exceptions.OutOfMemoryError,
)
OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class SharedCacheUnavailable(Exception):
    """The shared cache is not answering (or was not, a moment ago)."""


class ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class _Health:
    """Whether one Redis is answering, shared by every thread of the process (Django makes a
    cache backend object per thread)."""

    _all = {}
    _lock = threading.Lock()

    def __init__(self, location):
        self.resting_until = 0.0
        self.outage = Outage(f"The shared cache (Redis at {_without_password(location)})", __name__)

    @classmethod
    def of(cls, location):
        with cls._lock:
            if location not in cls._all:
                cls._all[location] = cls(location)
            return cls._all[location]


def _without_password(location):
    head, at, tail = location.rpartition("@")
    return f"{head.split('//')[0]}//…@{tail}" if at else location


class FailSafeRedisCache(RedisCache):
    """See the module notes. OPTIONS["RETRY_SECONDS"] (default 2) is how long a process rests
    Redis after a failure; the other OPTIONS go to redis-py's connection pool."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 2))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClients
        location = server if isinstance(server, str) else ",".join(server)
        self.health = _Health.of(location)
        # LocMemCache keeps its entries per name, so every thread shares one memory.
        self.local = LocMemCache(
            f"fallback-{location}",
            {
                "OPTIONS": {"MAX_ENTRIES": 5000},
                **{k: params[k] for k in ("KEY_PREFIX", "VERSION", "KEY_FUNCTION") if k in params},
            },
        )
        self.shared = _SharedOnly(self)

    def is_resting(self):
        return time.monotonic() < self.health.resting_until

    def _call_redis(self, name, args, kwargs):
        """Redis's answer, or SharedCacheUnavailable (the failure noted and told)."""
        # One of Django's operations, or one of ours (_redis_incr_in_window).
        operation = getattr(super(), name, None) or getattr(self, f"_redis_{name}")
        if self.is_resting():
            raise SharedCacheUnavailable(f"{name}: resting after a failure")
        try:
            result = operation(*args, **kwargs)
        except UNAVAILABLE as exc:
            self.health.resting_until = time.monotonic() + self.retry_seconds
            self.health.outage.failed(exc)
            raise SharedCacheUnavailable(f"{name}: {exc}") from exc
        self.health.outage.answered()
        return result

    def probe(self):
        """Ask Redis now, resting or not (/healthz): whether it answered. An answer ends the
        rest, so a probe also brings this process back to Redis sooner."""
        try:
            super().get("healthz")
        except UNAVAILABLE as exc:
            self.health.resting_until = time.monotonic() + self.retry_seconds
            self.health.outage.failed(exc)
            return False
        self.health.resting_until = 0.0
        self.health.outage.answered()
        return True

    def _either(self, name, args, kwargs):
        try:
            return self._call_redis(name, args, kwargs)
        except SharedCacheUnavailable:
            return getattr(self.local, name)(*args, **kwargs)

    def incr_in_window(self, key, delta, timeout):
        """As incr_in_window(cache, ...) below, in one round trip to Redis, not three."""
        try:
            return self._call_redis("incr_in_window", (key, delta, timeout), {})
        except SharedCacheUnavailable:
            return incr_in_window(self.local, key, delta, timeout)

    def _redis_incr_in_window(self, key, delta, timeout):
        key = self.make_and_validate_key(key)
        timeout = self.get_backend_timeout(timeout)  # seconds as add() takes them
        # A transaction: the window cannot end between starting it and counting in it.
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=True)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incrby(key, delta)
        return pipeline.execute()[1]


class _SharedOnly:
    """The shared cache or an exception: never this process's memory."""

    def __init__(self, backend):
        self._backend = backend

    def __getattr__(self, name):
        if name not in OPERATIONS:
            raise AttributeError(name)
        return lambda *args, **kwargs: self._backend._call_redis(name, args, kwargs)


def _fail_safe(name):
    def operation(self, *args, **kwargs):
        return self._either(name, args, kwargs)

    operation.__name__ = name
    return operation


for _name in OPERATIONS:
    setattr(FailSafeRedisCache, _name, _fail_safe(_name))


def incr_in_window(cache, key, delta, timeout):
    """Add `delta` to the count at `key` in `cache`, first starting it at 0 for `timeout`
    seconds if no window is running there; returns the new count. A running window keeps its
    end."""
    # Asked by name: django.core.cache.cache is a proxy standing for the backend.
    in_one_step = getattr(cache, "incr_in_window", None)
    if in_one_step is not None:
        return in_one_step(key, delta, timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key, delta)
    except ValueError:  # the window ended between the two calls
        cache.add(key, delta, timeout=timeout)
        return delta


def shared(cache):
    """The cache's shared-or-nothing face: `cache.shared` for Redis, else the cache itself
    (the database and local-memory caches have no second copy to fall back to)."""
    return getattr(cache, "shared", cache)
