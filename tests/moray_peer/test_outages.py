"""An outage is told in a few lines: the first failure with its traceback, then one line per
interval, then one line on recovery."""

import logging

import pytest

from moray_peer import outages


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1000.0}
    monkeypatch.setattr(outages.time, "monotonic", lambda: now["t"])
    return now


def fail(outage):
    try:
        raise ConnectionError("Connection refused")
    except ConnectionError:
        outage.failed()


def test_the_first_failure_is_told_with_its_traceback(clock, caplog):
    outage = outages.Outage("Redis", "test.outages")
    with caplog.at_level(logging.WARNING, logger="test.outages"):
        fail(outage)
    [record] = caplog.records
    assert record.getMessage() == "Redis is not answering; carrying on without it"
    assert "ConnectionError: Connection refused" in caplog.text


def test_then_one_line_per_interval_however_many_failures(clock, caplog, settings):
    settings.OUTAGE_LOG_SECONDS = 60
    outage = outages.Outage("Redis", "test.outages")
    with caplog.at_level(logging.WARNING, logger="test.outages"):
        for _ in range(200):  # 200 failures over 100 seconds
            fail(outage)
            clock["t"] += 0.5
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[1] == (
        "Redis is still not answering after 60s (120 more failures: "
        "ConnectionError: Connection refused)"
    )
    assert caplog.records[1].exc_info is None


def test_the_recovery_is_told_once(clock, caplog):
    outage = outages.Outage("Redis", "test.outages")
    with caplog.at_level(logging.WARNING, logger="test.outages"):
        outage.answered()  # all is well: nothing to tell
        fail(outage)
        fail(outage)
        clock["t"] += 12.5
        outage.answered()
        outage.answered()
    messages = [r.getMessage() for r in caplog.records]
    assert messages[1:] == ["Redis is answering again after 12.5s (2 failures)"]
    assert not outage.is_down


def test_a_new_outage_is_told_afresh(clock, caplog):
    outage = outages.Outage("Redis", "test.outages")
    with caplog.at_level(logging.WARNING, logger="test.outages"):
        fail(outage)
        outage.answered()
        fail(outage)
    assert sum("not answering;" in r.getMessage() for r in caplog.records) == 2
