"""TEST_NOW runs the suite as if at a chosen instant, read in Europe/London (tests/conftest.py)."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests import conftest


def test_test_now_is_read_as_london_time_on_either_side_of_the_clock_change():
    assert conftest.chosen_now("2027-03-27T23:30").utcoffset() == datetime.timedelta(0)
    assert conftest.chosen_now("2027-03-28T12:00").utcoffset() == datetime.timedelta(hours=1)
    assert conftest.chosen_now("2027-01-04T07:55+00:00").hour == 7


def test_a_malformed_test_now_stops_the_run_with_a_clear_message():
    with pytest.raises(pytest.UsageError, match="TEST_NOW"):
        conftest.chosen_now("next tuesday")


def test_test_now_moves_every_clock_the_site_reads(monkeypatch):
    monkeypatch.setenv("TEST_NOW", "2027-03-27T23:30")
    cleanups = []
    conftest.pytest_configure(SimpleNamespace(add_cleanup=cleanups.append))
    try:
        now = timezone.localtime()
        assert (now.date(), now.hour, now.minute) == (datetime.date(2027, 3, 27), 23, 30)
        assert timezone.localdate() == datetime.date(2027, 3, 27)
    finally:
        for cleanup in cleanups:
            cleanup()
