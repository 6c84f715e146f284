"""Evidence counts gathered in each server process and in Redis, to reach the database in
batches.

With Redis there, a counted page view only adds one to a counter in the process's memory (a
few microseconds: no network, no disk, no database row that every visitor to a popular group
queues on). EVIDENCE_PUSH_SECONDS after the first count it gathers, a timer sends all the
process has gathered to Redis in one round trip, and `python manage.py flush_counts`, run
every minute, adds what has gathered in Redis to DailyCount. A worker stopping gracefully
sends its counts first (gunicorn.conf.py); one killed outright loses at most its last
EVIDENCE_PUSH_SECONDS of counts, and a Redis restart at most the last minute's, since Redis
keeps nothing on disk here.

A Redis that is not answering costs a visitor nothing: the counts are written straight to the
database, as when there is no Redis, and Redis is left to rest for a while before the next try.
"""

import datetime
import functools
import logging
import threading
import time
import uuid
from collections import Counter, defaultdict

import redis
from django.conf import settings
from django.db import connection

from moray_peer.outages import Outage

logger = logging.getLogger(__name__)
outage = Outage("The evidence buffer (Redis)", logger)

SEPARATOR = "|"  # day|metric|key; neither a day nor a metric holds one
RETRY_AFTER_SECONDS = 30
LOCK_SECONDS = 300
RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"

_gathered = Counter()  # field -> number, not yet sent to Redis
_lock = threading.Lock()
_resting_until = 0.0


@functools.cache
def _connect(url):
    # Short timeouts: a count is never worth keeping a parent waiting.
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def client():
    """The buffer's Redis client, or None when counts go straight to the database."""
    url = settings.EVIDENCE_BUFFER_URL
    return _connect(url) if url else None


def _key(suffix):
    return f"{settings.EVIDENCE_BUFFER_KEY}:{suffix}"


def add(day, rows, write):
    """Add one to each (metric, key) of `rows` on `day`. Counts that cannot go to Redis (there
    is none, or it is not answering) are handed to `write({day: [(metric, key, number)]})`."""
    if client() is None or time.monotonic() < _resting_until:
        write({day: [(metric, key, 1) for metric, key in rows]})
        return
    fields = Counter(SEPARATOR.join((day.isoformat(), metric, key)) for metric, key in rows)
    if settings.EVIDENCE_PUSH_SECONDS <= 0:
        _send(fields, write)
        return
    with _lock:
        if not _gathered:
            timer = threading.Timer(settings.EVIDENCE_PUSH_SECONDS, _timer_fired, [write])
            timer.daemon = True  # never holds up a stopping worker: worker_exit sends instead
            timer.start()
        _gathered.update(fields)


def push(write):
    """Send what this process has gathered to Redis now (a worker on its way out)."""
    with _lock:
        batch = Counter(_gathered)
        _gathered.clear()
    if batch:
        _send(batch, write)


def _timer_fired(write):
    try:
        push(write)
    except Exception:
        logger.exception("Could not send evidence counts on")
    finally:
        connection.close()  # the timer's own thread, and its own database connection


def _send(batch, write):
    if not _push(batch):
        write(_by_day(batch))


def _push(batch):
    global _resting_until
    try:
        pipe = client().pipeline(transaction=False)
        for field, number in batch.items():
            pipe.hincrby(_key("pending"), field, number)
        pipe.execute()
    except redis.RedisError as exc:
        _resting_until = time.monotonic() + RETRY_AFTER_SECONDS
        outage.failed(exc)  # counting in the database meanwhile
        return False
    outage.answered()
    return True


def _by_day(batch):
    by_day = defaultdict(list)
    for field, number in batch.items():
        day, metric, key = field.split(SEPARATOR, 2)
        by_day[datetime.date.fromisoformat(day)].append((metric, key, int(number)))
    return dict(by_day)


def flush(write):
    """Hand everything gathered in Redis to `write({day: [(metric, key, number), ...]})`, and
    forget it once `write` has returned (committed).

    Returns the number of counts handed over, or None when another flush is running. A flush
    that fails part-way leaves its batch to be written by the next one; counts that arrive
    meanwhile gather separately.
    """
    buffer = client()
    if buffer is None:
        return 0
    token = uuid.uuid4().hex
    if not buffer.set(_key("flush-lock"), token, nx=True, ex=LOCK_SECONDS):
        return None
    try:
        batch = _key("flushing")
        if not buffer.exists(batch):
            try:
                buffer.rename(_key("pending"), batch)  # atomic: no count lost or taken twice
            except redis.ResponseError:
                return 0  # nothing has gathered
        gathered = {field.decode(): int(n) for field, n in buffer.hgetall(batch).items()}
        write(_by_day(gathered))
        buffer.delete(batch)
        return sum(gathered.values())
    finally:
        buffer.eval(RELEASE_LOCK, 1, _key("flush-lock"), token)
