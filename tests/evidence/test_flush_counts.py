"""`flush_counts`: evidence counts gathered in Redis reach the database, once each."""

import datetime
import io
import logging
import time
import uuid

import pytest
import redis
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from evidence import buffer, counting
from evidence.models import DailyCount, Metric
from tests.evidence.conftest import counts
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_answers():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def gathered(settings):
    """Counts gathered in the Redis on this machine, under keys of this test's own."""
    if not redis_answers():
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    settings.EVIDENCE_BUFFER_URL = REDIS_URL
    settings.EVIDENCE_BUFFER_KEY = f"test-evidence-{uuid.uuid4().hex}"
    buffer._resting_until = 0.0
    buffer._gathered.clear()
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.delete(*(f"{settings.EVIDENCE_BUFFER_KEY}:{k}" for k in ("pending", "flushing")))
    buffer._resting_until = 0.0
    buffer._gathered.clear()


def flush():
    out = io.StringIO()
    call_command("flush_counts", stdout=out)
    return out.getvalue().strip()


def test_counts_wait_in_redis_and_reach_the_database_at_the_flush(gathered):
    counting.record([(Metric.GROUP_VIEW, 7), (Metric.SEARCH, "area=keith")])
    counting.record([(Metric.GROUP_VIEW, 7)])
    assert DailyCount.objects.count() == 0
    assert flush() == "Moved 3 counts to the database."
    assert counts() == {("group_view", "7"): 2, ("search", "area=keith"): 1}
    assert flush() == "Moved 0 counts to the database."
    assert counts() == {("group_view", "7"): 2, ("search", "area=keith"): 1}


def test_flushed_counts_add_to_the_days_they_were_counted_on(gathered):
    yesterday = datetime.date(2026, 3, 2)
    DailyCount.objects.create(day=yesterday, metric=Metric.GROUP_VIEW, key="7", count=5)
    counting.record([(Metric.GROUP_VIEW, 7)], day=yesterday)
    counting.record([(Metric.GROUP_VIEW, 7)], day=yesterday + datetime.timedelta(days=1))
    flush()
    assert sorted(DailyCount.objects.values_list("day", "count")) == [
        (yesterday, 6),
        (yesterday + datetime.timedelta(days=1), 1),
    ]


def test_a_page_view_costs_no_database_write(gathered, visitor, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    group = group_with_schedule(name="Elgin Natter")
    visitor.get(group.get_absolute_url())
    with CaptureQueriesContext(connection) as made:
        visitor.get(group.get_absolute_url())
    assert made.captured_queries
    assert not [q for q in made.captured_queries if "evidence_dailycount" in q["sql"]]
    flush()
    assert counts() == {("group_view", str(group.pk)): 2}


def test_a_flush_leaves_alone_the_counts_another_flush_is_moving(gathered, settings):
    counting.record([(Metric.GROUP_VIEW, 7)])
    gathered.set(f"{settings.EVIDENCE_BUFFER_KEY}:flush-lock", "someone else", ex=60)
    try:
        assert flush() == "Another flush is running; nothing done."
        assert DailyCount.objects.count() == 0
    finally:
        gathered.delete(f"{settings.EVIDENCE_BUFFER_KEY}:flush-lock")
    assert flush() == "Moved 1 count to the database."


def test_a_batch_a_failed_flush_could_not_write_goes_with_the_next(gathered, monkeypatch):
    counting.record([(Metric.GROUP_VIEW, 7)])

    def refused(*args):
        raise DatabaseError("the database is restarting")

    monkeypatch.setattr(counting, "_increment", refused)
    with pytest.raises(DatabaseError):
        flush()
    monkeypatch.undo()
    assert DailyCount.objects.count() == 0
    counting.record([(Metric.GROUP_VIEW, 7), (Metric.GROUP_VIEW, 8)])
    assert flush() == "Moved 1 count to the database."  # the batch left over
    assert flush() == "Moved 2 counts to the database."  # what came after it
    assert counts() == {("group_view", "7"): 2, ("group_view", "8"): 1}


def test_a_process_sends_what_it_gathers_on_a_moment_after_the_first_count(gathered, settings):
    settings.EVIDENCE_PUSH_SECONDS = 0.3
    pending = f"{settings.EVIDENCE_BUFFER_KEY}:pending"
    counting.record([(Metric.GROUP_VIEW, 7)])
    counting.record([(Metric.GROUP_VIEW, 7), (Metric.GROUP_VIEW, 8)])
    assert not gathered.exists(pending)  # still in the process
    waited = 0.0
    while not gathered.exists(pending) and waited < 5:
        time.sleep(0.05)
        waited += 0.05
    assert flush() == "Moved 3 counts to the database."
    assert counts() == {("group_view", "7"): 2, ("group_view", "8"): 1}


def test_a_stopping_worker_sends_what_it_has_gathered(gathered, settings):
    settings.EVIDENCE_PUSH_SECONDS = 60
    counting.record([(Metric.GROUP_VIEW, 7)])
    counting.push_gathered()
    assert flush() == "Moved 1 count to the database."


def test_without_redis_answering_counts_go_straight_to_the_database(settings, caplog):
    settings.EVIDENCE_BUFFER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    buffer._resting_until = 0.0
    with caplog.at_level(logging.WARNING, logger="evidence.buffer"):
        counting.record([(Metric.GROUP_VIEW, 7)])  # Redis refuses: to the database
        counting.record([(Metric.GROUP_VIEW, 7)])  # Redis resting: straight to the database
    buffer._resting_until = 0.0
    assert counts() == {("group_view", "7"): 2}
    # Tried once, then left to rest rather than tried on every page view.
    assert caplog.text.count("not answering") == 1


def test_with_no_buffer_there_is_nothing_to_flush():
    counting.record([(Metric.GROUP_VIEW, 7)])
    assert flush() == "Moved 0 counts to the database."
    assert counts() == {("group_view", "7"): 1}
